import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import { createEventTransport, type EventBusKind, silentLogger } from '@mission-control/eventing';
import { missionV1 } from '@mission-control/proto';
import { memberPrincipal, startServiceApp } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { InfluxMetricsStore } from '../src/metrics/influx-metrics-store';
import { MetricsStore } from '../src/metrics/metrics-store.port';
import { PostgresMetricsStore } from '../src/metrics/postgres-metrics-store';
import {
  analyticsTestConfig,
  errorCode,
  EventPublisher,
  GatewayStandIn,
  settled,
  specStreams,
} from './analytics-test-kit';
import {
  AGENT_RUN_STATS,
  COST_OVER_TIME,
  type AgentRunStatsView,
  type CostOverTimeView,
} from './analytics-queries';
import { WorkspaceWorld } from './analytics-world';

const { Billing, RunOutcome } = missionV1;
const at = (iso: string) => new Date(iso);
const NOWHERE = 'http://127.0.0.1:9';

// As deployed (InfluxDB over Kafka), and standalone (Postgres over the in-process bus).
const setups: { engine: 'influxdb' | 'postgres'; bus: EventBusKind }[] = [
  { engine: 'influxdb', bus: 'kafka' },
  { engine: 'postgres', bus: 'in-process' },
];

const RANGE = { from: '2025-06-02T00:00:00Z', to: '2025-06-04T00:00:00Z' };

describe.each(setups)('costs and agent runs, metrics in $engine over $bus', (setup) => {
  const streams = specStreams(`costs-${setup.engine}`);
  let app: INestApplication;
  let gateway: GatewayStandIn;
  let publisher: EventPublisher;
  let world: WorkspaceWorld;
  let viewer: Principal;
  let scout = '';
  let lander = '';

  beforeAll(async () => {
    const config = analyticsTestConfig(streams, {
      NODE_ENV: 'production',
      ANALYTICS_METRICS_ENGINE: setup.engine,
      ...(setup.engine === 'postgres'
        ? { ANALYTICS_SEARCH_ENGINE: 'postgres', ELASTICSEARCH_URL: NOWHERE, INFLUX_URL: NOWHERE }
        : {}),
      EVENT_BUS: setup.bus,
      ...(setup.bus === 'in-process' ? { KAFKA_BROKERS: '127.0.0.1:9' } : {}),
    });
    publisher = new EventPublisher(
      config.KAFKA_BROKERS,
      setup.bus === 'in-process'
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
    scout = await world.agent(at('2025-06-01T00:00:00Z'));
    lander = await world.agent(at('2025-06-01T00:00:00Z'));

    // Scout: assigned at 10:00, claims 20 s later, first line 45 s after that; two usage reports;
    // succeeds after 4 minutes.
    const survey = await world.mission({ title: 'Survey', at: at('2025-06-02T09:00:00Z') });
    await world.assign(survey, scout, at('2025-06-02T10:00:00Z'));
    await world.claim(survey, scout, 1, at('2025-06-02T10:00:20Z'));
    const first = await world.startRun({
      missionId: survey,
      agentId: scout,
      claimEpoch: 1,
      at: at('2025-06-02T10:01:00Z'),
    });
    await world.log(first, ['cloning', 'building'], at('2025-06-02T10:01:05Z'));
    await world.usage(first, {
      inputTokens: 10_000,
      outputTokens: 2_000,
      cachedInputTokens: 8_000,
      costMicroUsd: 38_400,
      at: at('2025-06-02T10:02:00Z'),
    });
    await world.log(first, ['testing'], at('2025-06-02T10:03:00Z'), 3);
    await world.usage(first, {
      inputTokens: 1_000,
      outputTokens: 500,
      costMicroUsd: 1_600,
      at: at('2025-06-02T10:03:00Z'),
    });
    await world.finish(first, RunOutcome.SUCCEEDED, at('2025-06-02T10:05:00Z'));

    // Scout again, on a flat-rate plan: its run's log is published before the claim (another
    // stream, so another partition); it fails after 19 minutes.
    const map = await world.mission({ title: 'Map', at: at('2025-06-02T09:00:00Z') });
    await world.assign(map, scout, at('2025-06-02T11:00:00Z'));
    const second = await world.startRun({
      missionId: map,
      agentId: scout,
      claimEpoch: 1,
      billing: Billing.SUBSCRIPTION,
      at: at('2025-06-02T11:01:00Z'),
    });
    await world.log(second, ['mapping'], at('2025-06-02T11:01:20Z'));
    await world.claim(map, scout, 1, at('2025-06-02T11:00:40Z'));
    await world.usage(second, {
      inputTokens: 20_000,
      outputTokens: 4_000,
      costMicroUsd: 50_000,
      at: at('2025-06-02T11:10:00Z'),
    });
    await world.finish(second, RunOutcome.FAILED, at('2025-06-02T11:20:00Z'));

    // Lander: claims after 10 s on the 3rd, still running, one usage report, no log line yet.
    const land = await world.mission({ title: 'Land', at: at('2025-06-03T08:00:00Z') });
    await world.assign(land, lander, at('2025-06-03T09:00:00Z'));
    await world.claim(land, lander, 1, at('2025-06-03T09:00:10Z'));
    const third = await world.startRun({
      missionId: land,
      agentId: lander,
      claimEpoch: 1,
      at: at('2025-06-03T09:01:00Z'),
    });
    await world.usage(third, {
      inputTokens: 1_000,
      outputTokens: 100,
      costMicroUsd: 10_000,
      at: at('2025-06-03T09:30:00Z'),
    });
    // An unpriced report: counted, at no cost.
    await world.usage(third, {
      inputTokens: 5,
      outputTokens: 5,
      costMicroUsd: 0,
      unpriced: true,
      at: at('2025-06-03T09:31:00Z'),
    });

    app = await startServiceApp(AppModule.forRoot(config));
    gateway = new GatewayStandIn(app);
    await settled(app);
  });
  afterAll(async () => {
    await app?.close();
    await publisher?.close();
  });

  const stats = async (variables: Record<string, unknown> = {}, by: Principal = viewer) =>
    (
      await gateway.ok<AgentRunStatsView>(
        AGENT_RUN_STATS,
        { ws: world.workspaceId, ...RANGE, ...variables },
        by,
      )
    ).agentRunStats;
  const costs = async (variables: Record<string, unknown> = {}) =>
    (
      await gateway.ok<CostOverTimeView>(
        COST_OVER_TIME,
        { ws: world.workspaceId, ...RANGE, ...variables },
        viewer,
      )
    ).costOverTime;

  it('uses the configured metrics adapter', () => {
    expect(app.get(MetricsStore)).toBeInstanceOf(
      setup.engine === 'postgres' ? PostgresMetricsStore : InfluxMetricsStore,
    );
  });

  it('gives each agent its runs, success rate, tokens, cost, duration and response times', async () => {
    const page = await stats();
    expect(page.totalCount).toBe(2);
    expect(page.nodes).toEqual([
      {
        agentId: scout,
        runs: 2,
        finishedRuns: 2,
        succeededRuns: 1,
        successRate: 0.5,
        inputTokens: 31_000,
        outputTokens: 6_500,
        cachedInputTokens: 8_000,
        costUsd: 0.09,
        estimatedCostUsd: 0.05,
        unpricedReports: 0,
        meanRunSeconds: (240 + 1_140) / 2,
        meanClaimSeconds: 30,
        meanFirstOutputSeconds: 42.5,
        meanResponseSeconds: 72.5,
      },
      {
        agentId: lander,
        runs: 1,
        finishedRuns: 0,
        succeededRuns: 0,
        successRate: null,
        inputTokens: 1_005,
        outputTokens: 105,
        cachedInputTokens: 0,
        costUsd: 0.01,
        estimatedCostUsd: 0,
        unpricedReports: 1,
        meanRunSeconds: null,
        meanClaimSeconds: 10,
        meanFirstOutputSeconds: null,
        meanResponseSeconds: null,
      },
    ]);
  });

  it('gives the workspace’s cost per day, the flat-rate part apart, and one agent’s per hour', async () => {
    expect(await costs()).toEqual([
      {
        time: '2025-06-02T00:00:00.000Z',
        costUsd: 0.09,
        estimatedCostUsd: 0.05,
        inputTokens: 31_000,
        outputTokens: 6_500,
        cachedInputTokens: 8_000,
      },
      {
        time: '2025-06-03T00:00:00.000Z',
        costUsd: 0.01,
        estimatedCostUsd: 0,
        inputTokens: 1_005,
        outputTokens: 105,
        cachedInputTokens: 0,
      },
    ]);
    const hours = await costs({
      from: '2025-06-02T10:00:00Z',
      to: '2025-06-02T13:00:00Z',
      interval: 'HOUR',
      agentId: scout,
    });
    expect(hours.map((point) => [point.time, point.costUsd, point.estimatedCostUsd])).toEqual([
      ['2025-06-02T10:00:00.000Z', 0.04, 0],
      ['2025-06-02T11:00:00.000Z', 0.05, 0.05],
      ['2025-06-02T12:00:00.000Z', 0, 0],
    ]);
    const landers = await costs({ agentId: lander });
    expect(landers.map((point) => point.costUsd)).toEqual([0, 0.01]);
  });

  it('pages the agents, who cost most first', async () => {
    const first = await stats({ first: 1 });
    expect(first.nodes.map((node) => node.agentId)).toEqual([scout]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await stats({ first: 1, after: first.pageInfo.endCursor });
    expect(second.nodes.map((node) => node.agentId)).toEqual([lander]);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it('counts nothing twice when every event is delivered again', async () => {
    const before = { stats: await stats(), costs: await costs() };
    await publisher.republish(publisher.published);
    await settled(app);
    expect({ stats: await stats(), costs: await costs() }).toEqual(before);
  });

  it('answers VALIDATION_ERROR for bad paging and ranges', async () => {
    const ws = world.workspaceId;
    const calls = [
      gateway.gql(AGENT_RUN_STATS, { ws, ...RANGE, first: 0 }, viewer),
      gateway.gql(AGENT_RUN_STATS, { ws, ...RANGE, first: 101 }, viewer),
      gateway.gql(AGENT_RUN_STATS, { ws, ...RANGE, after: 'not-a-cursor' }, viewer),
      gateway.gql(AGENT_RUN_STATS, { ws, from: RANGE.to, to: RANGE.from }, viewer),
      gateway.gql(AGENT_RUN_STATS, { ws, from: '2024-01-01T00:00:00Z', to: RANGE.to }, viewer),
      gateway.gql(COST_OVER_TIME, { ws, from: RANGE.to, to: RANGE.from }, viewer),
      gateway.gql(
        COST_OVER_TIME,
        { ws, from: '2025-01-01T00:00:00Z', to: RANGE.to, interval: 'HOUR' },
        viewer,
      ),
      gateway.gql(COST_OVER_TIME, { ws, ...RANGE, agentId: 'scout' }, viewer),
    ];
    for (const call of calls) {
      expect(errorCode(await call)).toBe('VALIDATION_ERROR');
    }
  });

  it('shows a workspace only to its members with view_analytics, before looking at arguments', async () => {
    const outsider = memberPrincipal(randomUUID(), 'admin');
    const scoped: Principal = {
      kind: 'api_key',
      subject: 'key-1',
      workspaceId: world.workspaceId,
      role: 'admin',
      scopes: ['manage_agents'],
    };
    const ws = world.workspaceId;
    for (const by of [outsider, scoped]) {
      expect(errorCode(await gateway.gql(COST_OVER_TIME, { ws, ...RANGE }, by))).toBe('FORBIDDEN');
      expect(
        errorCode(await gateway.gql(AGENT_RUN_STATS, { ws, ...RANGE, after: 'bad' }, by)),
      ).toBe('FORBIDDEN');
    }
    // In its own workspace the outsider sees none of these runs.
    const own = await gateway.ok<AgentRunStatsView>(
      AGENT_RUN_STATS,
      { ws: outsider.workspaceId, ...RANGE },
      outsider,
    );
    expect(own.agentRunStats).toEqual({
      totalCount: 0,
      pageInfo: { endCursor: null, hasNextPage: false },
      nodes: [],
    });
  });
});
