import { DATABASE_SCHEMA } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import {
  BILLINGS,
  byAgentThenBilling,
  byTimeThenBilling,
  isBilling,
  type CostBucket,
  type ResponseTotals,
  type RunTotals,
} from './agent-runs';
import { HOST_USAGE_INTERVAL_MS, type HostUsageBucket, type HostUsageInterval } from './host-usage';
import {
  AGENT_RESPONSE_MEASUREMENT,
  AGENT_RUN_MEASUREMENT,
  AGENT_STATUS_MEASUREMENT,
  HOST_USAGE_MEASUREMENT,
  MISSION_FLOW_MEASUREMENT,
  type MetricPoint,
} from './metric-points';
import {
  byTimeThenMission,
  MetricsStore,
  type AgentTimeline,
  type MissionCompletion,
} from './metrics-store.port';
import { timelinesOf } from './status-timeline';
import { bucketOrigin, INTERVAL_MS, type Interval, type ThroughputBucket } from './time-buckets';

const AGENT_STATUS = Prisma.raw(`"${DATABASE_SCHEMA}".metric_agent_status`);
const MISSION_FLOW = Prisma.raw(`"${DATABASE_SCHEMA}".metric_mission_flow`);
const AGENT_RUN = Prisma.raw(`"${DATABASE_SCHEMA}".metric_agent_run`);
const AGENT_RESPONSE = Prisma.raw(`"${DATABASE_SCHEMA}".metric_agent_response`);
const HOST_USAGE = Prisma.raw(`"${DATABASE_SCHEMA}".metric_host_usage`);

const WRITE_BATCH = 5_000;

type Key = { workspace_id: string; timestamp_ns: string; time: string };
export type AgentStatusRow = Key & {
  agent_id: string;
  status: string;
  previous_status: string | null;
  previous_seconds: number | null;
};
export type MissionFlowRow = Key & {
  mission_id: string;
  created: number | null;
  done: number | null;
  cycle_time_seconds: number | null;
};
export type AgentRunRow = Key & {
  agent_id: string;
  run_id: string;
  billing: string;
  started: number | null;
  finished: number | null;
  succeeded: number | null;
  duration_seconds: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_input_tokens: number | null;
  cost_micro_usd: number | null;
  unpriced_reports: number | null;
};
export type AgentResponseRow = Key & {
  agent_id: string;
  mission_id: string;
  claim_seconds: number | null;
  first_output_seconds: number | null;
  response_seconds: number | null;
};
export type HostUsageRow = Key & {
  host_id: string;
  cpu_percent: number | null;
  memory_used_bytes: number | null;
  memory_total_bytes: number | null;
  disk_used_bytes: number | null;
  disk_total_bytes: number | null;
};
export type MetricRows = {
  agentStatus: AgentStatusRow[];
  missionFlow: MissionFlowRow[];
  agentRun: AgentRunRow[];
  agentResponse: AgentResponseRow[];
  hostUsage: HostUsageRow[];
};

const AGENT_RUN_FIELDS = [
  'started',
  'finished',
  'succeeded',
  'duration_seconds',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cost_micro_usd',
  'unpriced_reports',
] as const;
const AGENT_RESPONSE_FIELDS = [
  'claim_seconds',
  'first_output_seconds',
  'response_seconds',
] as const;
const HOST_USAGE_FIELDS = [
  'cpu_percent',
  'memory_used_bytes',
  'memory_total_bytes',
  'disk_used_bytes',
  'disk_total_bytes',
] as const;

function tagOf(point: MetricPoint, tag: string): string {
  const value = point.tags[tag];
  if (typeof value !== 'string' || value === '') {
    throw new Error(`A ${point.measurement} point without tag ${tag}`);
  }
  return value;
}

function fieldOf<T extends 'string' | 'number'>(
  point: MetricPoint,
  field: string,
  type: T,
): (T extends 'string' ? string : number) | null {
  const value = point.fields[field];
  if (value === undefined) {
    return null;
  }
  if (typeof value !== type) {
    throw new Error(`Field ${field} of a ${point.measurement} point is not a ${type}`);
  }
  return value as T extends 'string' ? string : number;
}

/** Fails on a field the table has no column for, rather than dropping it. */
function onlyFields(point: MetricPoint, known: readonly string[]): void {
  const unknown = Object.keys(point.fields).filter((field) => !known.includes(field));
  if (unknown.length > 0) {
    throw new Error(`A ${point.measurement} point with unknown fields ${unknown.join(', ')}`);
  }
}

function keyOf(point: MetricPoint): Key {
  if (!/^\d{1,19}$/.test(point.timestamp)) {
    throw new Error(`A point timestamp must be nanoseconds as digits, not ${point.timestamp}`);
  }
  const nanoseconds = BigInt(point.timestamp);
  return {
    workspace_id: tagOf(point, 'workspace_id'),
    timestamp_ns: point.timestamp,
    time: new Date(Number(nanoseconds / 1_000_000n)).toISOString(),
  };
}

/**
 * Points as rows of their measurement's table, one per key (series and timestamp). Like InfluxDB,
 * a later point of the same key wins, field by field: a field it leaves out keeps its value.
 */
export function metricRows(points: readonly MetricPoint[]): MetricRows {
  const agentStatus = new Map<string, AgentStatusRow>();
  const missionFlow = new Map<string, MissionFlowRow>();
  const agentRun = new Map<string, AgentRunRow>();
  const agentResponse = new Map<string, AgentResponseRow>();
  const hostUsage = new Map<string, HostUsageRow>();
  const merge = <R extends Record<string, unknown>>(rows: Map<string, R>, id: string, row: R) => {
    const kept = rows.get(id);
    const merged: Record<string, unknown> = { ...(kept ?? {}) };
    for (const [column, value] of Object.entries(row)) {
      if (value !== null || kept === undefined) {
        merged[column] = value;
      }
    }
    rows.set(id, merged as R);
  };
  for (const point of points) {
    const key = keyOf(point);
    switch (point.measurement) {
      case AGENT_STATUS_MEASUREMENT: {
        onlyFields(point, ['status', 'previous_status', 'previous_seconds']);
        const agentId = tagOf(point, 'agent_id');
        const status = fieldOf(point, 'status', 'string');
        if (status === null) {
          throw new Error('An agent_status point without a status');
        }
        merge(agentStatus, JSON.stringify([key.workspace_id, agentId, key.timestamp_ns]), {
          ...key,
          agent_id: agentId,
          status,
          previous_status: fieldOf(point, 'previous_status', 'string'),
          previous_seconds: fieldOf(point, 'previous_seconds', 'number'),
        });
        break;
      }
      case MISSION_FLOW_MEASUREMENT: {
        onlyFields(point, ['created', 'done', 'cycle_time_seconds']);
        const missionId = tagOf(point, 'mission_id');
        merge(missionFlow, JSON.stringify([key.workspace_id, missionId, key.timestamp_ns]), {
          ...key,
          mission_id: missionId,
          created: fieldOf(point, 'created', 'number'),
          done: fieldOf(point, 'done', 'number'),
          cycle_time_seconds: fieldOf(point, 'cycle_time_seconds', 'number'),
        });
        break;
      }
      case AGENT_RUN_MEASUREMENT: {
        onlyFields(point, AGENT_RUN_FIELDS);
        const agentId = tagOf(point, 'agent_id');
        const runId = tagOf(point, 'run_id');
        const billing = tagOf(point, 'billing');
        if (!isBilling(billing)) {
          throw new Error(
            `An agent_run point with billing ${billing}, not ${BILLINGS.join(' or ')}`,
          );
        }
        const fields = Object.fromEntries(
          AGENT_RUN_FIELDS.map((field) => [field, fieldOf(point, field, 'number')]),
        ) as Record<(typeof AGENT_RUN_FIELDS)[number], number | null>;
        merge(agentRun, JSON.stringify([key.workspace_id, agentId, runId, key.timestamp_ns]), {
          ...key,
          agent_id: agentId,
          run_id: runId,
          billing,
          ...fields,
        });
        break;
      }
      case AGENT_RESPONSE_MEASUREMENT: {
        onlyFields(point, AGENT_RESPONSE_FIELDS);
        const agentId = tagOf(point, 'agent_id');
        const missionId = tagOf(point, 'mission_id');
        const fields = Object.fromEntries(
          AGENT_RESPONSE_FIELDS.map((field) => [field, fieldOf(point, field, 'number')]),
        ) as Record<(typeof AGENT_RESPONSE_FIELDS)[number], number | null>;
        merge(
          agentResponse,
          JSON.stringify([key.workspace_id, agentId, missionId, key.timestamp_ns]),
          { ...key, agent_id: agentId, mission_id: missionId, ...fields },
        );
        break;
      }
      case HOST_USAGE_MEASUREMENT: {
        onlyFields(point, HOST_USAGE_FIELDS);
        const hostId = tagOf(point, 'host_id');
        const fields = Object.fromEntries(
          HOST_USAGE_FIELDS.map((field) => [field, fieldOf(point, field, 'number')]),
        ) as Record<(typeof HOST_USAGE_FIELDS)[number], number | null>;
        merge(hostUsage, JSON.stringify([key.workspace_id, hostId, key.timestamp_ns]), {
          ...key,
          host_id: hostId,
          ...fields,
        });
        break;
      }
      default: {
        const unexpected: never = point.measurement;
        throw new Error(`Unknown measurement ${String(unexpected)}`);
      }
    }
  }
  return {
    agentStatus: [...agentStatus.values()],
    missionFlow: [...missionFlow.values()],
    agentRun: [...agentRun.values()],
    agentResponse: [...agentResponse.values()],
    hostUsage: [...hostUsage.values()],
  };
}

const iso = (time: Date) => time.toISOString();

/**
 * The metrics time series in Postgres (standalone mode), in tables analytics.metric_agent_status,
 * metric_mission_flow, metric_agent_run and metric_agent_response: one row per point, indexed by (workspace_id, time), bucketed
 * in SQL with date_bin on time-buckets.ts's buckets. Takes a transaction client so a caller can
 * write within its own transaction.
 */
export class PostgresMetricsStore extends MetricsStore {
  constructor(private readonly db: Prisma.TransactionClient) {
    super();
  }

  // The tables are created by the service's migrations, which run before anything writes.
  async ensureStorage(): Promise<void> {}

  async write(points: readonly MetricPoint[]): Promise<void> {
    const { agentStatus, missionFlow, agentRun, agentResponse, hostUsage } = metricRows(points);
    for (let start = 0; start < agentStatus.length; start += WRITE_BATCH) {
      const rows = JSON.stringify(agentStatus.slice(start, start + WRITE_BATCH));
      await this.db.$executeRaw`
        INSERT INTO ${AGENT_STATUS} AS p (workspace_id, agent_id, timestamp_ns, time, status,
          previous_status, previous_seconds)
        SELECT workspace_id, agent_id, timestamp_ns, time, status, previous_status, previous_seconds
        FROM jsonb_to_recordset(${rows}::jsonb) AS r(workspace_id text, agent_id text,
          timestamp_ns bigint, time timestamptz, status text, previous_status text,
          previous_seconds float8)
        ON CONFLICT (workspace_id, agent_id, timestamp_ns) DO UPDATE SET
          status = EXCLUDED.status,
          previous_status = coalesce(EXCLUDED.previous_status, p.previous_status),
          previous_seconds = coalesce(EXCLUDED.previous_seconds, p.previous_seconds)`;
    }
    for (let start = 0; start < missionFlow.length; start += WRITE_BATCH) {
      const rows = JSON.stringify(missionFlow.slice(start, start + WRITE_BATCH));
      await this.db.$executeRaw`
        INSERT INTO ${MISSION_FLOW} AS p (workspace_id, mission_id, timestamp_ns, time, created,
          done, cycle_time_seconds)
        SELECT workspace_id, mission_id, timestamp_ns, time, created, done, cycle_time_seconds
        FROM jsonb_to_recordset(${rows}::jsonb) AS r(workspace_id text, mission_id text,
          timestamp_ns bigint, time timestamptz, created int, done int, cycle_time_seconds float8)
        -- InfluxDB merges the fields of a point written again: so do we.
        ON CONFLICT (workspace_id, mission_id, timestamp_ns) DO UPDATE SET
          created = coalesce(EXCLUDED.created, p.created),
          done = coalesce(EXCLUDED.done, p.done),
          cycle_time_seconds = coalesce(EXCLUDED.cycle_time_seconds, p.cycle_time_seconds)`;
    }
    for (let start = 0; start < agentRun.length; start += WRITE_BATCH) {
      const rows = JSON.stringify(agentRun.slice(start, start + WRITE_BATCH));
      await this.db.$executeRaw`
        INSERT INTO ${AGENT_RUN} AS p (workspace_id, agent_id, run_id, timestamp_ns, time, billing,
          started, finished, succeeded, duration_seconds, input_tokens, output_tokens,
          cached_input_tokens, cost_micro_usd, unpriced_reports)
        SELECT workspace_id, agent_id, run_id, timestamp_ns, time, billing, started, finished,
          succeeded, duration_seconds, input_tokens, output_tokens, cached_input_tokens,
          cost_micro_usd, unpriced_reports
        FROM jsonb_to_recordset(${rows}::jsonb) AS r(workspace_id text, agent_id text,
          run_id text, timestamp_ns bigint, time timestamptz, billing text, started int,
          finished int, succeeded int, duration_seconds float8, input_tokens bigint,
          output_tokens bigint, cached_input_tokens bigint, cost_micro_usd bigint,
          unpriced_reports int)
        ON CONFLICT (workspace_id, agent_id, run_id, timestamp_ns) DO UPDATE SET
          billing = EXCLUDED.billing,
          started = coalesce(EXCLUDED.started, p.started),
          finished = coalesce(EXCLUDED.finished, p.finished),
          succeeded = coalesce(EXCLUDED.succeeded, p.succeeded),
          duration_seconds = coalesce(EXCLUDED.duration_seconds, p.duration_seconds),
          input_tokens = coalesce(EXCLUDED.input_tokens, p.input_tokens),
          output_tokens = coalesce(EXCLUDED.output_tokens, p.output_tokens),
          cached_input_tokens = coalesce(EXCLUDED.cached_input_tokens, p.cached_input_tokens),
          cost_micro_usd = coalesce(EXCLUDED.cost_micro_usd, p.cost_micro_usd),
          unpriced_reports = coalesce(EXCLUDED.unpriced_reports, p.unpriced_reports)`;
    }
    for (let start = 0; start < agentResponse.length; start += WRITE_BATCH) {
      const rows = JSON.stringify(agentResponse.slice(start, start + WRITE_BATCH));
      await this.db.$executeRaw`
        INSERT INTO ${AGENT_RESPONSE} AS p (workspace_id, agent_id, mission_id, timestamp_ns, time,
          claim_seconds, first_output_seconds, response_seconds)
        SELECT workspace_id, agent_id, mission_id, timestamp_ns, time, claim_seconds,
          first_output_seconds, response_seconds
        FROM jsonb_to_recordset(${rows}::jsonb) AS r(workspace_id text, agent_id text,
          mission_id text, timestamp_ns bigint, time timestamptz, claim_seconds float8,
          first_output_seconds float8, response_seconds float8)
        ON CONFLICT (workspace_id, agent_id, mission_id, timestamp_ns) DO UPDATE SET
          claim_seconds = coalesce(EXCLUDED.claim_seconds, p.claim_seconds),
          first_output_seconds = coalesce(EXCLUDED.first_output_seconds, p.first_output_seconds),
          response_seconds = coalesce(EXCLUDED.response_seconds, p.response_seconds)`;
    }
    for (let start = 0; start < hostUsage.length; start += WRITE_BATCH) {
      const rows = JSON.stringify(hostUsage.slice(start, start + WRITE_BATCH));
      await this.db.$executeRaw`
        INSERT INTO ${HOST_USAGE} AS p (workspace_id, host_id, timestamp_ns, time, cpu_percent,
          memory_used_bytes, memory_total_bytes, disk_used_bytes, disk_total_bytes)
        SELECT workspace_id, host_id, timestamp_ns, time, cpu_percent, memory_used_bytes,
          memory_total_bytes, disk_used_bytes, disk_total_bytes
        FROM jsonb_to_recordset(${rows}::jsonb) AS r(workspace_id text, host_id text,
          timestamp_ns bigint, time timestamptz, cpu_percent float8, memory_used_bytes float8,
          memory_total_bytes float8, disk_used_bytes float8, disk_total_bytes float8)
        ON CONFLICT (workspace_id, host_id, timestamp_ns) DO UPDATE SET
          cpu_percent = coalesce(EXCLUDED.cpu_percent, p.cpu_percent),
          memory_used_bytes = coalesce(EXCLUDED.memory_used_bytes, p.memory_used_bytes),
          memory_total_bytes = coalesce(EXCLUDED.memory_total_bytes, p.memory_total_bytes),
          disk_used_bytes = coalesce(EXCLUDED.disk_used_bytes, p.disk_used_bytes),
          disk_total_bytes = coalesce(EXCLUDED.disk_total_bytes, p.disk_total_bytes)`;
    }
  }

  async throughput(
    workspaceId: string,
    from: Date,
    to: Date,
    interval: Interval,
  ): Promise<ThroughputBucket[]> {
    const rows = await this.db.$queryRaw<{ time: Date | string; created: number; done: number }[]>`
      SELECT date_bin(${INTERVAL_MS[interval] / 1_000}::float8 * interval '1 second', time,
          ${iso(bucketOrigin(interval))}::timestamptz) AS time,
        coalesce(sum(created), 0)::int AS created, coalesce(sum(done), 0)::int AS done
      FROM ${MISSION_FLOW}
      WHERE workspace_id = ${workspaceId}
        AND time >= ${iso(from)}::timestamptz AND time < ${iso(to)}::timestamptz
      GROUP BY 1
      ORDER BY 1`;
    return rows.map((row) => ({ time: new Date(row.time), created: row.created, done: row.done }));
  }

  async agentTimelines(workspaceId: string, from: Date, to: Date): Promise<AgentTimeline[]> {
    const [before, inside] = await Promise.all([
      this.db.$queryRaw<{ agent_id: string; status: string }[]>`
        SELECT DISTINCT ON (agent_id) agent_id, status
        FROM ${AGENT_STATUS}
        WHERE workspace_id = ${workspaceId} AND time < ${iso(from)}::timestamptz
        ORDER BY agent_id, timestamp_ns DESC`,
      this.db.$queryRaw<{ agent_id: string; time: Date | string; status: string }[]>`
        SELECT agent_id, time, status
        FROM ${AGENT_STATUS}
        WHERE workspace_id = ${workspaceId}
          AND time >= ${iso(from)}::timestamptz AND time < ${iso(to)}::timestamptz
        ORDER BY agent_id, timestamp_ns`,
    ]);
    return timelinesOf(
      before.map((row) => ({ agentId: row.agent_id, status: row.status })),
      inside.map((row) => ({
        agentId: row.agent_id,
        time: new Date(row.time),
        status: row.status,
      })),
    );
  }

  async completions(workspaceId: string, from: Date, to: Date): Promise<MissionCompletion[]> {
    const rows = await this.db.$queryRaw<
      { mission_id: string; time: Date | string; cycle_time_seconds: number | null }[]
    >`
      SELECT mission_id, time, cycle_time_seconds
      FROM ${MISSION_FLOW}
      WHERE workspace_id = ${workspaceId}
        AND time >= ${iso(from)}::timestamptz AND time < ${iso(to)}::timestamptz
        AND done > 0
      ORDER BY time, mission_id`;
    return rows
      .map((row) => ({
        missionId: row.mission_id,
        time: new Date(row.time),
        cycleTimeSeconds: row.cycle_time_seconds,
      }))
      .sort(byTimeThenMission);
  }

  async runTotals(workspaceId: string, from: Date, to: Date): Promise<RunTotals[]> {
    const rows = await this.db.$queryRaw<
      {
        agent_id: string;
        billing: string;
        started: number;
        finished: number;
        succeeded: number;
        duration_seconds: number;
        input_tokens: number;
        output_tokens: number;
        cached_input_tokens: number;
        cost_micro_usd: number;
        unpriced_reports: number;
      }[]
    >`
      SELECT agent_id, billing,
        coalesce(sum(started), 0)::float8 AS started,
        coalesce(sum(finished), 0)::float8 AS finished,
        coalesce(sum(succeeded), 0)::float8 AS succeeded,
        coalesce(sum(duration_seconds), 0)::float8 AS duration_seconds,
        coalesce(sum(input_tokens), 0)::float8 AS input_tokens,
        coalesce(sum(output_tokens), 0)::float8 AS output_tokens,
        coalesce(sum(cached_input_tokens), 0)::float8 AS cached_input_tokens,
        coalesce(sum(cost_micro_usd), 0)::float8 AS cost_micro_usd,
        coalesce(sum(unpriced_reports), 0)::float8 AS unpriced_reports
      FROM ${AGENT_RUN}
      WHERE workspace_id = ${workspaceId}
        AND time >= ${iso(from)}::timestamptz AND time < ${iso(to)}::timestamptz
      GROUP BY agent_id, billing`;
    return rows
      .filter((row) => isBilling(row.billing))
      .map((row) => ({
        agentId: row.agent_id,
        billing: row.billing as RunTotals['billing'],
        started: row.started,
        finished: row.finished,
        succeeded: row.succeeded,
        durationSeconds: row.duration_seconds,
        inputTokens: row.input_tokens,
        outputTokens: row.output_tokens,
        cachedInputTokens: row.cached_input_tokens,
        costMicroUsd: row.cost_micro_usd,
        unpricedReports: row.unpriced_reports,
      }))
      .sort(byAgentThenBilling);
  }

  async responseTotals(workspaceId: string, from: Date, to: Date): Promise<ResponseTotals[]> {
    const rows = await this.db.$queryRaw<
      {
        agent_id: string;
        claims: number;
        claim_seconds: number;
        first_outputs: number;
        first_output_seconds: number;
        responses: number;
        response_seconds: number;
      }[]
    >`
      SELECT agent_id,
        count(claim_seconds)::int AS claims,
        coalesce(sum(claim_seconds), 0)::float8 AS claim_seconds,
        count(first_output_seconds)::int AS first_outputs,
        coalesce(sum(first_output_seconds), 0)::float8 AS first_output_seconds,
        count(response_seconds)::int AS responses,
        coalesce(sum(response_seconds), 0)::float8 AS response_seconds
      FROM ${AGENT_RESPONSE}
      WHERE workspace_id = ${workspaceId}
        AND time >= ${iso(from)}::timestamptz AND time < ${iso(to)}::timestamptz
      GROUP BY agent_id`;
    return rows
      .map((row) => ({
        agentId: row.agent_id,
        claims: row.claims,
        claimSeconds: row.claim_seconds,
        firstOutputs: row.first_outputs,
        firstOutputSeconds: row.first_output_seconds,
        responses: row.responses,
        responseSeconds: row.response_seconds,
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
    const rows = await this.db.$queryRaw<
      {
        time: Date | string;
        billing: string;
        cost_micro_usd: number;
        input_tokens: number;
        output_tokens: number;
        cached_input_tokens: number;
      }[]
    >`
      SELECT date_bin(${INTERVAL_MS[interval] / 1_000}::float8 * interval '1 second', time,
          ${iso(bucketOrigin(interval))}::timestamptz) AS time,
        billing,
        sum(cost_micro_usd)::float8 AS cost_micro_usd,
        coalesce(sum(input_tokens), 0)::float8 AS input_tokens,
        coalesce(sum(output_tokens), 0)::float8 AS output_tokens,
        coalesce(sum(cached_input_tokens), 0)::float8 AS cached_input_tokens
      FROM ${AGENT_RUN}
      WHERE workspace_id = ${workspaceId}
        AND time >= ${iso(from)}::timestamptz AND time < ${iso(to)}::timestamptz
        -- Starts and ends carry no usage: a bucket of only those is no bucket.
        AND cost_micro_usd IS NOT NULL
        ${agentId === null ? Prisma.empty : Prisma.sql`AND agent_id = ${agentId}`}
      GROUP BY 1, 2`;
    return rows
      .filter((row) => isBilling(row.billing))
      .map((row) => ({
        time: new Date(row.time),
        billing: row.billing as CostBucket['billing'],
        costMicroUsd: row.cost_micro_usd,
        inputTokens: row.input_tokens,
        outputTokens: row.output_tokens,
        cachedInputTokens: row.cached_input_tokens,
      }))
      .sort(byTimeThenBilling);
  }

  async hostUsage(
    workspaceId: string,
    hostId: string,
    from: Date,
    to: Date,
    interval: HostUsageInterval,
  ): Promise<HostUsageBucket[]> {
    const rows = await this.db.$queryRaw<
      {
        time: Date | string;
        samples: number;
        cpu_percent: number | null;
        cpu_percent_max: number | null;
        memory_used_bytes: number | null;
        memory_total_bytes: number | null;
        disk_used_bytes: number | null;
        disk_total_bytes: number | null;
      }[]
    >`
      SELECT date_bin(${HOST_USAGE_INTERVAL_MS[interval] / 1_000}::float8 * interval '1 second',
          time, 'epoch'::timestamptz) AS time,
        count(cpu_percent)::int AS samples,
        avg(cpu_percent)::float8 AS cpu_percent,
        max(cpu_percent)::float8 AS cpu_percent_max,
        avg(memory_used_bytes)::float8 AS memory_used_bytes,
        max(memory_total_bytes)::float8 AS memory_total_bytes,
        avg(disk_used_bytes)::float8 AS disk_used_bytes,
        max(disk_total_bytes)::float8 AS disk_total_bytes
      FROM ${HOST_USAGE}
      WHERE workspace_id = ${workspaceId} AND host_id = ${hostId}
        AND time >= ${iso(from)}::timestamptz AND time < ${iso(to)}::timestamptz
      GROUP BY 1
      ORDER BY 1`;
    return rows
      .filter((row) => row.samples > 0)
      .map((row) => ({
        time: new Date(row.time),
        samples: row.samples,
        cpuPercent: row.cpu_percent ?? 0,
        cpuPercentMax: row.cpu_percent_max ?? 0,
        memoryUsedBytes: row.memory_used_bytes ?? 0,
        memoryTotalBytes: row.memory_total_bytes ?? 0,
        diskUsedBytes: row.disk_used_bytes ?? 0,
        diskTotalBytes: row.disk_total_bytes ?? 0,
      }));
  }
}
