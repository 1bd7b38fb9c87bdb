import type { AnalyticsQuery } from '../../graphql/generated';

export const DAY_MS = 86_400_000;

/** The UTC midnight `days - 1` days before `now`'s, and `now`: the range of the last `days` days. */
export function lastDays(now: Date, days: number): { from: Date; to: Date } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { from: new Date(today - (days - 1) * DAY_MS), to: now };
}

export type DayCount = { day: string; label: string; done: number; created: number };

const dayLabel = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** One bar per day from `from`, days without a point counted as zero. */
export function dailySeries(
  points: AnalyticsQuery['missionThroughput'],
  from: Date,
  days: number,
): DayCount[] {
  const byDay = new Map<string, { done: number; created: number }>();
  for (const point of points) {
    const day = new Date(point.time).toISOString().slice(0, 10);
    const sum = byDay.get(day) ?? { done: 0, created: 0 };
    byDay.set(day, { done: sum.done + point.done, created: sum.created + point.created });
  }
  return Array.from({ length: days }, (_, index) => {
    const date = new Date(from.getTime() + index * DAY_MS);
    const day = date.toISOString().slice(0, 10);
    const counts = byDay.get(day) ?? { done: 0, created: 0 };
    return { day, label: dayLabel.format(date), ...counts };
  });
}

export type AgentBar = { agentId: string; name: string; percent: number };

/** Utilisation as whole percentages, busiest first, named from the roster. */
export function utilisationBars(
  rows: AnalyticsQuery['agentUtilisation'],
  names: Map<string, string>,
): AgentBar[] {
  return rows
    .map((row) => ({
      agentId: row.agentId,
      name: names.get(row.agentId) ?? 'Unknown agent',
      percent: Math.round(Math.max(0, Math.min(1, row.utilisation)) * 100),
    }))
    .sort((a, b) => b.percent - a.percent || a.name.localeCompare(b.name));
}
