import type { CostOverTimeQuery, MetricInterval } from '../../graphql/generated';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const RANGE_KEYS = ['24h', '7d', '30d'] as const;
export type RangeKey = (typeof RANGE_KEYS)[number];

export const RANGE_LABELS: Record<RangeKey, string> = {
  '24h': '24 hours',
  '7d': '7 days',
  '30d': '30 days',
};

export type CostRange = { key: RangeKey; from: Date; to: Date; interval: MetricInterval };

/**
 * The last 24 hours by the hour (from the start of the hour 23 hours ago), or the last 7 or 30
 * days by the UTC day (from midnight), up to `now`: whole buckets, so the first bar is not cut.
 */
export function costRange(key: RangeKey, now: Date): CostRange {
  if (key === '24h') {
    const hour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
    return { key, from: new Date(hour - 23 * HOUR_MS), to: now, interval: 'HOUR' };
  }
  const days = key === '7d' ? 7 : 30;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { key, from: new Date(today - (days - 1) * DAY_MS), to: now, interval: 'DAY' };
}

/** Events after which what runs cost has changed: a usage report, and a run's end. */
const COST_EVENTS = new Set(['mission.v1.RunUsageReported', 'mission.v1.RunFinished']);
export const changesCosts = (type: string): boolean => COST_EVENTS.has(type);

/**
 * How long after such an event the page asks again: the figures come from metrics the event is
 * still being counted into, and a burst of reports is one refresh, not one each.
 */
export const COST_REFRESH_DELAY_MS = 2_000;

export type CostBar = {
  time: string;
  label: string;
  /** Paid per token. */
  billed: number;
  /** Flat-rate runs at list price: not money spent. */
  estimated: number;
  total: number;
};

const hourLabel = new Intl.DateTimeFormat('en', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});
const dayLabel = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** One bar per bucket, the estimated part apart from what was billed. */
export function costBars(
  points: CostOverTimeQuery['costOverTime'],
  interval: MetricInterval,
): CostBar[] {
  const label = interval === 'HOUR' ? hourLabel : dayLabel;
  return points.map((point) => ({
    time: point.time,
    label: label.format(new Date(point.time)),
    billed: Math.max(0, point.costUsd - point.estimatedCostUsd),
    estimated: point.estimatedCostUsd,
    total: point.costUsd,
  }));
}

export type CostTotals = {
  costUsd: number;
  estimatedCostUsd: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
};

export function costTotals(points: CostOverTimeQuery['costOverTime']): CostTotals {
  return points.reduce<CostTotals>(
    (sum, point) => ({
      costUsd: sum.costUsd + point.costUsd,
      estimatedCostUsd: sum.estimatedCostUsd + point.estimatedCostUsd,
      inputTokens: sum.inputTokens + point.inputTokens,
      outputTokens: sum.outputTokens + point.outputTokens,
      cachedInputTokens: sum.cachedInputTokens + point.cachedInputTokens,
    }),
    { costUsd: 0, estimatedCostUsd: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
  );
}

const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
});
const usdShort = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 2,
});
const tokens = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en-US');

/** "$0.0384", "$12.50". */
export const formatUsd = (value: number): string => usd.format(value);

/** For an axis: "$0", "$0.5", "$12". */
export const formatUsdTick = (value: number): string => usdShort.format(value);

/** "12.3K", "1.2M". */
export const formatTokens = (value: number): string => tokens.format(value);

export const formatCount = (value: number): string => whole.format(value);

/** "75 %", or an en dash when there is no rate. */
export function formatRate(rate: number | null): string {
  return rate === null ? '–' : `${Math.round(rate * 100)} %`;
}

/** The estimated part of a cost as a share: "40 %", "–" when nothing was spent. */
export function estimatedShare(costUsd: number, estimatedCostUsd: number): string {
  return costUsd > 0 ? formatRate(estimatedCostUsd / costUsd) : '–';
}

/** "45 s", "2 min 5 s", "1 h 3 min", or an en dash when unknown. */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) {
    return '–';
  }
  const rounded = Math.round(seconds);
  if (rounded < 60) {
    return `${rounded} s`;
  }
  const minutes = Math.floor(rounded / 60);
  if (minutes < 60) {
    return `${minutes} min ${rounded % 60} s`;
  }
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
