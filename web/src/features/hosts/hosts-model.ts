import type { HostUsageInterval, HostUsageQuery } from '../../graphql/generated';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

export const HOST_RANGE_KEYS = ['1h', '6h', '24h', '7d'] as const;
export type HostRangeKey = (typeof HOST_RANGE_KEYS)[number];

export const HOST_RANGE_LABELS: Record<HostRangeKey, string> = {
  '1h': '1 hour',
  '6h': '6 hours',
  '24h': '24 hours',
  '7d': '7 days',
};

const RANGE_SPECS: Record<
  HostRangeKey,
  { durationMs: number; interval: HostUsageInterval; bucketMs: number }
> = {
  '1h': { durationMs: HOUR_MS, interval: 'MINUTE', bucketMs: MINUTE_MS },
  '6h': { durationMs: 6 * HOUR_MS, interval: 'FIVE_MINUTES', bucketMs: 5 * MINUTE_MS },
  '24h': { durationMs: 24 * HOUR_MS, interval: 'FIFTEEN_MINUTES', bucketMs: 15 * MINUTE_MS },
  '7d': { durationMs: 7 * 24 * HOUR_MS, interval: 'HOUR', bucketMs: HOUR_MS },
};

export type HostRange = { key: HostRangeKey; from: Date; to: Date; interval: HostUsageInterval };

/** The range up to `now`, starting on a whole bucket so the first one is not cut. */
export function hostRange(key: HostRangeKey, now: Date): HostRange {
  const { durationMs, interval, bucketMs } = RANGE_SPECS[key];
  const from = Math.floor((now.getTime() - durationMs) / bucketMs + 1) * bucketMs;
  return { key, from: new Date(from), to: now, interval };
}

/** Events after which a host's figures changed: its description, its agents, a sample. */
const HOST_EVENTS = new Set([
  'agent.v1.HostRegistered',
  'agent.v1.HostUpdated',
  'agent.v1.AgentPlacedOnHost',
  'agent.v1.HostSampled',
  'agent.v1.HostRemoved',
]);
export const changesHosts = (type: string): boolean => HOST_EVENTS.has(type);

/** A burst of samples (one every 15 s per host) is one refresh, not one each. */
export const HOST_REFRESH_DELAY_MS = 2_000;

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Bytes in binary units, three significant digits at most: 64 GiB, 12.5 GiB, 512 MiB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) {
    return '—';
  }
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value >= 100 || unit === 0 ? 0 : value >= 10 ? 1 : 2;
  return `${Number(value.toFixed(digits))} ${UNITS[unit]}`;
}

/** Bytes for a chart axis: short, whole where it can be (64G, 1.5T, 512M). */
export function formatBytesTick(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) {
    return '0';
  }
  const text = formatBytes(bytes);
  const [value = '', unit = ''] = text.split(' ');
  const short = Number(value) >= 10 ? String(Math.round(Number(value))) : value;
  return `${short}${unit === 'B' ? 'B' : unit.charAt(0)}`;
}

export const formatPercent = (percent: number): string =>
  `${percent >= 10 || percent === 0 ? Math.round(percent) : percent.toFixed(1)}%`;

/** Part of a whole, as a percentage; null when there is no whole. */
export const shareOf = (part: number, whole: number): number | null =>
  whole > 0 ? Math.min(100, (part / whole) * 100) : null;

export type UsagePoint = {
  time: string;
  label: string;
  cpu: number | null;
  cpuMax: number | null;
  memory: number | null;
  memoryTotal: number | null;
  disk: number | null;
  diskTotal: number | null;
};

const timeLabel = new Intl.DateTimeFormat('en', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});
const dayLabel = new Intl.DateTimeFormat('en', {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});

/** One chart point per bucket; a bucket without samples is a gap in the lines, not a zero. */
export function usagePoints(
  points: HostUsageQuery['hostUsage'],
  interval: HostUsageInterval,
): UsagePoint[] {
  const label = interval === 'HOUR' || interval === 'DAY' ? dayLabel : timeLabel;
  return points.map((point) => ({
    time: point.time,
    label: label.format(new Date(point.time)),
    cpu: point.cpuPercent === null ? null : Math.round(point.cpuPercent * 10) / 10,
    cpuMax: point.cpuPercentMax,
    memory: point.memoryUsedBytes,
    memoryTotal: point.memoryTotalBytes,
    disk: point.diskUsedBytes,
    diskTotal: point.diskTotalBytes,
  }));
}

/** Whether any bucket of the range had a sample. */
export const hasSamples = (points: readonly UsagePoint[]): boolean =>
  points.some((point) => point.cpu !== null);

/** "3 s ago", "4 min ago", "2 h ago", "3 d ago". */
export function formatAgo(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1_000));
  if (seconds < 60) {
    return `${seconds} s ago`;
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ago`;
  }
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} d ago`;
}
