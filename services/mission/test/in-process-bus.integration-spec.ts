import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { processEventBus } from '@mission-control/eventing';
import { fromKafkaHeaders } from '@mission-control/proto';
import { startEventHandlers } from '@mission-control/eventing/nest';
import { memberPrincipal, probeReady, startServiceApp } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { AgentServiceStandIn, GatewayStandIn, missionTestConfig } from './mission-test-kit';

// Standalone mode: the service in a process with no Kafka, its events on the shared bus.
describe('mission service on the in-process event bus', () => {
  let app: INestApplication;
  let gateway: GatewayStandIn;
  let agents: AgentServiceStandIn;
  const config = missionTestConfig({
    EVENT_BUS: 'in-process',
    // Nothing listens here: Kafka must not be needed at all.
    KAFKA_BROKERS: '127.0.0.1:1',
    NODE_ENV: 'production',
  });

  beforeAll(async () => {
    app = await startServiceApp(AppModule.forRoot(config));
    await startEventHandlers(app);
    gateway = new GatewayStandIn(app);
    agents = new AgentServiceStandIn(app, config);
  });
  afterAll(async () => {
    await agents?.close();
    await app?.close();
  });

  it('is ready without asking Kafka', async () => {
    const { httpStatus, body } = await probeReady(app);
    expect(httpStatus).toBe(200);
    expect(body.status).toBe('ready');
    expect(Object.keys(body.checks)).toEqual(['postgres']);
  });

  it('publishes its committed events to the shared bus', async () => {
    const commander = memberPrincipal(randomUUID(), 'mission_commander');
    const { createMission } = await gateway.ok<{ createMission: { id: string } }>(
      `mutation ($ws: ID!, $input: CreateMissionInput!) {
        createMission(workspaceId: $ws, input: $input) { id }
      }`,
      { ws: commander.workspaceId, input: { title: 'On the in-process bus' } },
      commander,
    );
    const deadline = Date.now() + 10_000;
    const published = () =>
      processEventBus()
        .records(config.MISSION_EVENTS_TOPIC)
        .map((record) => fromKafkaHeaders(record.headers))
        .filter((envelope) => envelope.workspaceId === commander.workspaceId);
    while (published().length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(published()).toEqual([
      expect.objectContaining({
        type: 'mission.v1.MissionCreated',
        subject: expect.stringContaining(createMission.id),
      }),
    ]);
  });

  it('learns the agents it may assign from the agent events on the shared bus', async () => {
    const commander = memberPrincipal(randomUUID(), 'mission_commander');
    const ws = commander.workspaceId!;
    const { createMission } = await gateway.ok<{ createMission: { id: string } }>(
      `mutation ($ws: ID!, $input: CreateMissionInput!) {
        createMission(workspaceId: $ws, input: $input) { id }
      }`,
      { ws, input: { title: 'For an agent' } },
      commander,
    );
    const assign = (agentId: string) =>
      gateway.gql<{ assignMission: { assigneeAgentId: string } }>(
        `mutation ($ws: ID!, $id: ID!, $agentId: ID) {
          assignMission(workspaceId: $ws, missionId: $id, agentId: $agentId) { assigneeAgentId }
        }`,
        { ws, id: createMission.id, agentId },
        commander,
      );
    const agentId = randomUUID();
    expect((await assign(agentId)).errors?.[0]?.extensions.code).toBe('VALIDATION_ERROR');
    await agents.activeAgent(ws, agentId);
    expect((await assign(agentId)).data?.assignMission.assigneeAgentId).toBe(agentId);
  });
});
