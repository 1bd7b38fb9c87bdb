import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import { agentV1, missionV1 } from '@mission-control/proto';
import { startServiceApp, memberPrincipal } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { InfluxMetricsStore } from '../src/metrics/influx-metrics-store';
import {
  analyticsTestConfig,
  errorCode,
  EventPublisher,
  GatewayStandIn,
  settled,
  specStreams,
} from './analytics-test-kit';
import {
  HOST_USAGE,
  THROUGHPUT,
  UTILISATION,
  type ThroughputView,
  type UtilisationView,
} from './analytics-queries';
import { WorkspaceWorld } from './analytics-world';

const { BoardColumn } = missionV1;
const { AgentStatus } = agentV1;
const streams = specStreams('metrics');
const at = (iso: string) => new Date(iso);

describe('analytics metrics', () => {
  let app: INestApplication;
  let gateway: GatewayStandIn;
  let publisher: EventPublisher;
  let world: WorkspaceWorld;
  let analyst: Principal;
  let shipped = '';
  let worker = '';
  const hostId = randomUUID();

  beforeAll(async () => {
    const config = analyticsTestConfig(streams, { NODE_ENV: 'production' });
    publisher = new EventPublisher(config.KAFKA_BROKERS);
    await publisher.ensureTopics([streams.agentTopic, streams.missionTopic]);
    world = new WorkspaceWorld(publisher, streams);
    analyst = memberPrincipal(world.workspaceId, 'viewer');

    // Created on Monday 2 June, started on the 3rd, done on the 4th; another created on the 4th.
    shipped = await world.mission({ title: 'Ship it', at: at('2025-06-02T10:00:00Z') });
    await world.move(shipped, BoardColumn.TODO, at('2025-06-02T11:00:00Z'));
    await world.move(shipped, BoardColumn.IN_PROGRESS, at('2025-06-03T09:00:00Z'));
    await world.move(shipped, BoardColumn.DONE, at('2025-06-04T15:30:00Z'));
    await world.move(shipped, BoardColumn.DONE, at('2025-06-04T15:31:00Z'));
    await world.mission({ title: 'Next', at: at('2025-06-04T08:00:00Z') });

    worker = await world.agent(at('2025-06-02T00:00:00Z'));
    await world.statuses(worker, [
      [AgentStatus.IDLE, at('2025-06-02T08:00:00Z')],
      [AgentStatus.BUSY, at('2025-06-02T09:00:00Z')],
      [AgentStatus.IDLE, at('2025-06-02T11:00:00Z')],
      [AgentStatus.OFFLINE, at('2025-06-02T11:30:00Z')],
    ]);

    await world.hostSamples(hostId, [
      [at('2026-12-07T10:00:00Z'), 20, 4_000_000_000],
      [at('2026-12-07T10:00:15Z'), 40, 6_000_000_000],
      [at('2026-12-07T10:02:30Z'), 90, 8_000_000_000],
    ]);

    app = await startServiceApp(AppModule.forRoot(config));
    gateway = new GatewayStandIn(app);
    await settled(app);
  });
  afterAll(async () => {
    await app?.close();
    await publisher?.close();
  });

  const throughput = async (from: string, to: string, interval?: string) =>
    (
      await gateway.ok<ThroughputView>(
        THROUGHPUT,
        { ws: world.workspaceId, from, to, interval },
        analyst,
      )
    ).missionThroughput;

  it('counts missions created and done per day, with empty days as zeros', async () => {
    expect(await throughput('2025-06-02T00:00:00Z', '2025-06-05T00:00:00Z')).toEqual([
      { time: '2025-06-02T00:00:00.000Z', created: 1, done: 0 },
      { time: '2025-06-03T00:00:00.000Z', created: 0, done: 0 },
      { time: '2025-06-04T00:00:00.000Z', created: 1, done: 1 },
    ]);
  });

  it('buckets by hour and by week (from Monday)', async () => {
    const hours = await throughput('2025-06-04T14:00:00Z', '2025-06-04T17:00:00Z', 'HOUR');
    expect(hours).toEqual([
      { time: '2025-06-04T14:00:00.000Z', created: 0, done: 0 },
      { time: '2025-06-04T15:00:00.000Z', created: 0, done: 1 },
      { time: '2025-06-04T16:00:00.000Z', created: 0, done: 0 },
    ]);
    expect(await throughput('2025-06-02T00:00:00Z', '2025-06-16T00:00:00Z', 'WEEK')).toEqual([
      { time: '2025-06-02T00:00:00.000Z', created: 2, done: 1 },
      { time: '2025-06-09T00:00:00.000Z', created: 0, done: 0 },
    ]);
  });

  it('stores the cycle time, first IN_PROGRESS to DONE, with the completion', async () => {
    const points = await app.get(InfluxMetricsStore).dump();
    const done = points.filter(
      (point) =>
        point.measurement === 'mission_flow' &&
        point.tags.mission_id === shipped &&
        point.fields.done === 1,
    );
    expect(done).toEqual([
      expect.objectContaining({ fields: { done: 1, cycle_time_seconds: 30 * 3_600 + 30 * 60 } }),
    ]);
  });

  it('integrates an agent’s busy → idle → offline timeline over the range', async () => {
    const { agentUtilisation } = await gateway.ok<UtilisationView>(
      UTILISATION,
      { ws: world.workspaceId, from: '2025-06-02T09:00:00Z', to: '2025-06-02T12:00:00Z' },
      analyst,
    );
    expect(agentUtilisation).toEqual([
      {
        agentId: worker,
        busySeconds: 7_200,
        idleSeconds: 1_800,
        offlineSeconds: 1_800,
        utilisation: 0.8,
      },
    ]);
    // The status in force before the range counts from its start.
    const later = await gateway.ok<UtilisationView>(
      UTILISATION,
      { ws: world.workspaceId, from: '2025-06-02T10:00:00Z', to: '2025-06-02T12:00:00Z' },
      analyst,
    );
    expect(later.agentUtilisation[0]).toMatchObject({
      busySeconds: 3_600,
      idleSeconds: 1_800,
      offlineSeconds: 1_800,
    });
    expect(later.agentUtilisation[0]!.utilisation).toBeCloseTo(2 / 3, 6);
  });

  it('answers VALIDATION_ERROR for bad ranges', async () => {
    const ws = world.workspaceId;
    const calls = [
      gateway.gql(
        THROUGHPUT,
        { ws, from: '2025-06-05T00:00:00Z', to: '2025-06-02T00:00:00Z' },
        analyst,
      ),
      gateway.gql(
        THROUGHPUT,
        { ws, from: '2025-06-02T00:00:00Z', to: '2025-06-02T00:00:00Z' },
        analyst,
      ),
      gateway.gql(
        THROUGHPUT,
        { ws, from: '2025-01-01T00:00:00Z', to: '2025-06-02T00:00:00Z', interval: 'HOUR' },
        analyst,
      ),
      gateway.gql(
        UTILISATION,
        { ws, from: '2025-06-02T12:00:00Z', to: '2025-06-02T09:00:00Z' },
        analyst,
      ),
      gateway.gql(
        UTILISATION,
        { ws, from: '2024-01-01T00:00:00Z', to: '2025-06-02T00:00:00Z' },
        analyst,
      ),
    ];
    for (const call of calls) {
      expect(errorCode(await call)).toBe('VALIDATION_ERROR');
    }
  });

  it('serves a host’s samples over time from its HostSampled events', async () => {
    const { hostUsage } = await gateway.ok<{
      hostUsage: {
        time: string;
        samples: number;
        cpuPercent: number | null;
        memoryUsedBytes: number | null;
        memoryTotalBytes: number | null;
      }[];
    }>(
      HOST_USAGE,
      {
        ws: world.workspaceId,
        host: hostId,
        from: '2026-12-07T10:00:00Z',
        to: '2026-12-07T10:03:00Z',
        interval: 'MINUTE',
      },
      analyst,
    );

    expect(hostUsage).toEqual([
      {
        time: '2026-12-07T10:00:00.000Z',
        samples: 2,
        cpuPercent: 30,
        memoryUsedBytes: 5_000_000_000,
        memoryTotalBytes: 17_179_869_184,
      },
      {
        time: '2026-12-07T10:01:00.000Z',
        samples: 0,
        cpuPercent: null,
        memoryUsedBytes: null,
        memoryTotalBytes: null,
      },
      {
        time: '2026-12-07T10:02:00.000Z',
        samples: 1,
        cpuPercent: 90,
        memoryUsedBytes: 8_000_000_000,
        memoryTotalBytes: 17_179_869_184,
      },
    ]);
    const tooMany = await gateway.gql(
      HOST_USAGE,
      {
        ws: world.workspaceId,
        host: hostId,
        from: '2026-12-01T00:00:00Z',
        to: '2026-12-07T00:00:00Z',
        interval: 'MINUTE',
      },
      analyst,
    );
    expect(errorCode(tooMany)).toBe('VALIDATION_ERROR');
  });

  it('needs view_analytics: a key scoped without it is refused', async () => {
    const scoped: Principal = {
      kind: 'api_key',
      subject: 'key-1',
      workspaceId: world.workspaceId,
      role: 'admin',
      scopes: ['manage_agents'],
    };
    const range = {
      ws: world.workspaceId,
      from: '2025-06-02T00:00:00Z',
      to: '2025-06-03T00:00:00Z',
    };
    expect(errorCode(await gateway.gql(THROUGHPUT, range, scoped))).toBe('FORBIDDEN');
    expect(errorCode(await gateway.gql(UTILISATION, range, scoped))).toBe('FORBIDDEN');
    expect(errorCode(await gateway.gql(HOST_USAGE, { ...range, host: hostId }, scoped))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await gateway.gql(THROUGHPUT, range))).toBe('UNAUTHENTICATED');
  });
});
