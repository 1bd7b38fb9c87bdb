import type { CostBucket, ResponseTotals, RunTotals } from './agent-runs';
import type { HostUsageBucket, HostUsageInterval } from './host-usage';
import type { MetricPoint } from './metric-points';
import type { AgentTimeline } from './status-timeline';
import type { Interval, ThroughputBucket } from './time-buckets';

export type { AgentTimeline } from './status-timeline';

/** A mission's move into DONE (or its creation there), with its cycle time when it has one. */
export type MissionCompletion = {
  missionId: string;
  time: Date;
  /** From its first IN_PROGRESS to DONE; null when it never was in progress. */
  cycleTimeSeconds: number | null;
};

/**
 * The metrics time series as the service and the live projections use them, whatever engine
 * holds them (ARCHITECTURE rule 9): InfluxDB in production, Postgres in standalone mode.
 *
 * Points are those the projections build (metric-points.ts): an agent's status change
 * (measurement agent_status, tags workspace_id and agent_id), a mission's flow (mission_flow,
 * tags workspace_id and mission_id, fields created, done and cycle_time_seconds), a run's start,
 * usage and end (agent_run), a claim's response times (agent_response) and a runtime host's
 * samples (host_usage, tags workspace_id and host_id). A point is
 * identified by its measurement, tags and timestamp, which are deterministic: writing it again
 * replaces it, so a replay or a redelivery changes nothing.
 *
 * Every read is of one workspace over [from, to), by the points' event time (the millisecond
 * part of their timestamp).
 *
 * Dropping and comparing the series for a rebuild is InfluxDB-only for now (`InfluxMetricsStore`);
 * it is not part of this port.
 */
export abstract class MetricsStore {
  /** Creates the storage if it is missing; safe to call concurrently and repeatedly. */
  abstract ensureStorage(): Promise<void>;

  abstract write(points: readonly MetricPoint[]): Promise<void>;

  /**
   * Missions created and done per bucket (bucketStart's, time-buckets.ts), oldest first; buckets
   * with neither are left out. Bucket times are bucket starts, the first one possibly before `from`.
   */
  abstract throughput(
    workspaceId: string,
    from: Date,
    to: Date,
    interval: Interval,
  ): Promise<ThroughputBucket[]>;

  /**
   * Every agent with a status change before `to`: its last status before `from` and its changes
   * in the range, oldest first (changes of the same millisecond in stream order).
   */
  abstract agentTimelines(workspaceId: string, from: Date, to: Date): Promise<AgentTimeline[]>;

  /** Completions in the range, by time then mission id. */
  abstract completions(workspaceId: string, from: Date, to: Date): Promise<MissionCompletion[]>;

  /**
   * Each agent's runs in the range per billing (agents with no agent_run point in it are left
   * out), by agent then billing: starts, ends and usage each counted by their own time.
   */
  abstract runTotals(workspaceId: string, from: Date, to: Date): Promise<RunTotals[]>;

  /** Each agent's claims made in the range (by the claim's time), by agent. */
  abstract responseTotals(workspaceId: string, from: Date, to: Date): Promise<ResponseTotals[]>;

  /**
   * Usage reported per bucket and billing, of one agent or (null) all, by time then billing;
   * buckets without usage are left out. Bucket times are bucket starts, as for throughput.
   */
  abstract costs(
    workspaceId: string,
    from: Date,
    to: Date,
    interval: Interval,
    agentId: string | null,
  ): Promise<CostBucket[]>;

  /**
   * One host's samples per bucket (buckets from the epoch): mean and peak CPU, mean memory and
   * disk used, the largest totals; oldest first, buckets without samples left out.
   */
  abstract hostUsage(
    workspaceId: string,
    hostId: string,
    from: Date,
    to: Date,
    interval: HostUsageInterval,
  ): Promise<HostUsageBucket[]>;
}

/** The order {@link MetricsStore.completions} promises. */
export const byTimeThenMission = (a: MissionCompletion, b: MissionCompletion): number =>
  a.time.getTime() - b.time.getTime() ||
  (a.missionId < b.missionId ? -1 : a.missionId > b.missionId ? 1 : 0);
