import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { processEventBus } from '@mission-control/eventing';
import { fromKafkaHeaders } from '@mission-control/proto';
import { memberPrincipal, probeReady, startServiceApp } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { GatewayStandIn, missionTestConfig } from './mission-test-kit';

// Standalone mode: the service in a process with no Kafka, its events on the shared bus.
describe('mission service on the in-process event bus', () => {
  let app: INestApplication;
  let gateway: GatewayStandIn;
  const config = missionTestConfig({
    EVENT_BUS: 'in-process',
    // Nothing listens here: Kafka must not be needed at all.
    KAFKA_BROKERS: '127.0.0.1:1',
    NODE_ENV: 'production',
  });

  beforeAll(async () => {
    app = await startServiceApp(AppModule.forRoot(config));
    gateway = new GatewayStandIn(app);
  });
  afterAll(() => app?.close());

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
});
