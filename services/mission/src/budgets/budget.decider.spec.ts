import { AppError } from '@mission-control/errors';
import { given } from '@mission-control/eventing';
import { domainEvent, missionV1, type Actor } from '@mission-control/proto';
import { checkBudgetSpend, deleteBudget, resumeBudget, setBudget } from './budget.commands';
import { budgetDecider } from './budget.decider';

const workspaceId = '0193a0c4-0000-7000-8000-00000000000a';
const otherWorkspaceId = '0193a0c4-0000-7000-8000-00000000000b';
const budgetId = '0193a0c4-0000-7000-8000-0000000000b1';
const ada: Actor = { kind: 'user', id: '0193a0c4-0000-7000-8000-000000000001' };
const keeper: Actor = { kind: 'system', id: 'mission-budgets' };
const day = '2026-12-07';
const code = (expected: string) => (error: unknown) =>
  error instanceof AppError && error.code === expected;

const set = (costLimitMicroUsd: number | null, workspace = workspaceId) =>
  setBudget({
    workspaceId: workspace,
    actor: ada,
    data: {
      budgetId,
      agentId: 'agent-scout',
      name: 'Scout per day',
      period: 'day',
      tokenLimit: null,
      costLimitMicroUsd,
      warnPercent: 80,
    },
  });
const wasSet = (costLimitMicroUsd: bigint) =>
  domainEvent('mission.v1.BudgetSet', {
    budgetId,
    workspaceId,
    agentId: 'agent-scout',
    name: 'Scout per day',
    period: missionV1.BudgetPeriod.DAY,
    costLimitMicroUsd,
    warnPercent: 80,
  });
const spent = (costMicroUsd: number, periodKey = day) =>
  checkBudgetSpend({
    workspaceId,
    actor: keeper,
    data: { budgetId, periodKey, tokens: 10, costMicroUsd },
  });
const reached = (periodKey: string, costMicroUsd: bigint) => ({
  budgetId,
  periodKey,
  spentTokens: 10n,
  spentMicroUsd: costMicroUsd,
});
const warned = (cost: bigint, periodKey = day) =>
  domainEvent('mission.v1.BudgetWarningReached', reached(periodKey, cost));
const exceeded = (cost: bigint, periodKey = day) =>
  domainEvent('mission.v1.BudgetExceeded', reached(periodKey, cost));
const resumed = domainEvent('mission.v1.BudgetResumed', { budgetId, periodKey: day });

describe('budget decider', () => {
  it('sets a budget and needs at least one limit', () => {
    given(budgetDecider)
      .when(set(5_000_000))
      .then([wasSet(5_000_000n)]);
    expect(() => set(null)).toThrow('a budget needs a token limit, a money limit or both');
  });

  it('warns once at the warning share and stops once at the limit, per period', () => {
    given(budgetDecider, [wasSet(10n)])
      .when(spent(7))
      .then([]);
    given(budgetDecider, [wasSet(10n)])
      .when(spent(8))
      .then([warned(8n)]);
    given(budgetDecider, [wasSet(10n), warned(8n)])
      .when(spent(9))
      .then([]);
    given(budgetDecider, [wasSet(10n), warned(8n)])
      .when(spent(12))
      .then([exceeded(12n)]);
    given(budgetDecider, [wasSet(10n), warned(8n), exceeded(12n)])
      .when(spent(20))
      .then([]);
  });

  it('announces a warning and a stop together when one report crosses both', () => {
    given(budgetDecider, [wasSet(10n)])
      .when(spent(11))
      .then([warned(11n), exceeded(11n)]);
  });

  it('starts again from zero in a new period', () => {
    given(budgetDecider, [wasSet(10n), warned(8n), exceeded(12n)])
      .when(spent(10, '2026-12-08'))
      .then([warned(10n, '2026-12-08'), exceeded(10n, '2026-12-08')]);
  });

  it('resumes only a stopped period, and a resumed one does not stop again', () => {
    given(budgetDecider, [wasSet(10n)])
      .when(resumeBudget({ workspaceId, actor: ada, data: { budgetId, periodKey: day } }))
      .thenThrows(code('CONFLICT'));
    given(budgetDecider, [wasSet(10n), warned(8n), exceeded(12n)])
      .when(resumeBudget({ workspaceId, actor: ada, data: { budgetId, periodKey: day } }))
      .then([resumed]);
    given(budgetDecider, [wasSet(10n), warned(8n), exceeded(12n), resumed])
      .when(spent(40))
      .then([]);
    // Set afresh, its limits apply again: the resume ends (12 of 20 is under the warning too).
    given(budgetDecider, [wasSet(10n), warned(8n), exceeded(12n), resumed, wasSet(20n)])
      .when(spent(40))
      .then([warned(40n), exceeded(40n)]);
  });

  it('lifts a stop the new limits no longer reach, and keeps one they still reach', () => {
    const history = [wasSet(10n), warned(8n), exceeded(12n)];
    given(budgetDecider, [...history, wasSet(100n)])
      .when(spent(13))
      .then([]);
    given(budgetDecider, [...history, wasSet(14n)])
      .when(spent(13))
      .then([]);
    given(budgetDecider, [...history, wasSet(12n)])
      .when(spent(13))
      .then([]);
    // Lowered again below the spend: the stop was lifted, so it is announced again.
    given(budgetDecider, [...history, wasSet(100n), wasSet(10n)])
      .when(spent(13))
      .then([warned(13n), exceeded(13n)]);
  });

  it('keeps its agent, and is not found from another workspace or once deleted', () => {
    given(budgetDecider, [wasSet(10n)])
      .when(
        setBudget({
          workspaceId,
          actor: ada,
          data: {
            budgetId,
            agentId: null,
            name: 'Whole workspace',
            period: 'day',
            tokenLimit: 5,
            costLimitMicroUsd: null,
            warnPercent: 80,
          },
        }),
      )
      .thenThrows(code('VALIDATION_ERROR'));
    given(budgetDecider, [wasSet(10n)])
      .when(set(20, otherWorkspaceId))
      .thenThrows(code('NOT_FOUND'));
    const deleted = domainEvent('mission.v1.BudgetDeleted', { budgetId });
    given(budgetDecider, [wasSet(10n)])
      .when(deleteBudget({ workspaceId, actor: ada, data: { budgetId } }))
      .then([deleted]);
    given(budgetDecider, [wasSet(10n), deleted])
      .when(set(20))
      .thenThrows(code('NOT_FOUND'));
    given(budgetDecider, [wasSet(10n), deleted])
      .when(spent(50))
      .then([]);
  });
});
