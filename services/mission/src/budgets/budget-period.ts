export const BUDGET_PERIODS = ['day', 'month', 'total'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

/** What a period spends: input plus output tokens, and millionths of a US dollar. */
export type Spend = { tokens: number; costMicroUsd: number };

export type Limits = {
  tokenLimit: number | null;
  costLimitMicroUsd: number | null;
  /** 1–100: the share of a limit at which people are warned. */
  warnPercent: number;
};

/** The period `at` falls in, in UTC: `2026-12-07`, `2026-12` or `total`. */
export function periodKeyOf(period: BudgetPeriod, at: Date): string {
  const iso = at.toISOString();
  switch (period) {
    case 'day':
      return iso.slice(0, 10);
    case 'month':
      return iso.slice(0, 7);
    case 'total':
      return 'total';
  }
}

/** When the period of `at` ends and spend starts again from zero; null for `total`. */
export function periodEndOf(period: BudgetPeriod, at: Date): Date | null {
  const [year, month, day] = [at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()];
  switch (period) {
    case 'day':
      return new Date(Date.UTC(year, month, day + 1));
    case 'month':
      return new Date(Date.UTC(year, month + 1, 1));
    case 'total':
      return null;
  }
}

const reaches = (spent: number, limit: number | null, percent: number): boolean =>
  limit !== null && spent * 100 >= limit * percent;

/** Whether the spend reached the warning share of either limit. */
export const reachesWarning = (limits: Limits, spend: Spend): boolean =>
  reaches(spend.tokens, limits.tokenLimit, limits.warnPercent) ||
  reaches(spend.costMicroUsd, limits.costLimitMicroUsd, limits.warnPercent);

/** Whether the spend reached either limit: the hard stop. */
export const reachesLimit = (limits: Limits, spend: Spend): boolean =>
  reaches(spend.tokens, limits.tokenLimit, 100) ||
  reaches(spend.costMicroUsd, limits.costLimitMicroUsd, 100);
