import { AppError } from '@mission-control/errors';

/** Bucket sizes of a host's usage: samples come every 15 s, so finer than the other series. */
export const HOST_USAGE_INTERVALS = [
  'minute',
  'five_minutes',
  'fifteen_minutes',
  'hour',
  'day',
] as const;
export type HostUsageInterval = (typeof HOST_USAGE_INTERVALS)[number];

export const HOST_USAGE_INTERVAL_MS: Readonly<Record<HostUsageInterval, number>> = {
  minute: 60_000,
  five_minutes: 300_000,
  fifteen_minutes: 900_000,
  hour: 3_600_000,
  day: 86_400_000,
};

export const MAX_HOST_USAGE_BUCKETS = 1_000;

/** InfluxQL `GROUP BY time(…)`: buckets from the epoch, as date_bin's in Postgres. */
export const influxHostUsageGroupBy = (interval: HostUsageInterval): string =>
  `time(${HOST_USAGE_INTERVAL_MS[interval] / 1_000}s)`;

/** What a bucket's samples add up to; the store leaves buckets without samples out. */
export type HostUsageBucket = {
  /** Where the bucket starts. */
  time: Date;
  samples: number;
  cpuPercent: number;
  cpuPercentMax: number;
  memoryUsedBytes: number;
  memoryTotalBytes: number;
  diskUsedBytes: number;
  diskTotalBytes: number;
};

/** A bucket as served: the figures are null when no sample came in it. */
export type HostUsagePoint = {
  time: Date;
  samples: number;
  cpuPercent: number | null;
  cpuPercentMax: number | null;
  memoryUsedBytes: number | null;
  memoryTotalBytes: number | null;
  diskUsedBytes: number | null;
  diskTotalBytes: number | null;
};

export const hostUsageBucketStart = (time: Date, interval: HostUsageInterval): Date => {
  const size = HOST_USAGE_INTERVAL_MS[interval];
  return new Date(Math.floor(time.getTime() / size) * size);
};

/** Throws VALIDATION_ERROR for a bad range or one of more than MAX_HOST_USAGE_BUCKETS buckets. */
export function hostUsageRange(from: Date, to: Date, interval: HostUsageInterval): void {
  for (const [field, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (Number.isNaN(value.getTime())) {
      throw AppError.validation(`${field} is not a valid time`, { field });
    }
  }
  if (from.getTime() >= to.getTime()) {
    throw AppError.validation('from must be before to', { field: 'from' });
  }
  const size = HOST_USAGE_INTERVAL_MS[interval];
  const buckets = Math.ceil((to.getTime() - hostUsageBucketStart(from, interval).getTime()) / size);
  if (buckets > MAX_HOST_USAGE_BUCKETS) {
    throw AppError.validation(
      `the range spans ${buckets} buckets of the interval; at most ${MAX_HOST_USAGE_BUCKETS}`,
      { field: 'to', maxBuckets: MAX_HOST_USAGE_BUCKETS },
    );
  }
}

/** Every bucket of [from, to) in order: what the store found, and empty buckets in between. */
export function hostUsageSeries(
  from: Date,
  to: Date,
  interval: HostUsageInterval,
  found: readonly HostUsageBucket[],
): HostUsagePoint[] {
  const size = HOST_USAGE_INTERVAL_MS[interval];
  const byStart = new Map(
    found.map((bucket) => [hostUsageBucketStart(bucket.time, interval).getTime(), bucket]),
  );
  const points: HostUsagePoint[] = [];
  for (
    let start = hostUsageBucketStart(from, interval).getTime();
    start < to.getTime();
    start += size
  ) {
    const bucket = byStart.get(start);
    points.push(
      bucket
        ? { ...bucket, time: new Date(start) }
        : {
            time: new Date(start),
            samples: 0,
            cpuPercent: null,
            cpuPercentMax: null,
            memoryUsedBytes: null,
            memoryTotalBytes: null,
            diskUsedBytes: null,
            diskTotalBytes: null,
          },
    );
  }
  return points;
}
