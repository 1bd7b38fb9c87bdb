// The generated contracts, one namespace per context and version: a later `mission/v2` brings
// messages with the same names, so they are never exported flat.
export * as agentV1 from './gen/agent/v1/agent_events_pb';
export * as identityV1 from './gen/identity/v1/workspace_events_pb';
export * as missionV1 from './gen/mission/v1/mission_events_pb';

export * from './contract-error';
export * from './envelope';
export * from './kafka-headers';
export * from './registry';
export * from './upcast';
