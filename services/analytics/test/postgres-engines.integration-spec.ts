import type { INestApplication } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import { createEventTransport, type EventBusKind, silentLogger } from '@mission-control/eventing';
import { agentV1, missionV1 } from '@mission-control/proto';
import { memberPrincipal, probeReady, startServiceApp } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { PostgresMetricsStore } from '../src/metrics/postgres-metrics-store';
import { MetricsStore } from '../src/metrics/metrics-store.port';
import { RebuildRefusedError, RebuildService } from '../src/rebuild/rebuild.service';
import { PostgresSearchIndex } from '../src/search/postgres-search-index';
import { SearchIndex } from '../src/search/search-index.port';
import {
  analyticsTestConfig,
  EventPublisher,
  GatewayStandIn,
  settled,
  specStreams,
} from './analytics-test-kit';
import {
  SEARCH,
  THROUGHPUT,
  UTILISATION,
  type SearchView,
  type ThroughputView,
  type UtilisationView,
} from './analytics-queries';
import { WorkspaceWorld } from './analytics-world';

const { BoardColumn } = missionV1;
const { AgentStatus } = agentV1;
const at = (iso: string) => new Date(iso);
// Nothing listens there: the service must not need Elasticsearch or InfluxDB at all.
const NOWHERE = 'http://127.0.0.1:9';

// Kafka as in production with the Postgres adapters; then standalone: nothing but Postgres.
const buses: { bus: EventBusKind; checks: string[]; refusal: string }[] = [
  { bus: 'kafka', checks: ['kafka', 'postgres'], refusal: 'POSTGRES_ENGINE' },
  { bus: 'in-process', checks: ['postgres'], refusal: 'IN_PROCESS_EVENT_BUS' },
];

describe.each(buses)('analytics on Postgres search and metrics, EVENT_BUS=$bus', (expected) => {
  const streams = specStreams(`postgres-engines-${expected.bus}`);
  let app: INestApplication;
  let gateway: GatewayStandIn;
  let publisher: EventPublisher;
  let world: WorkspaceWorld;
  let viewer: Principal;
  let moon = '';
  let landed = '';
  let worker = '';

  beforeAll(async () => {
    const config = analyticsTestConfig(streams, {
      NODE_ENV: 'production',
      ANALYTICS_SEARCH_ENGINE: 'postgres',
      ANALYTICS_METRICS_ENGINE: 'postgres',
      ELASTICSEARCH_URL: NOWHERE,
      INFLUX_URL: NOWHERE,
      EVENT_BUS: expected.bus,
      ...(expected.bus === 'in-process' ? { KAFKA_BROKERS: '127.0.0.1:9' } : {}),
    });
    publisher = new EventPublisher(
      config.KAFKA_BROKERS,
      expected.bus === 'in-process'
        ? createEventTransport({
            bus: 'in-process',
            brokers: [],
            clientId: 'analytics-spec',
            logger: silentLogger,
          })
        : undefined,
    );
    await publisher.ensureTopics([streams.agentTopic, streams.missionTopic]);
    world = new WorkspaceWorld(publisher, streams);
    viewer = memberPrincipal(world.workspaceId, 'viewer');

    moon = await world.mission({
      title: 'Land on the moon',
      description: 'Descend carefully with the lunar module',
      tags: ['apollo'],
      at: at('2025-06-02T10:00:00Z'),
    });
    await world.move(moon, BoardColumn.IN_PROGRESS, at('2025-06-03T09:00:00Z'));
    await world.move(moon, BoardColumn.DONE, at('2025-06-04T15:30:00Z'));
    landed = await world.comment(
      moon,
      'The eagle has landed near Tranquility',
      at('2025-06-04T16:00:00Z'),
    );
    await world.mission({ title: 'Refuel the rover', at: at('2025-06-04T08:00:00Z') });

    worker = await world.agent(at('2025-06-02T00:00:00Z'));
    await world.statuses(worker, [
      [AgentStatus.IDLE, at('2025-06-02T08:00:00Z')],
      [AgentStatus.BUSY, at('2025-06-02T09:00:00Z')],
      [AgentStatus.IDLE, at('2025-06-02T11:00:00Z')],
      [AgentStatus.OFFLINE, at('2025-06-02T11:30:00Z')],
    ]);

    app = await startServiceApp(AppModule.forRoot(config));
    gateway = new GatewayStandIn(app);
    await settled(app);
  });
  afterAll(async () => {
    await app?.close();
    await publisher?.close();
  });

  it('is ready without Elasticsearch and InfluxDB, and checks neither', async () => {
    const { httpStatus, body } = await probeReady(app);
    expect(httpStatus).toBe(200);
    expect(Object.keys(body.checks).sort()).toEqual(expected.checks);
  });

  it('serves search and metrics from the Postgres adapters', () => {
    expect(app.get(SearchIndex)).toBeInstanceOf(PostgresSearchIndex);
    expect(app.get(MetricsStore)).toBeInstanceOf(PostgresMetricsStore);
  });

  it('finds what the events said, highlighted with <mark>', async () => {
    const search = async (query: string) =>
      (await gateway.ok<SearchView>(SEARCH, { ws: world.workspaceId, query }, viewer)).search;

    const lunar = await search('lunar');
    expect(lunar.hits).toEqual([
      expect.objectContaining({ kind: 'MISSION', missionId: moon, column: 'DONE' }),
    ]);
    expect(lunar.hits[0]!.highlights).toContainEqual({
      field: 'description',
      fragments: [expect.stringContaining('<mark>lunar</mark>')],
    });

    const comment = await search('tranquility');
    expect(comment.hits).toEqual([
      expect.objectContaining({
        kind: 'COMMENT',
        missionId: moon,
        commentId: landed,
        title: 'Land on the moon',
        column: 'DONE',
      }),
    ]);
  });

  it('counts missions created and done per day', async () => {
    const { missionThroughput } = await gateway.ok<ThroughputView>(
      THROUGHPUT,
      { ws: world.workspaceId, from: '2025-06-02T00:00:00Z', to: '2025-06-05T00:00:00Z' },
      viewer,
    );
    expect(missionThroughput).toEqual([
      { time: '2025-06-02T00:00:00.000Z', created: 1, done: 0 },
      { time: '2025-06-03T00:00:00.000Z', created: 0, done: 0 },
      { time: '2025-06-04T00:00:00.000Z', created: 1, done: 1 },
    ]);
  });

  it('integrates an agent’s busy → idle → offline timeline', async () => {
    const { agentUtilisation } = await gateway.ok<UtilisationView>(
      UTILISATION,
      { ws: world.workspaceId, from: '2025-06-02T09:00:00Z', to: '2025-06-02T12:00:00Z' },
      viewer,
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
  });

  it('refuses a rebuild, naming the reason, before touching anything', async () => {
    const rebuild = app.get(RebuildService);
    const refused = await rebuild.rebuild(() => undefined).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RebuildRefusedError);
    expect(refused).toMatchObject({ reason: expected.refusal, code: 'VALIDATION_ERROR' });
  });
});
