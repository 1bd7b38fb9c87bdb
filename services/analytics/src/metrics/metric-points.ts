/** Measurements the projections write to InfluxDB. */
export const AGENT_STATUS_MEASUREMENT = 'agent_status';
export const MISSION_FLOW_MEASUREMENT = 'mission_flow';
export const MEASUREMENTS = [AGENT_STATUS_MEASUREMENT, MISSION_FLOW_MEASUREMENT] as const;

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

/** Nanoseconds since the epoch for InfluxQL time literals. */
export const nanoseconds = (time: Date): string => (BigInt(time.getTime()) * 1_000_000n).toString();
