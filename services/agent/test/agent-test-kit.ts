import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@mission-control/config';
import { createEventTransport, type EventTransport } from '@mission-control/eventing';
import type { DomainEventType, EventInit } from '@mission-control/proto';
import { RelayRecords, SubgraphClient, testRunId } from '@mission-control/testing';
export { errorCode, type GraphQLBody, type GraphQLError } from '@mission-control/testing';
import { agentConfigSchema, type AgentConfig } from '../src/agent.config';

/** Shared with "the gateway" of these tests: signs the principal header as the gateway does. */
export const INTERNAL_SECRET = 'agent-spec-internal-secret-0123456789abcdef';

/** The service configuration for a test run: its own Kafka topic, quiet logs. */
export function agentTestConfig(overrides: Record<string, string> = {}): AgentConfig {
  return loadConfig(agentConfigSchema, {
    ...process.env,
    LOG_LEVEL: 'silent',
    INTERNAL_AUTH_SECRET: INTERNAL_SECRET,
    AGENT_EVENTS_TOPIC: `${testRunId()}.agent.events.v1`,
    MISSION_EVENTS_TOPIC: `${testRunId()}.agent-spec.mission.events.v1`,
    ...overrides,
  });
}

/** Calls the subgraph the way the gateway does, with this spec's internal secret. */
export class GatewayStandIn extends SubgraphClient {
  constructor(app: INestApplication) {
    super(app, INTERNAL_SECRET);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One event of a mission, for {@link MissionServiceStandIn.publishBatch}. */
export type MissionEventInit = {
  [T in DomainEventType]: { missionId: string; type: T; data: EventInit<T> };
}[DomainEventType];

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * Stands in for the mission service: publishes what its relay would for missions (created,
 * moved, assigned, released) on the bus and topic the agent service under test reads.
 */
export class MissionServiceStandIn {
  private readonly transport: EventTransport;
  private readonly records = new RelayRecords('mission');

  constructor(private readonly config: AgentConfig) {
    this.transport = createEventTransport({
      bus: config.EVENT_BUS,
      brokers: config.KAFKA_BROKERS,
      clientId: 'agent-spec-missions',
      logger: silent,
    });
  }

  /** Events of one mission, in order, as its relay publishes them. */
  publish<T extends DomainEventType>(
    workspaceId: string,
    missionId: string,
    ...events: { type: T; data: EventInit<T> }[]
  ): Promise<void> {
    return this.publishBatch(
      workspaceId,
      events.map((event) => ({ missionId, ...event }) as MissionEventInit),
    );
  }

  /** Events of many missions in one batch, as a relay publishes a burst. */
  async publishBatch(workspaceId: string, events: MissionEventInit[]): Promise<void> {
    await this.transport.publish(
      events.map(({ missionId, type, data }) => ({
        topic: this.config.MISSION_EVENTS_TOPIC,
        ...this.records.next({ workspaceId, subject: `mission-${missionId}`, type, data }),
      })),
    );
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
