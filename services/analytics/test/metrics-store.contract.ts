import { randomUUID } from 'node:crypto';
import { memberPrincipal } from '@mission-control/testing';
import { HostUsageService } from '../src/hosts/host-usage.service';
import {
  longStreamPointTimestamp,
  pointTimestamp,
  type MetricPoint,
} from '../src/metrics/metric-points';
import type { MetricsStore } from '../src/metrics/metrics-store.port';
import { MetricsService } from '../src/metrics/metrics.service';
import { CostsService } from '../src/costs/costs.service';
import type { Billing } from '../src/metrics/agent-runs';
import type { AgentStatus } from '../src/metrics/status-timeline';
import type { Interval } from '../src/metrics/time-buckets';

/** An adapter under test, and how to let go of what it holds. */
export type MetricsStoreUnderTest = { store: MetricsStore; close(): Promise<void> };

const at = (iso: string) => new Date(iso);
const GIB = 1_073_741_824;

/** One workspace's points, shaped as the projections write them (agent-state, mission-state). */
class Workspace {
  readonly id = randomUUID();
  readonly points: MetricPoint[] = [];

  private flow(missionId: string, time: Date, version: number, fields: MetricPoint['fields']) {
    this.points.push({
      measurement: 'mission_flow',
      tags: { workspace_id: this.id, mission_id: missionId },
      fields,
      timestamp: pointTimestamp(time, version),
    });
  }

  created(missionId: string, time: Date, options: { inDone?: boolean } = {}): this {
    this.flow(missionId, time, 1, { created: 1, ...(options.inDone ? { done: 1 } : {}) });
    return this;
  }

  done(missionId: string, time: Date, version: number, cycleTimeSeconds?: number): this {
    this.flow(missionId, time, version, {
      done: 1,
      ...(cycleTimeSeconds === undefined ? {} : { cycle_time_seconds: cycleTimeSeconds }),
    });
    return this;
  }

  /** A run's points (run-state.ts): its start, usage reports and end, versions counted from 1. */
  run(
    agentId: string,
    billing: Billing,
    steps: [Date, MetricPoint['fields']][],
    runId: string = randomUUID(),
  ): this {
    steps.forEach(([time, fields], index) => {
      this.points.push({
        measurement: 'agent_run',
        tags: { workspace_id: this.id, agent_id: agentId, run_id: runId, billing },
        fields,
        timestamp: pointTimestamp(time, index + 1),
      });
    });
    return this;
  }

  /** A claim's response point, written as the projections do: the claim, then its first output. */
  response(agentId: string, missionId: string, claimedAt: Date, fields: MetricPoint['fields']) {
    const { claim_seconds, ...rest } = fields;
    for (const part of [{ claim_seconds }, rest]) {
      const known = Object.fromEntries(
        Object.entries(part).filter((entry): entry is [string, number] => entry[1] !== undefined),
      );
      if (Object.keys(known).length > 0) {
        this.points.push({
          measurement: 'agent_response',
          tags: { workspace_id: this.id, agent_id: agentId, mission_id: missionId },
          fields: known,
          timestamp: pointTimestamp(claimedAt, 3),
        });
      }
    }
    return this;
  }

  /** Samples of one host ([time, cpu %, memory used]), as host-usage.ts makes them. */
  samples(hostId: string, firstVersion: number, samples: [Date, number, number][]): this {
    samples.forEach(([time, cpu, memory], index) => {
      this.points.push({
        measurement: 'host_usage',
        tags: { workspace_id: this.id, host_id: hostId },
        fields: {
          cpu_percent: cpu,
          memory_used_bytes: memory,
          memory_total_bytes: 64 * GIB,
          disk_used_bytes: 100 * GIB + index,
          disk_total_bytes: 500 * GIB,
        },
        timestamp: longStreamPointTimestamp(time, firstVersion + index),
      });
    });
    return this;
  }

  /** Status changes of one agent: [status, time], its stream versions counted from 2. */
  statuses(agentId: string, changes: [AgentStatus, Date][]): this {
    let previous: AgentStatus = 'inactive';
    changes.forEach(([status, time], index) => {
      this.points.push({
        measurement: 'agent_status',
        tags: { workspace_id: this.id, agent_id: agentId },
        fields: { status, previous_status: previous, previous_seconds: 0 },
        timestamp: pointTimestamp(time, index + 2),
      });
      previous = status;
    });
    return this;
  }
}

// Monday 2 June 2025 to Friday 6 June, and the next week.
const BOARD = {
  from: at('2025-06-02T00:00:00Z'),
  to: at('2025-06-06T00:00:00Z'),
  weekTo: at('2025-06-16T00:00:00Z'),
};
// 30.5 hours: first IN_PROGRESS on the 3rd at 09:00, DONE on the 4th at 15:30.
const SHIPPED_CYCLE_SECONDS = 30.5 * 3_600;

/** Missions whose creations and completions fall inside, on and just outside the ranges asked. */
function board(ws: Workspace): Workspace {
  return (
    ws
      .created('shipped', at('2025-06-02T10:00:00Z'))
      .done('shipped', at('2025-06-04T15:30:00Z'), 4, SHIPPED_CYCLE_SECONDS)
      // Two missions created in the same millisecond: two series, both counted.
      .created('next', at('2025-06-04T08:00:00Z'))
      .created('twin', at('2025-06-04T08:00:00Z'))
      // Created straight into DONE: done, with no cycle time.
      .created('hotfix', at('2025-06-05T23:59:59.999Z'), { inDone: true })
      // `from` is inclusive, `to` exclusive.
      .created('at-from', BOARD.from)
      .created('early', at('2025-06-01T23:59:59.999Z'))
      .done('early', BOARD.to, 3, 3_600)
  );
}

// Agents over 09:30–12:00 on the 2nd.
const SHIFT = { from: at('2025-06-02T09:30:00Z'), to: at('2025-06-02T12:00:00Z') };

function shift(ws: Workspace): Workspace {
  return (
    ws
      // Busy when the range starts; then idle, offline, and a change after the range.
      .statuses('worker', [
        ['idle', at('2025-06-02T08:00:00Z')],
        ['busy', at('2025-06-02T09:00:00Z')],
        ['idle', at('2025-06-02T11:00:00Z')],
        ['offline', at('2025-06-02T11:30:00Z')],
        ['idle', at('2025-06-02T13:00:00Z')],
      ])
      // No status before the range.
      .statuses('late', [['busy', at('2025-06-02T10:00:00Z')]])
      // Changes in one millisecond: the one of the later stream version is in force.
      .statuses('flicker', [
        ['busy', at('2025-06-02T09:00:00Z')],
        ['idle', at('2025-06-02T09:00:00Z')],
        ['busy', at('2025-06-02T10:00:00Z')],
        ['offline', at('2025-06-02T10:00:00Z')],
      ])
      // Only after the range: not listed.
      .statuses('future', [['busy', at('2025-06-02T12:00:00Z')]])
  );
}

const bucket = (iso: string, created: number, done: number) => ({ time: at(iso), created, done });

const usage = (input: number, output: number, cached: number, costMicroUsd: number) => ({
  input_tokens: input,
  output_tokens: output,
  cached_input_tokens: cached,
  cost_micro_usd: costMicroUsd,
  unpriced_reports: 0,
});

// Runs over Monday 2 June and Tuesday the 3rd.
const SQUAD = { from: at('2025-06-02T00:00:00Z'), to: at('2025-06-04T00:00:00Z') };

/** Runs and claims inside, on and just outside the ranges asked. */
function squad(ws: Workspace): Workspace {
  return (
    ws
      // Metered, succeeded after 240 s; two usage reports in two hours.
      .run('scout', 'metered', [
        [at('2025-06-02T10:01:00Z'), { started: 1 }],
        [at('2025-06-02T10:59:59.999Z'), usage(10_000, 2_000, 8_000, 38_400)],
        [at('2025-06-02T11:00:00Z'), usage(1_000, 500, 0, 1_600)],
        [at('2025-06-02T11:05:00Z'), { finished: 1, succeeded: 1, duration_seconds: 240 }],
      ])
      // Flat rate, failed after 1,140 s; an unpriced report.
      .run('scout', 'subscription', [
        [at('2025-06-02T11:01:00Z'), { started: 1 }],
        [at('2025-06-02T11:10:00Z'), usage(20_000, 4_000, 0, 50_000)],
        [at('2025-06-02T11:11:00Z'), { ...usage(5, 5, 0, 0), unpriced_reports: 1 }],
        [at('2025-06-02T11:20:00Z'), { finished: 1, succeeded: 0, duration_seconds: 1_140 }],
      ])
      // Started before the range, its usage inside and its end after it.
      .run('lander', 'metered', [
        [at('2025-06-01T23:00:00Z'), { started: 1 }],
        [SQUAD.from, usage(1_000, 100, 0, 10_000)],
        [SQUAD.to, { finished: 1, succeeded: 1, duration_seconds: 176_400 }],
      ])
      // Two runs of one agent in the same millisecond: two series, both counted.
      .run('twin', 'metered', [[at('2025-06-03T12:00:00Z'), usage(1, 1, 0, 7)]])
      .run('twin', 'metered', [[at('2025-06-03T12:00:00Z'), usage(1, 1, 0, 7)]])
      .response('scout', 'survey', at('2025-06-02T10:00:20Z'), {
        claim_seconds: 20,
        first_output_seconds: 45,
        response_seconds: 65,
      })
      .response('scout', 'map', at('2025-06-02T11:00:40Z'), {
        claim_seconds: 40,
        first_output_seconds: 40,
        response_seconds: 80,
      })
      // No assignment seen: a first output only.
      .response('lander', 'land', at('2025-06-03T09:00:10Z'), { first_output_seconds: 12 })
      // Claimed after the range.
      .response('lander', 'late', SQUAD.to, { claim_seconds: 1 })
  );
}

const runTotals = (agentId: string, billing: Billing, fields: Record<string, number>) => ({
  agentId,
  billing,
  started: 0,
  finished: 0,
  succeeded: 0,
  durationSeconds: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  costMicroUsd: 0,
  unpricedReports: 0,
  ...fields,
});

const costBucket = (iso: string, billing: Billing, fields: Record<string, number>) => ({
  time: at(iso),
  billing,
  costMicroUsd: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  ...fields,
});

/**
 * What every metrics adapter must do alike (ARCHITECTURE rule 9): the same points in, the same
 * answers out, both from the store and from MetricsService over it. `makeStore` gives a ready
 * store, shared by the suite's tests; each test reads workspaces of its own.
 */
export function describeMetricsStoreContract(
  name: string,
  makeStore: () => Promise<MetricsStoreUnderTest>,
): void {
  describe(`metrics store contract: ${name}`, () => {
    let underTest: MetricsStoreUnderTest;
    const store = () => underTest.store;
    const service = () => new MetricsService(underTest.store);
    const costs = () => new CostsService(underTest.store);
    // A range reaching past "now" is cut at now: this one is long past.
    const now = at('2030-01-01T00:00:00Z');

    const throughput = (ws: Workspace, from: Date, to: Date, interval: Interval) =>
      service().throughput(memberPrincipal(ws.id, 'viewer'), ws.id, from, to, interval);
    const utilisation = (ws: Workspace, from: Date, to: Date) =>
      service().utilisation(memberPrincipal(ws.id, 'viewer'), ws.id, from, to, now);
    const timelines = async (ws: Workspace, from: Date, to: Date) =>
      (await store().agentTimelines(ws.id, from, to)).sort((a, b) =>
        a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0,
      );

    /** Everything the suite asks of a workspace, for comparing before and after. */
    const answers = async (ws: Workspace) => ({
      day: await throughput(ws, BOARD.from, BOARD.to, 'day'),
      hour: await throughput(ws, at('2025-06-04T07:00:00Z'), at('2025-06-04T17:00:00Z'), 'hour'),
      week: await throughput(ws, BOARD.from, BOARD.weekTo, 'week'),
      rawDay: await store().throughput(ws.id, BOARD.from, BOARD.to, 'day'),
      completions: await store().completions(ws.id, BOARD.from, BOARD.weekTo),
      timelines: await timelines(ws, SHIFT.from, SHIFT.to),
      utilisation: await utilisation(ws, SHIFT.from, SHIFT.to),
      runTotals: await store().runTotals(ws.id, SQUAD.from, SQUAD.to),
      responseTotals: await store().responseTotals(ws.id, SQUAD.from, SQUAD.to),
      costs: await store().costs(ws.id, SQUAD.from, SQUAD.to, 'day', null),
      agentRunStats: await costs().agentRunStats(
        memberPrincipal(ws.id, 'viewer'),
        ws.id,
        SQUAD.from,
        SQUAD.to,
        50,
        null,
      ),
    });

    beforeAll(async () => {
      underTest = await makeStore();
      await store().ensureStorage();
      // Again, and at once: creating what exists is no error.
      await Promise.all([store().ensureStorage(), store().ensureStorage()]);
    });
    afterAll(() => underTest?.close());

    describe('mission throughput and cycle time', () => {
      const ws = board(new Workspace());
      beforeAll(() => store().write(ws.points));

      it('counts per day, with zeros for the days nothing happened', async () => {
        expect(await throughput(ws, BOARD.from, BOARD.to, 'day')).toEqual([
          bucket('2025-06-02T00:00:00Z', 2, 0),
          bucket('2025-06-03T00:00:00Z', 0, 0),
          bucket('2025-06-04T00:00:00Z', 2, 1),
          bucket('2025-06-05T00:00:00Z', 1, 1),
        ]);
        // The store leaves the empty buckets out.
        expect(await store().throughput(ws.id, BOARD.from, BOARD.to, 'day')).toEqual([
          bucket('2025-06-02T00:00:00Z', 2, 0),
          bucket('2025-06-04T00:00:00Z', 2, 1),
          bucket('2025-06-05T00:00:00Z', 1, 1),
        ]);
      });

      it('counts per hour', async () => {
        const from = at('2025-06-04T07:00:00Z');
        const to = at('2025-06-04T17:00:00Z');
        const series = await throughput(ws, from, to, 'hour');
        expect(series).toHaveLength(10);
        expect(series.filter((entry) => entry.created + entry.done > 0)).toEqual([
          bucket('2025-06-04T08:00:00Z', 2, 0),
          bucket('2025-06-04T15:00:00Z', 0, 1),
        ]);
        expect(await store().throughput(ws.id, from, to, 'hour')).toEqual([
          bucket('2025-06-04T08:00:00Z', 2, 0),
          bucket('2025-06-04T15:00:00Z', 0, 1),
        ]);
      });

      it('counts per week, weeks starting on Mondays, the first one cut at `from`', async () => {
        expect(await throughput(ws, BOARD.from, BOARD.weekTo, 'week')).toEqual([
          bucket('2025-06-02T00:00:00Z', 5, 3),
          bucket('2025-06-09T00:00:00Z', 0, 0),
        ]);
        // From Wednesday: Monday's and Tuesday's creations are outside, the bucket still Monday's.
        const wednesday = at('2025-06-04T00:00:00Z');
        expect(await throughput(ws, wednesday, at('2025-06-11T00:00:00Z'), 'week')).toEqual([
          bucket('2025-06-02T00:00:00Z', 3, 3),
          bucket('2025-06-09T00:00:00Z', 0, 0),
        ]);
        expect(
          await store().throughput(ws.id, wednesday, at('2025-06-11T00:00:00Z'), 'week'),
        ).toEqual([bucket('2025-06-02T00:00:00Z', 3, 3)]);
      });

      it('keeps the cycle time with each move into DONE', async () => {
        expect(await store().completions(ws.id, BOARD.from, BOARD.to)).toEqual([
          {
            missionId: 'shipped',
            time: at('2025-06-04T15:30:00Z'),
            cycleTimeSeconds: SHIPPED_CYCLE_SECONDS,
          },
          { missionId: 'hotfix', time: at('2025-06-05T23:59:59.999Z'), cycleTimeSeconds: null },
        ]);
        expect(await store().completions(ws.id, BOARD.to, BOARD.weekTo)).toEqual([
          { missionId: 'early', time: BOARD.to, cycleTimeSeconds: 3_600 },
        ]);
      });

      it('knows nothing of a workspace without points', async () => {
        const empty = new Workspace();
        expect(await store().throughput(empty.id, BOARD.from, BOARD.to, 'day')).toEqual([]);
        expect(await store().completions(empty.id, BOARD.from, BOARD.to)).toEqual([]);
        expect(
          (await throughput(empty, BOARD.from, BOARD.to, 'day')).map((b) => b.created),
        ).toEqual([0, 0, 0, 0]);
      });
    });

    describe('agent utilisation', () => {
      const ws = shift(new Workspace());
      beforeAll(() => store().write(ws.points));

      it('gives each agent its status before `from` and its changes in the range', async () => {
        expect(await timelines(ws, SHIFT.from, SHIFT.to)).toEqual([
          {
            agentId: 'flicker',
            before: 'idle',
            changes: [
              { time: at('2025-06-02T10:00:00Z'), status: 'busy' },
              { time: at('2025-06-02T10:00:00Z'), status: 'offline' },
            ],
          },
          {
            agentId: 'late',
            before: null,
            changes: [{ time: at('2025-06-02T10:00:00Z'), status: 'busy' }],
          },
          {
            agentId: 'worker',
            before: 'busy',
            changes: [
              { time: at('2025-06-02T11:00:00Z'), status: 'idle' },
              { time: at('2025-06-02T11:30:00Z'), status: 'offline' },
            ],
          },
        ]);
      });

      it('integrates busy → idle → offline from the status in force at `from`', async () => {
        expect(await utilisation(ws, SHIFT.from, SHIFT.to)).toEqual([
          {
            agentId: 'flicker',
            busySeconds: 0,
            idleSeconds: 1_800,
            offlineSeconds: 7_200,
            utilisation: 0,
          },
          {
            agentId: 'late',
            busySeconds: 7_200,
            idleSeconds: 0,
            offlineSeconds: 0,
            utilisation: 1,
          },
          {
            agentId: 'worker',
            busySeconds: 5_400,
            idleSeconds: 1_800,
            offlineSeconds: 1_800,
            utilisation: 0.75,
          },
        ]);
      });

      it('lists an agent whose only change is after the range once the range reaches it', async () => {
        const later = await utilisation(ws, SHIFT.from, at('2025-06-02T14:00:00Z'));
        expect(later.map((entry) => entry.agentId)).toEqual([
          'flicker',
          'future',
          'late',
          'worker',
        ]);
        expect(later.find((entry) => entry.agentId === 'worker')).toMatchObject({
          busySeconds: 5_400,
          idleSeconds: 1_800 + 3_600,
          offlineSeconds: 5_400,
        });
      });
    });

    describe('host usage', () => {
      const ws = new Workspace()
        // 10:00–10:02 every 15 s, on a stream past a million events at the end.
        .samples('build-01', 999_995, [
          [at('2026-12-07T10:00:00Z'), 10, 8 * GIB],
          [at('2026-12-07T10:00:15Z'), 20, 10 * GIB],
          [at('2026-12-07T10:00:30Z'), 30, 12 * GIB],
          [at('2026-12-07T10:00:45Z'), 40, 14 * GIB],
          [at('2026-12-07T10:02:00Z'), 90, 16 * GIB],
          [at('2026-12-07T10:02:15Z'), 50, 16 * GIB],
        ])
        // Another host, and a sample of this one after the range.
        .samples('build-02', 1, [[at('2026-12-07T10:00:00Z'), 99, GIB]])
        .samples('build-01', 2_000_000, [[at('2026-12-07T10:03:00Z'), 5, GIB]]);
      const range = { from: at('2026-12-07T10:00:00Z'), to: at('2026-12-07T10:03:00Z') };
      beforeAll(() => store().write(ws.points));

      it('averages a host’s samples per bucket, with the peak CPU and the largest totals', async () => {
        const found = await store().hostUsage(ws.id, 'build-01', range.from, range.to, 'minute');

        expect(found).toEqual([
          {
            time: at('2026-12-07T10:00:00Z'),
            samples: 4,
            cpuPercent: 25,
            cpuPercentMax: 40,
            memoryUsedBytes: 11 * GIB,
            memoryTotalBytes: 64 * GIB,
            diskUsedBytes: 100 * GIB + 1.5,
            diskTotalBytes: 500 * GIB,
          },
          {
            time: at('2026-12-07T10:02:00Z'),
            samples: 2,
            cpuPercent: 70,
            cpuPercentMax: 90,
            memoryUsedBytes: 16 * GIB,
            memoryTotalBytes: 64 * GIB,
            diskUsedBytes: 100 * GIB + 4.5,
            diskTotalBytes: 500 * GIB,
          },
        ]);
        expect(
          await store().hostUsage(ws.id, 'build-01', range.from, range.to, 'five_minutes'),
        ).toMatchObject([{ time: at('2026-12-07T10:00:00Z'), samples: 6, cpuPercentMax: 90 }]);
      });

      it('serves every bucket, empty ones without figures, and nothing of another workspace', async () => {
        const usage = new HostUsageService(store());
        const series = await usage.hostUsage(
          memberPrincipal(ws.id, 'viewer'),
          ws.id,
          'build-01',
          range.from,
          range.to,
          'minute',
        );
        const elsewhere = new Workspace();

        expect(series.map((point) => [point.samples, point.cpuPercent])).toEqual([
          [4, 25],
          [0, null],
          [2, 70],
        ]);
        expect(
          await store().hostUsage(elsewhere.id, 'build-01', range.from, range.to, 'minute'),
        ).toEqual([]);
      });

      it('writes a sample again as the same point', async () => {
        await store().write(ws.points.slice(0, 2));

        expect(
          await store().hostUsage(ws.id, 'build-01', range.from, range.to, 'minute'),
        ).toMatchObject([{ samples: 4 }, { samples: 2 }]);
      });
    });

    describe('agent runs and costs', () => {
      const ws = squad(new Workspace());
      beforeAll(() => store().write(ws.points));

      it('sums each agent’s starts, ends and usage in the range, per billing', async () => {
        expect(await store().runTotals(ws.id, SQUAD.from, SQUAD.to)).toEqual([
          runTotals('lander', 'metered', {
            inputTokens: 1_000,
            outputTokens: 100,
            costMicroUsd: 10_000,
          }),
          runTotals('scout', 'metered', {
            started: 1,
            finished: 1,
            succeeded: 1,
            durationSeconds: 240,
            inputTokens: 11_000,
            outputTokens: 2_500,
            cachedInputTokens: 8_000,
            costMicroUsd: 40_000,
          }),
          runTotals('scout', 'subscription', {
            started: 1,
            finished: 1,
            durationSeconds: 1_140,
            inputTokens: 20_005,
            outputTokens: 4_005,
            costMicroUsd: 50_000,
            unpricedReports: 1,
          }),
          runTotals('twin', 'metered', { inputTokens: 2, outputTokens: 2, costMicroUsd: 14 }),
        ]);
      });

      it('sums each agent’s response times by the claim’s time, counting only what is known', async () => {
        expect(await store().responseTotals(ws.id, SQUAD.from, SQUAD.to)).toEqual([
          {
            agentId: 'lander',
            claims: 0,
            claimSeconds: 0,
            firstOutputs: 1,
            firstOutputSeconds: 12,
            responses: 0,
            responseSeconds: 0,
          },
          {
            agentId: 'scout',
            claims: 2,
            claimSeconds: 60,
            firstOutputs: 2,
            firstOutputSeconds: 85,
            responses: 2,
            responseSeconds: 145,
          },
        ]);
      });

      it('buckets usage per billing by day and by hour, of all agents or one', async () => {
        expect(await store().costs(ws.id, SQUAD.from, SQUAD.to, 'day', null)).toEqual([
          costBucket('2025-06-02T00:00:00Z', 'metered', {
            costMicroUsd: 50_000,
            inputTokens: 12_000,
            outputTokens: 2_600,
            cachedInputTokens: 8_000,
          }),
          costBucket('2025-06-02T00:00:00Z', 'subscription', {
            costMicroUsd: 50_000,
            inputTokens: 20_005,
            outputTokens: 4_005,
          }),
          costBucket('2025-06-03T00:00:00Z', 'metered', {
            costMicroUsd: 14,
            inputTokens: 2,
            outputTokens: 2,
          }),
        ]);
        const hours = await store().costs(
          ws.id,
          at('2025-06-02T10:00:00Z'),
          at('2025-06-02T12:00:00Z'),
          'hour',
          'scout',
        );
        expect(hours.map((entry) => [entry.time, entry.billing, entry.costMicroUsd])).toEqual([
          [at('2025-06-02T10:00:00Z'), 'metered', 38_400],
          [at('2025-06-02T11:00:00Z'), 'metered', 1_600],
          [at('2025-06-02T11:00:00Z'), 'subscription', 50_000],
        ]);
        expect(await store().costs(ws.id, SQUAD.from, SQUAD.to, 'week', 'nobody')).toEqual([]);
      });

      it('answers the same figures through the costs service', async () => {
        const viewer = memberPrincipal(ws.id, 'viewer');
        const page = await costs().agentRunStats(viewer, ws.id, SQUAD.from, SQUAD.to, 2, null);
        expect(page.nodes.map((agent) => [agent.agentId, agent.costMicroUsd])).toEqual([
          ['scout', 90_000],
          ['lander', 10_000],
        ]);
        expect(page.nodes[0]).toMatchObject({
          runs: 2,
          successRate: 0.5,
          estimatedCostMicroUsd: 50_000,
          meanRunSeconds: 690,
          meanClaimSeconds: 30,
          meanFirstOutputSeconds: 42.5,
          meanResponseSeconds: 72.5,
        });
        expect(page).toMatchObject({ hasNextPage: true, totalCount: 3 });
        const series = await costs().costOverTime(viewer, ws.id, SQUAD.from, SQUAD.to, 'day', null);
        expect(series.map((entry) => [entry.costMicroUsd, entry.estimatedCostMicroUsd])).toEqual([
          [100_000, 50_000],
          [14, 0],
        ]);
      });
    });

    it('changes nothing when points are written again', async () => {
      const ws = squad(shift(board(new Workspace())));
      await store().write(ws.points);
      const first = await answers(ws);

      // A redelivered run, and one holding the same point twice.
      await store().write(ws.points);
      await store().write([...ws.points.slice(0, 3), ...ws.points.slice(0, 3)].reverse());

      expect(await answers(ws)).toEqual(first);
      expect(first.rawDay).toEqual([
        bucket('2025-06-02T00:00:00Z', 2, 0),
        bucket('2025-06-04T00:00:00Z', 2, 1),
        bucket('2025-06-05T00:00:00Z', 1, 1),
      ]);
      expect(first.utilisation.map((entry) => entry.utilisation)).toEqual([0, 1, 0.75]);
    });

    it('never mixes workspaces, even with the same mission and agent ids at the same times', async () => {
      const mine = squad(shift(board(new Workspace())));
      await store().write(mine.points);
      const before = await answers(mine);

      const other = squad(shift(board(new Workspace())))
        .run('scout', 'metered', [[at('2025-06-02T10:30:00Z'), usage(1, 1, 1, 1)]], 'same-run')
        .response('scout', 'survey', at('2025-06-02T10:30:00Z'), { claim_seconds: 1 })
        .created('extra', at('2025-06-03T12:00:00Z'))
        .done('shipped', at('2025-06-03T12:00:00Z'), 9, 60)
        .statuses('worker', [['error', at('2025-06-02T09:45:00Z')]]);
      // (That last change is another point of their 'worker': a different timestamp.)
      await store().write(other.points);

      expect(await answers(mine)).toEqual(before);
      const theirs = await answers(other);
      expect(theirs.day[1]).toEqual(bucket('2025-06-03T00:00:00Z', 1, 1));
      expect(theirs.completions).toHaveLength(before.completions.length + 1);
      expect(theirs.timelines.find((timeline) => timeline.agentId === 'worker')).toMatchObject({
        changes: expect.arrayContaining([{ time: at('2025-06-02T09:45:00Z'), status: 'error' }]),
      });
      expect(theirs.costs[0]!.costMicroUsd).toBe(before.costs[0]!.costMicroUsd + 1);
      expect(theirs.responseTotals.find((row) => row.agentId === 'scout')?.claims).toBe(3);
    });
  });
}
