import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { startEventHandlers } from '@mission-control/eventing/nest';
import { loadConfig } from '@mission-control/config';
import { createEventTransport, type EventTransport } from '@mission-control/eventing';
import { agentV1, type DomainEventType, type EventInit } from '@mission-control/proto';
import {
  RelayRecords,
  startServiceApp,
  SubgraphClient,
  testRunId,
  until,
} from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { PrismaService } from '../src/database/prisma.service';
export { errorCode, type GraphQLBody, type GraphQLError } from '@mission-control/testing';
import { missionConfigSchema, type MissionConfig } from '../src/mission.config';

/** Shared with "the gateway" of these tests: signs the principal header as the gateway does. */
export const INTERNAL_SECRET = 'mission-spec-internal-secret-0123456789abcdef';

/** The service configuration for a test run: its own Kafka topic. */
export function missionTestConfig(overrides: Record<string, string> = {}): MissionConfig {
  return loadConfig(missionConfigSchema, {
    ...process.env,
    LOG_LEVEL: 'silent',
    INTERNAL_AUTH_SECRET: INTERNAL_SECRET,
    MISSION_EVENTS_TOPIC: `${testRunId()}.mission.events.v1`,
    AGENT_EVENTS_TOPIC: `${testRunId()}.mission-spec.agent.events.v1`,
    ...overrides,
  });
}

/** Calls the subgraph the way the gateway does, with this spec's internal secret. */
export class GatewayStandIn extends SubgraphClient {
  constructor(app: INestApplication) {
    super(app, INTERNAL_SECRET);
  }
}

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * Stands in for the agent service: publishes what its relay would for agents registered,
 * activated and deactivated, on the bus and topic the mission service under test reads, and waits
 * until the service's roster has applied it.
 */
export class AgentServiceStandIn {
  private readonly transport: EventTransport;
  private readonly records = new RelayRecords('agent');

  constructor(
    private readonly app: INestApplication,
    private readonly config: MissionConfig,
  ) {
    this.transport = createEventTransport({
      bus: config.EVENT_BUS,
      brokers: config.KAFKA_BROKERS,
      clientId: 'mission-spec-agents',
      logger: silent,
    });
  }

  /** A registered and activated agent of the workspace, once the roster knows it. */
  async activeAgent(workspaceId: string, agentId: string = randomUUID()): Promise<string> {
    await this.register(workspaceId, agentId);
    await this.publish(workspaceId, agentId, 'agent.v1.AgentActivated', { agentId });
    await this.known(agentId, true);
    return agentId;
  }

  /** A sub-agent of `parentAgentId`, spawned active, once the roster knows its parent. */
  async subAgent(
    workspaceId: string,
    parentAgentId: string,
    agentId: string = randomUUID(),
  ): Promise<string> {
    await this.register(workspaceId, agentId);
    await this.publish(workspaceId, agentId, 'agent.v1.SubAgentSpawned', {
      agentId,
      parentAgentId,
      expiresAtUnixMs: BigInt(Date.now() + 3_600_000),
    });
    await this.publish(workspaceId, agentId, 'agent.v1.AgentActivated', { agentId });
    await this.known(agentId, true);
    const prisma = this.app.get(PrismaService);
    await until(
      async () =>
        (await prisma.agent.findUnique({ where: { id: agentId } }))?.parentAgentId ===
        parentAgentId,
      `sub-agent ${agentId} of ${parentAgentId} in the mission roster`,
    );
    return agentId;
  }

  /** An agent registered and never activated. */
  async registeredAgent(workspaceId: string, agentId: string = randomUUID()): Promise<string> {
    await this.register(workspaceId, agentId);
    await this.known(agentId, false);
    return agentId;
  }

  async deactivate(workspaceId: string, agentId: string): Promise<void> {
    await this.publish(workspaceId, agentId, 'agent.v1.AgentDeactivated', { agentId });
    await this.known(agentId, false);
  }

  /**
   * The agent's status as its heartbeats report it (as of `time`, if not now), once the roster
   * knows whether it is online.
   */
  async status(
    workspaceId: string,
    agentId: string,
    toStatus: agentV1.AgentStatus,
    time?: Date,
  ): Promise<void> {
    await this.publish(
      workspaceId,
      agentId,
      'agent.v1.AgentStatusChanged',
      {
        agentId,
        toStatus,
        reason:
          toStatus === agentV1.AgentStatus.OFFLINE
            ? agentV1.AgentStatusChangeReason.HEARTBEAT_EXPIRED
            : agentV1.AgentStatusChangeReason.HEARTBEAT,
      },
      time,
    );
    const online = toStatus !== agentV1.AgentStatus.OFFLINE;
    const prisma = this.app.get(PrismaService);
    await until(
      async () => (await prisma.agent.findUnique({ where: { id: agentId } }))?.online === online,
      `agent ${agentId} ${online ? 'online' : 'offline'} in the mission roster`,
    );
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  /** What the agent service's relay publishes for one event of agent `agentId`. */
  async publish<T extends DomainEventType>(
    workspaceId: string,
    agentId: string,
    type: T,
    data: EventInit<T>,
    time?: Date,
  ): Promise<void> {
    const record = this.records.next({
      workspaceId,
      subject: `agent-${agentId}`,
      type,
      data,
      time,
    });
    await this.transport.publish([{ topic: this.config.AGENT_EVENTS_TOPIC, ...record }]);
  }

  private register(workspaceId: string, agentId: string): Promise<void> {
    return this.publish(workspaceId, agentId, 'agent.v1.AgentRegistered', {
      agentId,
      name: 'spec agent',
      role: 'specialist',
      capabilities: [],
      configJson: '{}',
      model: '',
      provider: '',
    });
  }

  private known(agentId: string, active: boolean): Promise<void> {
    const prisma = this.app.get(PrismaService);
    return until(
      async () => (await prisma.agent.findUnique({ where: { id: agentId } }))?.active === active,
      `agent ${agentId} ${active ? 'active' : 'inactive'} in the mission roster`,
    );
  }
}

/**
 * The mission service under test, handling events, with a gateway and an agent service standing
 * in; its SDL goes to a temporary `<name>-sdl-*` folder. `close` stops all of it.
 */
export async function startMissionSpecApp(name: string, overrides: Record<string, string> = {}) {
  const config = missionTestConfig({
    MISSION_SCHEMA_FILE: path.join(
      mkdtempSync(path.join(tmpdir(), `${name}-sdl-`)),
      'schema.graphql',
    ),
    ...overrides,
  });
  const app = await startServiceApp(AppModule.forRoot(config));
  await startEventHandlers(app);
  const agents = new AgentServiceStandIn(app, config);
  return {
    app,
    gateway: new GatewayStandIn(app),
    agents,
    close: async () => {
      await agents.close();
      await app.close();
    },
  };
}
