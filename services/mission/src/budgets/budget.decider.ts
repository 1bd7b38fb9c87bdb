import { AppError } from '@mission-control/errors';
import { assertNever, type Decider } from '@mission-control/eventing';
import { domainEvent, missionV1, type DomainEvent } from '@mission-control/proto';
import {
  reachesLimit,
  reachesWarning,
  type BudgetPeriod,
  type Limits,
  type Spend,
} from './budget-period';
import type { BudgetCommand } from './budget.commands';

export type BudgetEvent = Extract<
  DomainEvent,
  {
    type:
      | 'mission.v1.BudgetSet'
      | 'mission.v1.BudgetDeleted'
      | 'mission.v1.BudgetWarningReached'
      | 'mission.v1.BudgetExceeded'
      | 'mission.v1.BudgetResumed';
  }
>;

/** Where one period of a budget stands. */
export type PeriodState = {
  key: string;
  spend: Spend;
  warned: boolean;
  /** Its hard stop is on: runs and claims under it are refused. */
  stopped: boolean;
  /** An admin let work go on past the limit until the period ends. */
  resumed: boolean;
};

export type BudgetState = {
  status: 'none' | 'active' | 'deleted';
  workspaceId: string;
  agentId: string | null;
  name: string;
  period: BudgetPeriod;
  limits: Limits;
  /** The period the command is about; null when it has spent nothing yet. */
  current: PeriodState | null;
};

export const budgetStreamId = (budgetId: string): string => `budget-${budgetId}`;

export const initialBudgetState: BudgetState = {
  status: 'none',
  workspaceId: '',
  agentId: null,
  name: '',
  period: 'month',
  limits: { tokenLimit: null, costLimitMicroUsd: null, warnPercent: 80 },
  current: null,
};

const PERIOD = {
  day: missionV1.BudgetPeriod.DAY,
  month: missionV1.BudgetPeriod.MONTH,
  total: missionV1.BudgetPeriod.TOTAL,
};
const periods = new Map(Object.entries(PERIOD).map(([key, value]) => [value, key as BudgetPeriod]));
export const fromProtoPeriod = (value: missionV1.BudgetPeriod): BudgetPeriod =>
  periods.get(value) ?? 'month';

const optional = (value: number | null) => (value === null ? undefined : BigInt(value));
const numberOr = (value: bigint | undefined) => (value === undefined ? null : Number(value));

function requireBudget(state: BudgetState, workspaceId: string): void {
  if (state.status !== 'active' || state.workspaceId !== workspaceId) {
    throw AppError.notFound('Budget');
  }
}

const emptyPeriod = (key: string): PeriodState => ({
  key,
  spend: { tokens: 0, costMicroUsd: 0 },
  warned: false,
  stopped: false,
  resumed: false,
});

/** The period `key` as the state knows it, or a fresh one. */
const periodOf = (state: BudgetState, key: string): PeriodState =>
  state.current?.key === key ? state.current : emptyPeriod(key);

/**
 * New limits apply to what the period already spent: a warning or stop the spend no longer
 * reaches is lifted, one it still reaches stays (and is not announced twice). A resume ends: the
 * admin set the limits afresh, so they apply.
 */
export function rejudged(current: PeriodState | null, limits: Limits): PeriodState | null {
  if (current === null) {
    return null;
  }
  return {
    ...current,
    warned: current.warned && reachesWarning(limits, current.spend),
    stopped: current.stopped && reachesLimit(limits, current.spend),
    resumed: false,
  };
}

/**
 * The budget aggregate (stream `budget-<id>`, PRODUCT M17): limits per period, a warning once per
 * period at the warning share, and a hard stop once per period at a limit, unless an admin
 * resumed it. Spend is what the usage reports of the period added up to (CheckBudgetSpend).
 */
export const budgetDecider: Decider<BudgetCommand, BudgetEvent, BudgetState> = {
  initialState: initialBudgetState,

  decide(command, state) {
    const { workspaceId } = command;
    switch (command.type) {
      case 'SetBudget': {
        const { data } = command;
        if (
          state.status === 'deleted' ||
          (state.status === 'active' && state.workspaceId !== workspaceId)
        ) {
          throw AppError.notFound('Budget');
        }
        if (state.status === 'active' && state.agentId !== data.agentId) {
          throw AppError.validation('A budget keeps the agent it was made for: make another one', {
            fields: [{ path: 'agentId', message: 'cannot change' }],
          });
        }
        return [
          domainEvent('mission.v1.BudgetSet', {
            budgetId: data.budgetId,
            workspaceId,
            agentId: data.agentId ?? '',
            name: data.name,
            period: PERIOD[data.period],
            tokenLimit: optional(data.tokenLimit),
            costLimitMicroUsd: optional(data.costLimitMicroUsd),
            warnPercent: data.warnPercent,
          }),
        ];
      }

      case 'DeleteBudget':
        requireBudget(state, workspaceId);
        return [domainEvent('mission.v1.BudgetDeleted', { budgetId: command.data.budgetId })];

      case 'ResumeBudget': {
        requireBudget(state, workspaceId);
        const { budgetId, periodKey } = command.data;
        if (!periodOf(state, periodKey).stopped) {
          throw AppError.conflict(
            'The budget has not stopped work in this period: nothing to resume',
          );
        }
        return [domainEvent('mission.v1.BudgetResumed', { budgetId, periodKey })];
      }

      case 'CheckBudgetSpend': {
        if (state.status !== 'active') {
          return [];
        }
        const { budgetId, periodKey, tokens, costMicroUsd } = command.data;
        const period = periodOf(state, periodKey);
        const spend = { tokens, costMicroUsd };
        const reached = {
          budgetId,
          periodKey,
          spentTokens: BigInt(tokens),
          spentMicroUsd: BigInt(costMicroUsd),
        };
        const events: BudgetEvent[] = [];
        if (!period.warned && reachesWarning(state.limits, spend)) {
          events.push(domainEvent('mission.v1.BudgetWarningReached', reached));
        }
        if (!period.stopped && !period.resumed && reachesLimit(state.limits, spend)) {
          events.push(domainEvent('mission.v1.BudgetExceeded', reached));
        }
        return events;
      }

      default:
        return assertNever(command, 'command');
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'mission.v1.BudgetSet': {
        const { data } = event;
        const limits = {
          tokenLimit: numberOr(data.tokenLimit),
          costLimitMicroUsd: numberOr(data.costLimitMicroUsd),
          warnPercent: data.warnPercent,
        };
        return {
          ...state,
          status: 'active',
          workspaceId: data.workspaceId,
          agentId: data.agentId || null,
          name: data.name,
          period: fromProtoPeriod(data.period),
          limits,
          current: rejudged(state.current, limits),
        };
      }
      case 'mission.v1.BudgetDeleted':
        return { ...state, status: 'deleted' };
      case 'mission.v1.BudgetWarningReached':
      case 'mission.v1.BudgetExceeded': {
        const { periodKey, spentTokens, spentMicroUsd } = event.data;
        const period = periodOf(state, periodKey);
        const spend = { tokens: Number(spentTokens), costMicroUsd: Number(spentMicroUsd) };
        return {
          ...state,
          current:
            event.type === 'mission.v1.BudgetWarningReached'
              ? { ...period, spend, warned: true }
              : { ...period, spend, stopped: true },
        };
      }
      case 'mission.v1.BudgetResumed':
        return {
          ...state,
          current: { ...periodOf(state, event.data.periodKey), stopped: false, resumed: true },
        };
      default:
        return assertNever(event, 'event');
    }
  },
};
