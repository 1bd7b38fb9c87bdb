import { Injectable } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import { RunsService } from '../runs/runs.service';
import type { BudgetRecord } from './budgets.repository';
import { BudgetsService, type BudgetInput } from './budgets.service';

/** Budgets whose runs are looked at per sweep. */
const SWEEP_BATCH = 100;

/**
 * Where a budget's stop meets the runs it ends: a change of limits that stops work cancels the
 * runs under it, and the sweep finishes what a crash cut short (a stop recorded, its runs not
 * all cancelled yet).
 */
@Injectable()
export class BudgetStops {
  constructor(
    private readonly budgets: BudgetsService,
    private readonly runs: RunsService,
  ) {}

  async set(principal: Principal, workspaceId: string, input: BudgetInput): Promise<BudgetRecord> {
    const { budget, stopped } = await this.budgets.set(principal, workspaceId, input);
    if (stopped) {
      await this.runs.cancelUnderBudget(budget);
    }
    return budget;
  }

  /** Cancels runs still going under budgets stopped in their current period; how many. */
  async sweep(): Promise<number> {
    let cancelled = 0;
    for (const budget of await this.budgets.stoppedNow(SWEEP_BATCH)) {
      cancelled += await this.runs.cancelUnderBudget(budget);
    }
    return cancelled;
  }
}
