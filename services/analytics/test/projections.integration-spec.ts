import type { INestApplication } from '@nestjs/common';
import { agentV1, missionV1 } from '@mission-control/proto';
import { startServiceApp, testRunId, memberPrincipal } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { PrismaService } from '../src/database/prisma.service';
import { InfluxMetricsStore } from '../src/metrics/influx-metrics-store';
import { ProjectionPipeline } from '../src/projections/projection.pipeline';
import { RebuildService } from '../src/rebuild/rebuild.service';
import { ElasticsearchSearchIndex } from '../src/search/elasticsearch-search-index';
import {
  analyticsTestConfig,
  eventually,
  EventPublisher,
  GatewayStandIn,
  settled,
  specStreams,
} from './analytics-test-kit';
import { SEARCH, type SearchView } from './analytics-queries';
import { WorkspaceWorld } from './analytics-world';

const { BoardColumn } = missionV1;
const { AgentStatus } = agentV1;
const streams = specStreams('projections');
const minute = (n: number) => new Date(Date.UTC(2025, 6, 7, 8) + n * 60_000);

describe('analytics projections', () => {
  let app: INestApplication;
  let gateway: GatewayStandIn;
  let publisher: EventPublisher;
  const worlds: WorkspaceWorld[] = [];

  /** Everything both projections hold, in a canonical order. */
  const dump = async () => ({
    documents: await app.get(ElasticsearchSearchIndex).dump(),
    points: await app.get(InfluxMetricsStore).dump(),
  });

  const inboxSize = () =>
    app.get(PrismaService).inboxEntry.count({ where: { consumer: streams.consumerGroup } });

  beforeAll(async () => {
    // An index prefix and InfluxDB database of this spec alone: a rebuild swaps and drops them.
    const config = analyticsTestConfig(streams, {
      NODE_ENV: 'production',
      ELASTICSEARCH_INDEX_PREFIX: `${testRunId()}-projections`,
      INFLUX_DATABASE: `${testRunId()}_projections`,
    });
    publisher = new EventPublisher(config.KAFKA_BROKERS);
    await publisher.ensureTopics([streams.agentTopic, streams.missionTopic]);
    for (let w = 0; w < 2; w += 1) {
      const world = new WorkspaceWorld(publisher, streams);
      worlds.push(world);
      for (let m = 0; m < 5; m += 1) {
        const id = await world.mission({
          title: `Mission ${m} of workspace ${w}`,
          description: `Survey sector ${m} for helium`,
          tags: [`sector-${m}`],
          at: minute(m),
        });
        await world.move(id, BoardColumn.IN_PROGRESS, minute(m + 10));
        await world.comment(id, `Sector ${m} looks promising`, minute(m + 11));
        await world.update(
          id,
          { title: `Mission ${m} renamed`, description: 'Survey for helium-3', tags: ['survey'] },
          minute(m + 12),
        );
        if (m % 2 === 0) {
          await world.move(id, BoardColumn.DONE, minute(m + 30));
        }
      }
      const agentId = await world.agent(minute(0));
      await world.statuses(agentId, [
        [AgentStatus.IDLE, minute(1)],
        [AgentStatus.BUSY, minute(5)],
        [AgentStatus.IDLE, minute(25)],
        [AgentStatus.OFFLINE, minute(40)],
      ]);
      // One claimed mission run to the end: its start, usage and end, and its response times.
      const worked = await world.mission({ title: `Work of workspace ${w}`, at: minute(1) });
      await world.assign(worked, agentId, minute(2));
      await world.claim(worked, agentId, 1, minute(3));
      const runId = await world.startRun({
        missionId: worked,
        agentId,
        claimEpoch: 1,
        at: minute(4),
      });
      await world.log(runId, ['starting'], minute(5));
      await world.usage(runId, {
        inputTokens: 1_000,
        outputTokens: 200,
        costMicroUsd: 4_000,
        at: minute(6),
      });
      await world.finish(runId, missionV1.RunOutcome.SUCCEEDED, minute(7));
    }
    app = await startServiceApp(AppModule.forRoot(config));
    gateway = new GatewayStandIn(app);
    await settled(app);
  });
  afterAll(async () => {
    await app?.close();
    await publisher?.close();
  });

  it('projects every mission and comment, and every status change and flow point', async () => {
    const { documents, points } = await dump();
    expect(documents.filter((doc) => doc.source.kind === 'mission')).toHaveLength(12);
    expect(documents.filter((doc) => doc.source.kind === 'comment')).toHaveLength(10);
    // A comment carries its mission's facts as of the mission's last event.
    expect(documents.find((doc) => doc.source.kind === 'comment')).toMatchObject({
      source: { missionTitle: expect.stringMatching(/renamed$/), tags: ['survey'] },
    });
    expect(points.filter((point) => point.measurement === 'agent_status')).toHaveLength(8);
    // 12 created, 6 done.
    expect(points.filter((point) => point.measurement === 'mission_flow')).toHaveLength(18);
    expect(points.filter((point) => point.measurement === 'agent_run')).toHaveLength(6);
    expect(points.filter((point) => point.measurement === 'agent_response')).toEqual([
      expect.objectContaining({
        fields: { claim_seconds: 60, first_output_seconds: 120, response_seconds: 180 },
      }),
      expect.objectContaining({
        fields: { claim_seconds: 60, first_output_seconds: 120, response_seconds: 180 },
      }),
    ]);
  });

  it('changes nothing when every event is delivered again', async () => {
    const before = await dump();
    const inbox = await inboxSize();
    await publisher.republish(publisher.published);
    await settled(app);
    expect(await inboxSize()).toBe(inbox);
    expect(await dump()).toEqual(before);
  });

  it('writes idempotently even past the inbox: a second consumer replaying into the live index changes nothing', async () => {
    const before = await dump();
    const pipeline = app.get(ProjectionPipeline);
    const replay = await pipeline.start({ name: `${streams.consumerGroup}.again` });
    try {
      await eventually(async () => {
        expect(await replay.consumer.lag()).toBe(0);
      }, 30_000);
    } finally {
      await replay.stop();
    }
    expect(await dump()).toEqual(before);
  });

  it('rebuilds both projections from the topics into the same documents and series, searchable throughout', async () => {
    const before = await dump();
    const search = app.get(ElasticsearchSearchIndex);
    const [oldIndex] = await search.aliasedIndices();
    const viewer = memberPrincipal(worlds[0]!.workspaceId, 'viewer');
    const ask = () =>
      gateway.ok<SearchView>(SEARCH, { ws: worlds[0]!.workspaceId, query: 'helium' }, viewer);

    let rebuilding = true;
    const answers: number[] = [];
    const searching = (async () => {
      while (rebuilding) {
        answers.push((await ask()).search.total);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const lines: string[] = [];
    const summary = await app
      .get(RebuildService)
      .rebuild((line) => lines.push(line), { progressEveryMs: 200 })
      .finally(() => {
        rebuilding = false;
      });
    await searching;

    expect(summary.replacedIndices).toEqual([oldIndex]);
    // Each event once: the copies the redelivery put on the topics are skipped by the inbox.
    expect(summary.events).toBe(publisher.published.length);
    expect(await search.aliasedIndices()).toEqual([summary.index]);
    expect(await search.generations()).toEqual([summary.index]);
    for (const step of [1, 2, 3, 4, 5, 6]) {
      expect(lines.some((line) => line.startsWith(`[${step}/6]`))).toBe(true);
    }
    expect(lines[lines.length - 1]).toMatch(
      /^rebuild done: \d+ events in [\d.]+ s = \d+ events\/s$/,
    );
    // Search answered all along, from the old index and then from the new one.
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((total) => total === 5)).toBe(true);

    expect(await dump()).toEqual(before);
    // The rebuild's scratch state is gone; the live consumer's is untouched.
    const prisma = app.get(PrismaService);
    expect(
      await prisma.missionState.count({ where: { consumer: { contains: '.rebuild.' } } }),
    ).toBe(0);

    // And the live projections keep writing into the rebuilt index.
    const missionId = before.documents.find(
      (doc) => doc.source.workspaceId === worlds[0]!.workspaceId && doc.source.kind === 'mission',
    )!.source.missionId;
    const commentId = await worlds[0]!.comment(missionId, 'Found a wormhole', new Date());
    await eventually(async () => {
      const { search: found } = await gateway.ok<SearchView>(
        SEARCH,
        { ws: worlds[0]!.workspaceId, query: 'wormhole' },
        viewer,
      );
      expect(found.hits.map((hit) => hit.commentId)).toEqual([commentId]);
    });
  });
});
