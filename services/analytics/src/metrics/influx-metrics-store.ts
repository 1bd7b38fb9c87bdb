import { Inject, Injectable } from '@nestjs/common';
import { escape, InfluxDB, type INanoDate, type IPoint } from 'influx';
import { engineUnavailable } from '../engines/engine-unavailable.error';
import { INFLUX, INFLUX_DATABASE } from '../engines/engines.module';
import {
  byAgentThenBilling,
  byTimeThenBilling,
  isBilling,
  type CostBucket,
  type ResponseTotals,
  type RunTotals,
} from './agent-runs';
import { influxHostUsageGroupBy, type HostUsageBucket, type HostUsageInterval } from './host-usage';
import {
  AGENT_RESPONSE_MEASUREMENT,
  AGENT_RUN_MEASUREMENT,
  AGENT_STATUS_MEASUREMENT,
  HOST_USAGE_MEASUREMENT,
  MEASUREMENTS,
  MISSION_FLOW_MEASUREMENT,
  nanoseconds,
  type MetricPoint,
} from './metric-points';
import {
  byTimeThenMission,
  type AgentTimeline,
  type MetricsStore,
  type MissionCompletion,
} from './metrics-store.port';
import { timelinesOf } from './status-timeline';
import { influxGroupByTime, type Interval, type ThroughputBucket } from './time-buckets';

/** A point as stored, for comparing two builds of the series. */
export type StoredPoint = {
  measurement: string;
  time: string;
  tags: Record<string, string>;
  fields: Record<string, unknown>;
};

const WRITE_BATCH = 5_000;

/** The metrics time series in InfluxDB. */
@Injectable()
export class InfluxMetricsStore implements MetricsStore {
  constructor(
    @Inject(INFLUX) private readonly influx: InfluxDB,
    @Inject(INFLUX_DATABASE) private readonly database: string,
  ) {}

  /** Creates the database if missing (InfluxDB 1.x: idempotent). */
  async ensureStorage(): Promise<void> {
    await this.influx.createDatabase(this.database);
  }

  async write(points: readonly MetricPoint[]): Promise<void> {
    for (let start = 0; start < points.length; start += WRITE_BATCH) {
      const batch: IPoint[] = points.slice(start, start + WRITE_BATCH).map((point) => ({
        measurement: point.measurement,
        tags: point.tags,
        fields: point.fields,
        timestamp: point.timestamp,
      }));
      try {
        await this.influx.writePoints(batch, { precision: 'n' });
      } catch (error) {
        throw engineUnavailable('influxdb', error);
      }
    }
  }

  /** Missions created and done per bucket of [from, to); buckets with neither are left out. */
  async throughput(
    workspaceId: string,
    from: Date,
    to: Date,
    interval: Interval,
  ): Promise<ThroughputBucket[]> {
    const rows = await this.query<{
      time: INanoDate;
      created: number | null;
      done: number | null;
    }>(
      `SELECT sum("created") AS "created", sum("done") AS "done" FROM "${MISSION_FLOW_MEASUREMENT}"
       WHERE "workspace_id" = ${escape.stringLit(workspaceId)}
         AND time >= ${nanoseconds(from)} AND time < ${nanoseconds(to)}
       GROUP BY ${influxGroupByTime(interval)} fill(none)`,
    );
    return rows.map((row) => ({
      time: new Date(row.time.getTime()),
      created: row.created ?? 0,
      done: row.done ?? 0,
    }));
  }

  /** Every agent of the workspace with a status change before `to`, with its timeline. */
  async agentTimelines(workspaceId: string, from: Date, to: Date): Promise<AgentTimeline[]> {
    const workspace = escape.stringLit(workspaceId);
    const [before, inside] = await this.queries<{
      time: INanoDate;
      status: string;
      agent_id: string;
    }>([
      `SELECT last("status") AS "status" FROM "${AGENT_STATUS_MEASUREMENT}"
       WHERE "workspace_id" = ${workspace} AND time < ${nanoseconds(from)} GROUP BY "agent_id"`,
      `SELECT "status" FROM "${AGENT_STATUS_MEASUREMENT}"
       WHERE "workspace_id" = ${workspace} AND time >= ${nanoseconds(from)} AND time < ${nanoseconds(to)}
       GROUP BY "agent_id"`,
    ]);
    return timelinesOf(
      (before ?? []).map((row) => ({ agentId: row.agent_id, status: row.status })),
      (inside ?? []).map((row) => ({
        agentId: row.agent_id,
        time: new Date(row.time.getTime()),
        status: row.status,
      })),
    );
  }

  async completions(workspaceId: string, from: Date, to: Date): Promise<MissionCompletion[]> {
    const rows = await this.query<{
      time: INanoDate;
      mission_id: string;
      cycle_time_seconds: number | null;
    }>(
      `SELECT "done", "cycle_time_seconds" FROM "${MISSION_FLOW_MEASUREMENT}"
       WHERE "workspace_id" = ${escape.stringLit(workspaceId)} AND "done" > 0
         AND time >= ${nanoseconds(from)} AND time < ${nanoseconds(to)}
       GROUP BY "mission_id"`,
    );
    return rows
      .map((row) => ({
        missionId: row.mission_id,
        time: new Date(row.time.getTime()),
        cycleTimeSeconds: row.cycle_time_seconds ?? null,
      }))
      .sort(byTimeThenMission);
  }

  async runTotals(workspaceId: string, from: Date, to: Date): Promise<RunTotals[]> {
    type Sums = Record<
      | 'started'
      | 'finished'
      | 'succeeded'
      | 'duration_seconds'
      | 'input_tokens'
      | 'output_tokens'
      | 'cached_input_tokens'
      | 'cost_micro_usd'
      | 'unpriced_reports',
      number | null
    >;
    const rows = await this.query<Sums & { agent_id: string; billing: string }>(
      `SELECT sum("started") AS "started", sum("finished") AS "finished",
         sum("succeeded") AS "succeeded", sum("duration_seconds") AS "duration_seconds",
         sum("input_tokens") AS "input_tokens", sum("output_tokens") AS "output_tokens",
         sum("cached_input_tokens") AS "cached_input_tokens",
         sum("cost_micro_usd") AS "cost_micro_usd", sum("unpriced_reports") AS "unpriced_reports"
       FROM "${AGENT_RUN_MEASUREMENT}"
       WHERE ${this.inRange(workspaceId, from, to)}
       GROUP BY "agent_id", "billing"`,
    );
    return rows
      .filter((row) => isBilling(row.billing))
      .map((row) => ({
        agentId: row.agent_id,
        billing: row.billing as RunTotals['billing'],
        started: row.started ?? 0,
        finished: row.finished ?? 0,
        succeeded: row.succeeded ?? 0,
        durationSeconds: row.duration_seconds ?? 0,
        inputTokens: row.input_tokens ?? 0,
        outputTokens: row.output_tokens ?? 0,
        cachedInputTokens: row.cached_input_tokens ?? 0,
        costMicroUsd: row.cost_micro_usd ?? 0,
        unpricedReports: row.unpriced_reports ?? 0,
      }))
      .sort(byAgentThenBilling);
  }

  async responseTotals(workspaceId: string, from: Date, to: Date): Promise<ResponseTotals[]> {
    const rows = await this.query<{
      agent_id: string;
      claims: number | null;
      claim_seconds: number | null;
      first_outputs: number | null;
      first_output_seconds: number | null;
      responses: number | null;
      response_seconds: number | null;
    }>(
      `SELECT count("claim_seconds") AS "claims", sum("claim_seconds") AS "claim_seconds",
         count("first_output_seconds") AS "first_outputs",
         sum("first_output_seconds") AS "first_output_seconds",
         count("response_seconds") AS "responses", sum("response_seconds") AS "response_seconds"
       FROM "${AGENT_RESPONSE_MEASUREMENT}"
       WHERE ${this.inRange(workspaceId, from, to)}
       GROUP BY "agent_id"`,
    );
    return rows
      .map((row) => ({
        agentId: row.agent_id,
        claims: row.claims ?? 0,
        claimSeconds: row.claim_seconds ?? 0,
        firstOutputs: row.first_outputs ?? 0,
        firstOutputSeconds: row.first_output_seconds ?? 0,
        responses: row.responses ?? 0,
        responseSeconds: row.response_seconds ?? 0,
      }))
      .sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
  }

  async costs(
    workspaceId: string,
    from: Date,
    to: Date,
    interval: Interval,
    agentId: string | null,
  ): Promise<CostBucket[]> {
    const rows = await this.query<{
      time: INanoDate;
      billing: string;
      cost_micro_usd: number | null;
      input_tokens: number | null;
      output_tokens: number | null;
      cached_input_tokens: number | null;
    }>(
      `SELECT sum("cost_micro_usd") AS "cost_micro_usd", sum("input_tokens") AS "input_tokens",
         sum("output_tokens") AS "output_tokens",
         sum("cached_input_tokens") AS "cached_input_tokens"
       FROM "${AGENT_RUN_MEASUREMENT}"
       WHERE ${this.inRange(workspaceId, from, to)}
         ${agentId === null ? '' : `AND "agent_id" = ${escape.stringLit(agentId)}`}
       GROUP BY ${influxGroupByTime(interval)}, "billing" fill(none)`,
    );
    return (
      rows
        // Starts and ends carry no usage: a bucket of only those is no bucket.
        .filter((row) => row.cost_micro_usd !== null && isBilling(row.billing))
        .map((row) => ({
          time: new Date(row.time.getTime()),
          billing: row.billing as CostBucket['billing'],
          costMicroUsd: row.cost_micro_usd ?? 0,
          inputTokens: row.input_tokens ?? 0,
          outputTokens: row.output_tokens ?? 0,
          cachedInputTokens: row.cached_input_tokens ?? 0,
        }))
        .sort(byTimeThenBilling)
    );
  }

  async hostUsage(
    workspaceId: string,
    hostId: string,
    from: Date,
    to: Date,
    interval: HostUsageInterval,
  ): Promise<HostUsageBucket[]> {
    const rows = await this.query<{
      time: INanoDate;
      samples: number | null;
      cpu_percent: number | null;
      cpu_percent_max: number | null;
      memory_used_bytes: number | null;
      memory_total_bytes: number | null;
      disk_used_bytes: number | null;
      disk_total_bytes: number | null;
    }>(
      `SELECT count("cpu_percent") AS "samples", mean("cpu_percent") AS "cpu_percent",
         max("cpu_percent") AS "cpu_percent_max", mean("memory_used_bytes") AS "memory_used_bytes",
         max("memory_total_bytes") AS "memory_total_bytes",
         mean("disk_used_bytes") AS "disk_used_bytes", max("disk_total_bytes") AS "disk_total_bytes"
       FROM "${HOST_USAGE_MEASUREMENT}"
       WHERE ${this.inRange(workspaceId, from, to)} AND "host_id" = ${escape.stringLit(hostId)}
       GROUP BY ${influxHostUsageGroupBy(interval)} fill(none)`,
    );
    return rows
      .filter((row) => (row.samples ?? 0) > 0)
      .map((row) => ({
        time: new Date(row.time.getTime()),
        samples: row.samples ?? 0,
        cpuPercent: row.cpu_percent ?? 0,
        cpuPercentMax: row.cpu_percent_max ?? 0,
        memoryUsedBytes: row.memory_used_bytes ?? 0,
        memoryTotalBytes: row.memory_total_bytes ?? 0,
        diskUsedBytes: row.disk_used_bytes ?? 0,
        diskTotalBytes: row.disk_total_bytes ?? 0,
      }));
  }

  private inRange(workspaceId: string, from: Date, to: Date): string {
    return `"workspace_id" = ${escape.stringLit(workspaceId)}
         AND time >= ${nanoseconds(from)} AND time < ${nanoseconds(to)}`;
  }

  /** Before anything was written the database may not exist: that is no data, not a failure. */
  private async query<T>(query: string): Promise<T[]> {
    return this.orNoData<T[]>(() => this.influx.query<T>(query), []);
  }

  private async queries<T>(queries: string[]): Promise<T[][]> {
    return this.orNoData<T[][]>(
      () => this.influx.query<T>(queries),
      queries.map(() => []),
    );
  }

  private async orNoData<R>(run: () => Promise<R>, empty: R): Promise<R> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof Error && /database not found/.test(error.message)) {
        return empty;
      }
      throw error;
    }
  }

  /** Drops every measurement the projections write (a rebuild writes them again). */
  async dropMeasurements(): Promise<void> {
    for (const measurement of MEASUREMENTS) {
      await this.influx.dropMeasurement(measurement, this.database);
    }
  }

  /** Every point of the projections' measurements, in a canonical order. */
  async dump(): Promise<StoredPoint[]> {
    const points: StoredPoint[] = [];
    for (const measurement of MEASUREMENTS) {
      const groups = (
        await this.influx.query<Record<string, unknown> & { time: INanoDate }>(
          `SELECT * FROM "${measurement}" GROUP BY *`,
        )
      ).groups();
      for (const group of groups) {
        for (const row of group.rows) {
          const { time, ...rest } = row;
          const fields = Object.fromEntries(
            Object.entries(rest).filter(([key, value]) => !(key in group.tags) && value !== null),
          );
          points.push({ measurement, time: time.getNanoTime(), tags: group.tags, fields });
        }
      }
    }
    const key = (point: StoredPoint) =>
      `${point.measurement}\u0000${JSON.stringify(point.tags)}\u0000${point.time.padStart(20, '0')}`;
    return points.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }
}
