import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@mission-control/auth';
import { AppError } from '@mission-control/errors';
import { validId } from '@mission-control/eventing';
import { BudgetStops } from './budget-stops.service';
import { Budget, SetBudgetInput, asPeriod, asStandingValue } from './budget.models';
import type { BudgetRecord } from './budgets.repository';
import { BudgetsService, type BudgetView } from './budgets.service';

const budgetOf = (view: BudgetView): Budget => ({
  ...view,
  period: view.period as Budget['period'],
  costLimitUsd: view.costLimitMicroUsd === null ? null : view.costLimitMicroUsd / 1_000_000,
  spentTokens: view.spend.tokens,
  spentUsd: view.spend.costMicroUsd / 1_000_000,
  standing: asStandingValue(view.standing),
});

/** Dollars as the input gives them, in whole millionths; a bad amount names its field. */
function microUsd(value: number | null | undefined): number | null {
  if (value === null || value === undefined) {
    return null;
  }
  if (!Number.isFinite(value) || value < 0 || value > 1e9) {
    throw AppError.validation('costLimitUsd must be between 0 and 1,000,000,000 US dollars', {
      fields: [{ path: 'costLimitUsd', message: 'must be between 0 and 1e9' }],
    });
  }
  return Math.round(value * 1_000_000);
}

/** Thin: who may do what is in BudgetsService, the rules in the budget decider. */
@Resolver(() => Budget)
export class BudgetsResolver {
  constructor(
    private readonly service: BudgetsService,
    private readonly stops: BudgetStops,
  ) {}

  @Query(() => [Budget], { description: 'The workspace’s budgets in force, oldest first.' })
  async budgets(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
  ): Promise<Budget[]> {
    return (await this.service.list(principal, workspaceId)).map(budgetOf);
  }

  @Mutation(() => Budget, {
    description:
      'Makes a budget, or changes one (budgetId). Limits below what the period already spent ' +
      'stop work at once. For admins.',
  })
  async setBudget(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('input') input: SetBudgetInput,
  ): Promise<Budget> {
    const budget = await this.stops.set(principal, workspaceId, {
      budgetId: input.budgetId ?? null,
      agentId: input.agentId ?? null,
      name: input.name,
      period: asPeriod(input.period),
      tokenLimit: input.tokenLimit ?? null,
      costLimitMicroUsd: microUsd(input.costLimitUsd),
      warnPercent: input.warnPercent ?? 80,
    });
    return this.view(budget);
  }

  @Mutation(() => Budget, { description: 'The budget stops counting and stopping. For admins.' })
  async deleteBudget(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('budgetId', { type: () => ID }, validId) budgetId: string,
  ): Promise<Budget> {
    return this.view(await this.service.delete(principal, workspaceId, budgetId));
  }

  @Mutation(() => Budget, {
    description:
      'Lets work go on under an EXCEEDED budget until its period ends or it is changed (or ' +
      'raise its limits with setBudget). For admins.',
  })
  async resumeBudget(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('budgetId', { type: () => ID }, validId) budgetId: string,
  ): Promise<Budget> {
    return this.view(await this.service.resume(principal, workspaceId, budgetId));
  }

  private async view(budget: BudgetRecord): Promise<Budget> {
    return budgetOf((await this.service.views([budget]))[0]!);
  }
}
