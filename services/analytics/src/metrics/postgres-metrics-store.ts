import { DATABASE_SCHEMA } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import {
  AGENT_STATUS_MEASUREMENT,
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
export type MetricRows = { agentStatus: AgentStatusRow[]; missionFlow: MissionFlowRow[] };

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
      default: {
        const unexpected: never = point.measurement;
        throw new Error(`Unknown measurement ${String(unexpected)}`);
      }
    }
  }
  return { agentStatus: [...agentStatus.values()], missionFlow: [...missionFlow.values()] };
}

const iso = (time: Date) => time.toISOString();

/**
 * The metrics time series in Postgres (standalone mode), in tables analytics.metric_agent_status
 * and analytics.metric_mission_flow: one row per point, indexed by (workspace_id, time), bucketed
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
    const { agentStatus, missionFlow } = metricRows(points);
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
}
