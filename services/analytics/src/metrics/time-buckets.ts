export const INTERVALS = ['hour', 'day', 'week'] as const;
export type Interval = (typeof INTERVALS)[number];

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const INTERVAL_MS: Readonly<Record<Interval, number>> = {
  hour: HOUR_MS,
  day: DAY_MS,
  week: 7 * DAY_MS,
};

// 1970-01-01 was a Thursday: weeks counted from the epoch start four days later, on a Monday.
const WEEK_OFFSET_MS = 4 * DAY_MS;

const offsetOf = (interval: Interval): number => (interval === 'week' ? WEEK_OFFSET_MS : 0);

/**
 * A time every bucket of the interval starts a whole number of buckets from: the epoch, or for
 * weeks the first Monday after it. What SQL's `date_bin` needs to give {@link bucketStart}'s buckets.
 */
export const bucketOrigin = (interval: Interval): Date => new Date(offsetOf(interval));

/** The start of the UTC bucket holding `time` (weeks start on Mondays). */
export function bucketStart(time: Date, interval: Interval): Date {
  const size = INTERVAL_MS[interval];
  const offset = offsetOf(interval);
  return new Date(Math.floor((time.getTime() - offset) / size) * size + offset);
}

/** The buckets that overlap [from, to), oldest first. */
export function bucketStarts(from: Date, to: Date, interval: Interval): Date[] {
  const starts: Date[] = [];
  const size = INTERVAL_MS[interval];
  for (let start = bucketStart(from, interval).getTime(); start < to.getTime(); start += size) {
    starts.push(new Date(start));
  }
  return starts;
}

/** How many buckets [from, to) spans. */
export function bucketCount(from: Date, to: Date, interval: Interval): number {
  const first = bucketStart(from, interval).getTime();
  return Math.ceil((to.getTime() - first) / INTERVAL_MS[interval]);
}

/** InfluxQL `GROUP BY time(…)` whose buckets are exactly {@link bucketStart}'s. */
export function influxGroupByTime(interval: Interval): string {
  switch (interval) {
    case 'hour':
      return 'time(1h)';
    case 'day':
      return 'time(1d)';
    case 'week':
      return 'time(7d, 4d)';
    default: {
      const unexpected: never = interval;
      throw new Error(`Unknown interval ${String(unexpected)}`);
    }
  }
}

export type Counts = { created: number; done: number };
export type ThroughputBucket = Counts & { time: Date };

/**
 * Every bucket of [from, to) in order, with the counts found for it and zeros where nothing
 * happened; counts reported for the same bucket are added up.
 */
export function fillBuckets(
  from: Date,
  to: Date,
  interval: Interval,
  found: readonly ThroughputBucket[],
): ThroughputBucket[] {
  const totals = new Map<number, Counts>();
  for (const entry of found) {
    const key = bucketStart(entry.time, interval).getTime();
    const total = totals.get(key) ?? { created: 0, done: 0 };
    totals.set(key, { created: total.created + entry.created, done: total.done + entry.done });
  }
  return bucketStarts(from, to, interval).map((time) => ({
    time,
    ...(totals.get(time.getTime()) ?? { created: 0, done: 0 }),
  }));
}
