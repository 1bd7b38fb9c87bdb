/** Measurements the projections write to InfluxDB. */
export const AGENT_STATUS_MEASUREMENT = 'agent_status';
export const MISSION_FLOW_MEASUREMENT = 'mission_flow';
/**
 * One point per run event that counts: its start (`started`), each usage report (tokens,
 * `cost_micro_usd`, `unpriced_reports`) and its end (`finished`, `succeeded`,
 * `duration_seconds`). Tags workspace_id, agent_id, run_id and billing (metered or subscription).
 */
export const AGENT_RUN_MEASUREMENT = 'agent_run';
/**
 * One point per claim, at the claim's time: `claim_seconds` (assigned → claimed),
 * `first_output_seconds` (claimed → the first log line of its runs) and `response_seconds`
 * (assigned → that line). Tags workspace_id, agent_id, mission_id.
 */
export const AGENT_RESPONSE_MEASUREMENT = 'agent_response';
/**
 * One point per host sample (HostSampled): `cpu_percent`, `memory_used_bytes`,
 * `memory_total_bytes`, `disk_used_bytes`, `disk_total_bytes`. Tags workspace_id and host_id.
 */
export const HOST_USAGE_MEASUREMENT = 'host_usage';
export const MEASUREMENTS = [
  AGENT_STATUS_MEASUREMENT,
  MISSION_FLOW_MEASUREMENT,
  AGENT_RUN_MEASUREMENT,
  AGENT_RESPONSE_MEASUREMENT,
  HOST_USAGE_MEASUREMENT,
] as const;

export type MetricPoint = {
  measurement: (typeof MEASUREMENTS)[number];
  tags: Record<string, string>;
  fields: Record<string, number | string>;
  /** Nanoseconds since the epoch, as digits. */
  timestamp: string;
};

/**
 * The point's time: the event's time to the millisecond, plus the event's stream version in the
 * nanoseconds. Deterministic, so a replay overwrites the same point; unique within a series
 * (series are per stream), so two events of one append (same millisecond) both survive.
 */
export function pointTimestamp(time: Date, streamVersion: number): string {
  if (!Number.isInteger(streamVersion) || streamVersion < 1 || streamVersion >= 1_000_000) {
    throw new Error(`Stream version ${streamVersion} does not fit a point's nanoseconds`);
  }
  return (BigInt(time.getTime()) * 1_000_000n + BigInt(streamVersion)).toString();
}

/**
 * {@link pointTimestamp} for a stream that outgrows a million events (a host samples every 15 s):
 * its version wrapped below a million in the nanoseconds, still deterministic and, since two events of
 * one stream a million versions apart never share a millisecond, unique within the series.
 */
export function longStreamPointTimestamp(time: Date, streamVersion: number): string {
  if (!Number.isInteger(streamVersion) || streamVersion < 1) {
    throw new Error(`Stream version ${streamVersion} is not a stream version`);
  }
  return pointTimestamp(time, ((streamVersion - 1) % 999_999) + 1);
}

/** Nanoseconds since the epoch for InfluxQL time literals. */
export const nanoseconds = (time: Date): string => (BigInt(time.getTime()) * 1_000_000n).toString();
