import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { actorOf, assertPermission, assertWorkspace, type Principal } from '@mission-control/auth';
import { AppError, ErrorCode } from '@mission-control/errors';
import { isId } from '@mission-control/eventing';
import type { Actor } from '@mission-control/proto';
import { AgentRosterRepository } from '../agents/agent-roster.repository';
import { PrismaService } from '../database/prisma.service';
import { AggregateRunner, type Tx } from '../eventing/mission-event-store';
import { periodEndOf, periodKeyOf, type BudgetPeriod, type Spend } from './budget-period';
import {
  checkBudgetSpend,
  deleteBudget,
  resumeBudget,
  setBudget,
  type BudgetCommand,
} from './budget.commands';
import {
  budgetDecider,
  budgetStreamId,
  initialBudgetState,
  type BudgetState,
  type PeriodState,
} from './budget.decider';
import { BudgetsRepository, type BudgetRecord } from './budgets.repository';

/** Who records what usage reports make of budgets, and cancels the runs a stop ends. */
export const BUDGET_KEEPER: Actor = { kind: 'system', id: 'mission-budgets' };

/** Enough for a workspace's and each agent's limits; more is a mistake to refuse. */
const MAX_BUDGETS = 100;

export type BudgetStanding = 'ok' | 'warning' | 'exceeded' | 'resumed';

/** A budget with its current period: what it spent, until when, and where that leaves it. */
export type BudgetView = BudgetRecord & {
  periodKey: string;
  periodEndsAt: Date | null;
  spend: Spend;
  standing: BudgetStanding;
};

export type BudgetInput = {
  budgetId: string | null;
  agentId: string | null;
  name: string;
  period: BudgetPeriod;
  tokenLimit: number | null;
  costLimitMicroUsd: number | null;
  warnPercent: number;
};

/** What a usage report made of the budgets it counted against. */
export type Charge = {
  /** A budget in force whose stop is on: the reporting run must end. */
  stoppedBy: BudgetRecord | null;
  /** Budgets this report stopped: every run under them must end. */
  newlyStopped: BudgetRecord[];
};

const standingOf = (period: PeriodState | null): BudgetStanding =>
  period?.stopped ? 'exceeded' : period?.resumed ? 'resumed' : period?.warned ? 'warning' : 'ok';

const stateOf = (budget: BudgetRecord, current: PeriodState | null): BudgetState => ({
  status: budget.deleted ? 'deleted' : 'active',
  workspaceId: budget.workspaceId,
  agentId: budget.agentId,
  name: budget.name,
  period: budget.period,
  limits: {
    tokenLimit: budget.tokenLimit,
    costLimitMicroUsd: budget.costLimitMicroUsd,
    warnPercent: budget.warnPercent,
  },
  current,
});

const usd = (microUsd: number) => `$${(microUsd / 1_000_000).toFixed(2)}`;

/** What a stop says to the agent it refuses and on the runs it cancels. */
export function stopReason(budget: BudgetRecord): string {
  const limits = [
    budget.costLimitMicroUsd !== null ? usd(budget.costLimitMicroUsd) : null,
    budget.tokenLimit !== null ? `${budget.tokenLimit.toLocaleString('en')} tokens` : null,
  ].filter(Boolean);
  const per = budget.period === 'total' ? 'in total' : `per ${budget.period}`;
  return `The budget “${budget.name}” (${limits.join(' / ')} ${per}) is spent: an admin can raise it or resume work.`;
}

/**
 * Budgets (PRODUCT M17): people set limits; every usage report counts against the budgets of its
 * workspace and agent on the report's own transaction, with those budgets locked, so the report
 * that crosses a limit is the one that stops, however many agents report at once.
 */
@Injectable()
export class BudgetsService {
  constructor(
    private readonly runner: AggregateRunner,
    private readonly budgets: BudgetsRepository,
    private readonly roster: AgentRosterRepository,
    private readonly prisma: PrismaService,
  ) {}

  async list(principal: Principal, workspaceId: string): Promise<BudgetView[]> {
    assertWorkspace(principal, workspaceId);
    return this.views(await this.budgets.list(workspaceId));
  }

  async get(principal: Principal, workspaceId: string, budgetId: string): Promise<BudgetView> {
    assertWorkspace(principal, workspaceId);
    const budget = isId(budgetId)
      ? await this.budgets.find(this.prisma, workspaceId, budgetId)
      : null;
    if (!budget || budget.deleted) {
      throw AppError.notFound('Budget');
    }
    return (await this.views([budget]))[0]!;
  }

  /** Creates a budget (no id) or changes one; answers it and whether it now stops work. */
  async set(
    principal: Principal,
    workspaceId: string,
    input: BudgetInput,
  ): Promise<{ budget: BudgetRecord; stopped: boolean }> {
    assertWorkspace(principal, workspaceId);
    assertPermission(principal, 'admin_access');
    const budgetId = input.budgetId ?? randomUUID();
    const command = setBudget({
      workspaceId,
      actor: actorOf(principal),
      data: { ...input, budgetId },
    });
    return this.runner.transaction(async (tx) => {
      let budget: BudgetRecord | null = null;
      if (input.budgetId !== null) {
        budget = isId(budgetId)
          ? await this.budgets.findForUpdate(tx, workspaceId, budgetId)
          : null;
        if (!budget) {
          throw AppError.notFound('Budget');
        }
      } else {
        if ((await this.budgets.count(tx, workspaceId)) >= MAX_BUDGETS) {
          throw new AppError(
            ErrorCode.LIMIT_EXCEEDED,
            `A workspace holds at most ${MAX_BUDGETS} budgets: delete one first`,
            {},
            { retryable: false },
          );
        }
        await this.assertAgent(tx, workspaceId, input.agentId);
      }
      const current = budget ? await this.currentPeriod(tx, budget) : null;
      await this.decide(tx, budget, budgetId, command, current);
      // New limits apply to what the period already spent: lowered below it, they stop at once.
      const saved = (await this.budgets.find(tx, workspaceId, budgetId))!;
      const key = periodKeyOf(saved.period, new Date());
      const stopped = await this.check(
        tx,
        saved,
        key,
        await this.budgets.period(tx, budgetId, key),
      );
      return { budget: (await this.budgets.find(tx, workspaceId, budgetId))!, stopped };
    });
  }

  async delete(principal: Principal, workspaceId: string, budgetId: string): Promise<BudgetRecord> {
    return this.adminCommand(principal, workspaceId, budgetId, (actor) =>
      deleteBudget({ workspaceId, actor, data: { budgetId } }),
    );
  }

  /** Lets work go on under an exceeded budget until its period ends. */
  async resume(principal: Principal, workspaceId: string, budgetId: string): Promise<BudgetRecord> {
    return this.adminCommand(principal, workspaceId, budgetId, (actor, budget) =>
      resumeBudget({
        workspaceId,
        actor,
        data: { budgetId, periodKey: periodKeyOf(budget.period, new Date()) },
      }),
    );
  }

  /**
   * Counts a usage report against the budgets of its run's workspace and agent, on the report's
   * transaction (the run's row is already locked; budgets are locked after it, in id order).
   */
  async charge(
    tx: Tx,
    workspaceId: string,
    agentId: string,
    spend: Spend,
    at: Date,
  ): Promise<Charge> {
    const charge: Charge = { stoppedBy: null, newlyStopped: [] };
    for (const budget of await this.budgets.lockInScope(tx, workspaceId, agentId, 'update')) {
      const key = periodKeyOf(budget.period, at);
      const period = await this.budgets.addSpend(tx, budget.id, key, spend, at);
      const newly = await this.check(tx, budget, key, period);
      if (newly) {
        charge.newlyStopped.push(budget);
      }
      if (newly || period.stopped) {
        charge.stoppedBy ??= budget;
      }
    }
    return charge;
  }

  /**
   * Refuses new runs and claims while a budget of the agent's is stopped. It waits for a stop
   * being decided (the budgets are share-locked), so nothing starts past a limit just reached.
   */
  async assertOpen(tx: Tx, workspaceId: string, agentId: string): Promise<void> {
    const now = new Date();
    for (const budget of await this.budgets.lockInScope(tx, workspaceId, agentId, 'share')) {
      const period = await this.budgets.period(tx, budget.id, periodKeyOf(budget.period, now));
      if (period?.stopped) {
        throw new AppError(
          ErrorCode.LIMIT_EXCEEDED,
          stopReason(budget),
          this.detailsOf(budget, period),
          {
            retryable: false,
          },
        );
      }
    }
  }

  /** Budgets stopped in their current period: no run under them may still be going. */
  async stoppedNow(limit: number): Promise<BudgetRecord[]> {
    const now = new Date();
    const candidates = await this.budgets.stopped(limit);
    const current = await this.budgets.periods(
      candidates.map((budget) => ({ id: budget.id, key: periodKeyOf(budget.period, now) })),
    );
    return candidates.filter((budget) => current.get(budget.id)?.stopped);
  }

  private detailsOf(budget: BudgetRecord, period: PeriodState) {
    return {
      budgetId: budget.id,
      budgetName: budget.name,
      agentId: budget.agentId,
      period: budget.period,
      periodKey: period.key,
      tokenLimit: budget.tokenLimit,
      costLimitUsd: budget.costLimitMicroUsd === null ? null : budget.costLimitMicroUsd / 1e6,
      spentTokens: period.spend.tokens,
      spentUsd: period.spend.costMicroUsd / 1e6,
    };
  }

  /**
   * Whether what the period `key` spent stopped the budget just now (a warning may be recorded
   * too); `period` is that period's row, null before it spent anything.
   */
  private async check(
    tx: Tx,
    budget: BudgetRecord,
    key: string,
    period: PeriodState | null,
  ): Promise<boolean> {
    const spend = period?.spend ?? { tokens: 0, costMicroUsd: 0 };
    const { events } = await this.decide(
      tx,
      budget,
      budget.id,
      checkBudgetSpend({
        workspaceId: budget.workspaceId,
        actor: BUDGET_KEEPER,
        data: { budgetId: budget.id, periodKey: key, ...spend },
      }),
      period,
    );
    return events.some((event) => event.type === 'mission.v1.BudgetExceeded');
  }

  /** The row of the budget's period now; null before it spent anything. */
  private currentPeriod(tx: Tx, budget: BudgetRecord): Promise<PeriodState | null> {
    return this.budgets.period(tx, budget.id, periodKeyOf(budget.period, new Date()));
  }

  /** Decides from the budget's row and the period the command is about, then saves the outcome. */
  private async decide(
    tx: Tx,
    budget: BudgetRecord | null,
    budgetId: string,
    command: BudgetCommand,
    current: PeriodState | null,
  ) {
    const from = budget
      ? { state: stateOf(budget, current), version: budget.version }
      : { state: initialBudgetState, version: 0 };
    const decided = await this.runner.executeFrom(
      tx,
      budgetDecider,
      budgetStreamId(budgetId),
      command,
      from,
    );
    const last = decided.stored.at(-1);
    if (last) {
      await this.budgets.save(tx, budgetId, decided.state, last.version, last.recordedAt);
    }
    return decided;
  }

  private async adminCommand(
    principal: Principal,
    workspaceId: string,
    budgetId: string,
    command: (actor: Actor, budget: BudgetRecord) => BudgetCommand,
  ): Promise<BudgetRecord> {
    assertWorkspace(principal, workspaceId);
    assertPermission(principal, 'admin_access');
    return this.runner.transaction(async (tx) => {
      const budget = isId(budgetId)
        ? await this.budgets.findForUpdate(tx, workspaceId, budgetId)
        : null;
      if (!budget || budget.deleted) {
        throw AppError.notFound('Budget');
      }
      await this.decide(
        tx,
        budget,
        budgetId,
        command(actorOf(principal), budget),
        await this.currentPeriod(tx, budget),
      );
      return (await this.budgets.find(tx, workspaceId, budgetId))!;
    });
  }

  private async assertAgent(tx: Tx, workspaceId: string, agentId: string | null): Promise<void> {
    if (
      agentId !== null &&
      !(isId(agentId) && (await this.roster.find(tx, workspaceId, agentId)))
    ) {
      throw AppError.validation('No such agent in this workspace', {
        fields: [{ path: 'agentId', message: 'not an agent of this workspace' }],
      });
    }
  }

  /** With their current periods, read in one query. */
  async views(budgets: BudgetRecord[]): Promise<BudgetView[]> {
    const now = new Date();
    const periods = await this.budgets.periods(
      budgets.map((budget) => ({ id: budget.id, key: periodKeyOf(budget.period, now) })),
    );
    return budgets.map((budget) => {
      const period = periods.get(budget.id) ?? null;
      return {
        ...budget,
        periodKey: periodKeyOf(budget.period, now),
        periodEndsAt: periodEndOf(budget.period, now),
        spend: period?.spend ?? { tokens: 0, costMicroUsd: 0 },
        standing: standingOf(period),
      };
    });
  }
}
