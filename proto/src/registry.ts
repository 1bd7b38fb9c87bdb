import {
  create,
  createRegistry,
  fromBinary,
  toBinary,
  type DescMessage,
  type MessageInitShape,
  type MessageShape,
} from '@bufbuild/protobuf';
import type { GenMessage } from '@bufbuild/protobuf/codegenv2';
import { ContractError, ContractErrorCode } from './contract-error';
import {
  AgentActivatedSchema,
  AgentDeactivatedSchema,
  AgentKeyIssuedSchema,
  AgentKeyRevokedSchema,
  AgentRegisteredSchema,
  AgentStatusChangedSchema,
  AgentUpdatedSchema,
  AgentWakeHookRemovedSchema,
  AgentWakeHookSetSchema,
  AgentPlacedOnHostSchema,
  HostRegisteredSchema,
  HostRemovedSchema,
  HostSampledSchema,
  HostUpdatedSchema,
  SubAgentEndedSchema,
  SubAgentSpawnedSchema,
} from './gen/agent/v1/agent_events_pb';
import {
  ApiKeyIssuedSchema,
  ApiKeyRevokedSchema,
  MemberInvitedSchema,
  MemberJoinedSchema,
  MemberRemovedSchema,
  InvitationRevokedSchema,
  MemberRoleChangedSchema,
  PasswordChangedSchema,
  SessionEndedSchema,
  UserSignedUpSchema,
  WorkspaceCreatedSchema,
  WorkspaceRenamedSchema,
} from './gen/identity/v1/workspace_events_pb';
import {
  BudgetDeletedSchema,
  BudgetExceededSchema,
  BudgetResumedSchema,
  BudgetSetSchema,
  BudgetWarningReachedSchema,
  CommentAddedSchema,
  MissionAssignedSchema,
  MissionBecameReadySchema,
  MissionClaimedSchema,
  MissionCreatedSchema,
  MissionDependencyAddedSchema,
  MissionDependencyRemovedSchema,
  MissionMovedSchema,
  MissionReleasedSchema,
  MissionUpdatedSchema,
  RunFinishedSchema,
  RunLogAppendedSchema,
  RunProgressNotedSchema,
  RunStartedSchema,
  RunUsageReportedSchema,
  WorkPolicySetSchema,
} from './gen/mission/v1/mission_events_pb';

/**
 * Every domain event payload, old versions included (stored events are decoded for ever). A new
 * event message is added here; a spec fails when a generated `*_events.proto` message is missing.
 */
export const eventSchemas = [
  WorkspaceCreatedSchema,
  MemberJoinedSchema,
  MemberRoleChangedSchema,
  UserSignedUpSchema,
  MemberInvitedSchema,
  MemberRemovedSchema,
  ApiKeyIssuedSchema,
  ApiKeyRevokedSchema,
  SessionEndedSchema,
  PasswordChangedSchema,
  WorkspaceRenamedSchema,
  InvitationRevokedSchema,
  AgentRegisteredSchema,
  AgentStatusChangedSchema,
  AgentUpdatedSchema,
  AgentActivatedSchema,
  AgentDeactivatedSchema,
  AgentKeyIssuedSchema,
  AgentKeyRevokedSchema,
  AgentWakeHookSetSchema,
  AgentWakeHookRemovedSchema,
  HostRegisteredSchema,
  HostUpdatedSchema,
  AgentPlacedOnHostSchema,
  HostSampledSchema,
  HostRemovedSchema,
  SubAgentSpawnedSchema,
  SubAgentEndedSchema,
  MissionCreatedSchema,
  MissionMovedSchema,
  MissionAssignedSchema,
  CommentAddedSchema,
  MissionClaimedSchema,
  MissionUpdatedSchema,
  MissionReleasedSchema,
  RunStartedSchema,
  RunLogAppendedSchema,
  RunUsageReportedSchema,
  RunFinishedSchema,
  BudgetSetSchema,
  BudgetDeletedSchema,
  BudgetWarningReachedSchema,
  BudgetExceededSchema,
  BudgetResumedSchema,
  RunProgressNotedSchema,
  WorkPolicySetSchema,
  MissionDependencyAddedSchema,
  MissionDependencyRemovedSchema,
  MissionBecameReadySchema,
] as const;

type EventSchema = (typeof eventSchemas)[number];

/** Any domain event payload message. */
export type EventMessage = MessageShape<EventSchema>;

/** Every CloudEvents type this system publishes: the payload messages' protobuf full names. */
export type DomainEventType = EventMessage['$typeName'];

/** The payload message of one event type. */
export type EventData<T extends DomainEventType> = Extract<EventMessage, { $typeName: T }>;

/** What {@link encodeEvent} accepts for a type: the message or a plain object to create it from. */
export type EventInit<T extends DomainEventType> = MessageInitShape<GenMessage<EventData<T>>>;

/** A decoded event: `switch (event.type)` narrows `event.data` to that type's message. */
export type DomainEvent = {
  [T in DomainEventType]: { type: T; data: EventData<T> };
}[DomainEventType];

/** The protobuf registry of every event payload, keyed by full name (= CloudEvents type). */
export const eventRegistry = createRegistry(...eventSchemas);

export function isDomainEventType(type: string): type is DomainEventType {
  return eventRegistry.getMessage(type) !== undefined;
}

/** The descriptor of an event type; throws UNKNOWN_EVENT_TYPE for a type no contract defines. */
export function eventSchema<T extends DomainEventType>(type: T): GenMessage<EventData<T>>;
export function eventSchema(type: string): DescMessage;
export function eventSchema(type: string): DescMessage {
  const schema = eventRegistry.getMessage(type);
  if (schema === undefined) {
    throw new ContractError(
      ContractErrorCode.UNKNOWN_EVENT_TYPE,
      `Unknown event type "${type}": no message of that name in proto/ (is it registered in proto/src/registry.ts?)`,
      { type },
    );
  }
  return schema;
}

/** A domain event value, its payload created from a plain object (defaults for what is left out). */
export function domainEvent<T extends DomainEventType>(
  type: T,
  init: EventInit<T>,
): Extract<DomainEvent, { type: T }> {
  const schema: DescMessage = eventSchema(type);
  return { type, data: create(schema, init as MessageInitShape<DescMessage>) } as Extract<
    DomainEvent,
    { type: T }
  >;
}

/** The binary protobuf payload of an event. */
export function encodeEvent<T extends DomainEventType>(type: T, data: EventInit<T>): Uint8Array {
  const schema: DescMessage = eventSchema(type);
  const typeName = (data as { $typeName?: unknown }).$typeName;
  if (typeName !== undefined && typeName !== type) {
    throw new ContractError(
      ContractErrorCode.EVENT_TYPE_MISMATCH,
      `Cannot encode a ${typeof typeName === 'string' ? typeName : 'foreign'} message as event type "${type}"`,
      { type, messageType: typeName },
    );
  }
  return toBinary(schema, create(schema, data as MessageInitShape<DescMessage>));
}

export function encodeDomainEvent(event: DomainEvent): Uint8Array {
  return encodeEvent(event.type, event.data);
}

/** The event in a payload of the given type; throws UNKNOWN_EVENT_TYPE or MALFORMED_PAYLOAD. */
export function decodeEvent<T extends DomainEventType>(
  type: T,
  payload: Uint8Array,
): Extract<DomainEvent, { type: T }>;
export function decodeEvent(type: string, payload: Uint8Array): DomainEvent;
export function decodeEvent(type: string, payload: Uint8Array): DomainEvent {
  const schema = eventSchema(type);
  try {
    return { type, data: fromBinary(schema, payload) } as DomainEvent;
  } catch (error) {
    throw new ContractError(
      ContractErrorCode.MALFORMED_PAYLOAD,
      `Payload is not a valid ${type}: ${error instanceof Error ? error.message : String(error)}`,
      { type },
      { cause: error },
    );
  }
}
