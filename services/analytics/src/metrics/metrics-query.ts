import { AppError } from '@mission-control/errors';
import { bucketCount, type Interval } from './time-buckets';

export const MAX_BUCKETS = 1_000;
export const MAX_UTILISATION_DAYS = 366;

const DAY_MS = 86_400_000;

/** A validated time range of one workspace. */
export type MetricsRange = { workspaceId: string; from: Date; to: Date };

function range(workspaceId: string, from: Date, to: Date): MetricsRange {
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
  return { workspaceId, from, to };
}

/** Throws VALIDATION_ERROR for a bad range or one of more than MAX_BUCKETS buckets. */
export function throughputRange(
  workspaceId: string,
  from: Date,
  to: Date,
  interval: Interval,
): MetricsRange & { interval: Interval } {
  const checked = range(workspaceId, from, to);
  const buckets = bucketCount(from, to, interval);
  if (buckets > MAX_BUCKETS) {
    throw AppError.validation(
      `the range spans ${buckets} buckets of a ${interval}; at most ${MAX_BUCKETS}`,
      { field: 'to', maxBuckets: MAX_BUCKETS },
    );
  }
  return { ...checked, interval };
}

/** Throws VALIDATION_ERROR for a bad range or one longer than MAX_UTILISATION_DAYS. */
export function utilisationRange(workspaceId: string, from: Date, to: Date): MetricsRange {
  const checked = range(workspaceId, from, to);
  if (to.getTime() - from.getTime() > MAX_UTILISATION_DAYS * DAY_MS) {
    throw AppError.validation(`the range may span at most ${MAX_UTILISATION_DAYS} days`, {
      field: 'to',
      maxDays: MAX_UTILISATION_DAYS,
    });
  }
  return checked;
}
