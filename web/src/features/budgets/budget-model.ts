import type { BudgetFieldsFragment, BudgetPeriod, SetBudgetInput } from '../../graphql/generated';

export type BudgetView = BudgetFieldsFragment;

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const tokens = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export const formatUsd = (value: number): string => usd.format(value);
export const formatTokens = (value: number): string => `${tokens.format(value)} tokens`;

export const PERIODS: { value: BudgetPeriod; label: string }[] = [
  { value: 'DAY', label: 'Per day' },
  { value: 'MONTH', label: 'Per month' },
  { value: 'TOTAL', label: 'In total' },
];

const PER: Record<BudgetPeriod, string> = { DAY: 'per day', MONTH: 'per month', TOTAL: 'in total' };

/** "$25.00 / 2M tokens per day". */
export function limitsText(budget: Pick<BudgetView, 'costLimitUsd' | 'tokenLimit' | 'period'>) {
  const limits = [
    budget.costLimitUsd !== null ? formatUsd(budget.costLimitUsd) : null,
    budget.tokenLimit !== null ? formatTokens(budget.tokenLimit) : null,
  ].filter(Boolean);
  return `${limits.join(' / ')} ${PER[budget.period]}`;
}

/** How much of its tighter limit the period has used, 0–100+ (a zero limit counts as full). */
export function usedPercent(budget: BudgetView): number {
  const shares = [
    budget.costLimitUsd !== null ? share(budget.spentUsd, budget.costLimitUsd) : null,
    budget.tokenLimit !== null ? share(budget.spentTokens, budget.tokenLimit) : null,
  ].filter((value): value is number => value !== null);
  return Math.max(0, ...shares);
}

const share = (spent: number, limit: number) => (limit === 0 ? 100 : (spent / limit) * 100);

/** What the period spent, in the units its limits are in. */
export function spentText(budget: BudgetView): string {
  const parts = [
    budget.costLimitUsd !== null ? formatUsd(budget.spentUsd) : null,
    budget.tokenLimit !== null ? formatTokens(budget.spentTokens) : null,
  ].filter(Boolean);
  return parts.join(' · ');
}

export const STANDING: Record<BudgetView['standing'], { label: string; tone: string }> = {
  OK: { label: 'Within budget', tone: 'ok' },
  WARNING: { label: 'Nearing its limit', tone: 'warn' },
  EXCEEDED: { label: 'Work stopped', tone: 'danger' },
  RESUMED: { label: 'Resumed past its limit', tone: 'warn' },
};

/** "Resets in 5 h" / "Resets on 1 Jan" / "Never resets". */
export function resetText(periodEndsAt: string | null | undefined, now = Date.now()): string {
  if (!periodEndsAt) {
    return 'Never resets';
  }
  const ends = Date.parse(periodEndsAt);
  const hours = Math.max(0, Math.ceil((ends - now) / 3_600_000));
  if (hours <= 24) {
    return `Resets in ${hours} h`;
  }
  return `Resets on ${new Date(ends).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })}`;
}

/** The form as typed: strings, so a half-typed number is not lost. */
export type BudgetDraft = {
  name: string;
  agentId: string;
  period: BudgetPeriod;
  costLimitUsd: string;
  tokenLimit: string;
  warnPercent: string;
};

export const emptyDraft: BudgetDraft = {
  name: '',
  agentId: '',
  period: 'MONTH',
  costLimitUsd: '',
  tokenLimit: '',
  warnPercent: '80',
};

export function draftOf(budget: BudgetView): BudgetDraft {
  return {
    name: budget.name,
    agentId: budget.agentId ?? '',
    period: budget.period,
    costLimitUsd: budget.costLimitUsd !== null ? String(budget.costLimitUsd) : '',
    tokenLimit: budget.tokenLimit !== null ? String(budget.tokenLimit) : '',
    warnPercent: String(budget.warnPercent),
  };
}

/** The input for setBudget, or what a person must fix first (the server checks again). */
export function inputOf(
  draft: BudgetDraft,
  budgetId: string | null,
): { input: SetBudgetInput } | { problem: string } {
  const name = draft.name.trim();
  if (name === '') {
    return { problem: 'Give the budget a name.' };
  }
  const cost = draft.costLimitUsd.trim() === '' ? null : Number(draft.costLimitUsd);
  const tokenLimit = draft.tokenLimit.trim() === '' ? null : Number(draft.tokenLimit);
  if (cost === null && tokenLimit === null) {
    return { problem: 'Set a money limit, a token limit or both.' };
  }
  if (cost !== null && !(Number.isFinite(cost) && cost >= 0)) {
    return { problem: 'The money limit is an amount of US dollars, 0 or more.' };
  }
  if (tokenLimit !== null && !(Number.isInteger(tokenLimit) && tokenLimit >= 0)) {
    return { problem: 'The token limit is a whole number, 0 or more.' };
  }
  const warnPercent = Number(draft.warnPercent);
  if (!(Number.isInteger(warnPercent) && warnPercent >= 1 && warnPercent <= 100)) {
    return { problem: 'Warn at a share between 1 and 100 %.' };
  }
  return {
    input: {
      budgetId,
      name,
      agentId: draft.agentId === '' ? null : draft.agentId,
      period: draft.period,
      costLimitUsd: cost,
      tokenLimit,
      warnPercent,
    },
  };
}

const BUDGET_EVENTS = new Set([
  'mission.v1.BudgetSet',
  'mission.v1.BudgetDeleted',
  'mission.v1.BudgetWarningReached',
  'mission.v1.BudgetExceeded',
  'mission.v1.BudgetResumed',
  // Spend moves with every usage report.
  'mission.v1.RunUsageReported',
]);

/** Whether a live event changes what a budget shows. */
export const touchesBudgets = (type: string): boolean => BUDGET_EVENTS.has(type);
