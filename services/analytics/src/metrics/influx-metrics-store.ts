import { Inject, Injectable } from '@nestjs/common';
import { escape, InfluxDB, type INanoDate, type IPoint } from 'influx';
import { engineUnavailable } from '../engines/engine-unavailable.error';
import { INFLUX, INFLUX_DATABASE } from '../engines/engines.module';
import {
  AGENT_STATUS_MEASUREMENT,
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
