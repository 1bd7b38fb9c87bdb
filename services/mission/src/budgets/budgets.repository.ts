import { Injectable } from '@nestjs/common';
import { isId } from '@mission-control/eventing';
import { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../database/prisma.service';
import type { Tx } from '../eventing/mission-event-store';
import type { BudgetPeriod, Spend } from './budget-period';
import type { BudgetState, PeriodState } from './budget.decider';

export type BudgetRecord = {
  id: string;
  workspaceId: string;
  agentId: string | null;
  name: string;
  period: BudgetPeriod;
  tokenLimit: number | null;
  costLimitMicroUsd: number | null;
  warnPercent: number;
  deleted: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
};

type BudgetRow = Omit<BudgetRecord, 'period' | 'tokenLimit' | 'costLimitMicroUsd'> & {
  period: string;
  tokenLimit: bigint | null;
  costLimitMicroUsd: bigint | null;
};

type PeriodRow = {
  periodKey: string;
  tokens: bigint;
  costMicroUsd: bigint;
  warned: boolean;
  stopped: boolean;
  resumed: boolean;
};

/** The parent of a sub-agent as text (the budgets' agent ids are text), null for any other. */
const parentOf = (agentId: string) =>
  isId(agentId)
    ? Prisma.sql`SELECT parent_agent_id::text FROM "mission"."agents" WHERE id = ${agentId}::uuid`
    : Prisma.sql`SELECT NULL::text`;

const numberOr = (value: bigint | null) => (value === null ? null : Number(value));

const recordOf = (row: BudgetRow): BudgetRecord => ({
  ...row,
  period: row.period as BudgetPeriod,
  tokenLimit: numberOr(row.tokenLimit),
  costLimitMicroUsd: numberOr(row.costLimitMicroUsd),
});

export const periodStateOf = (row: PeriodRow): PeriodState => ({
  key: row.periodKey,
  spend: { tokens: Number(row.tokens), costMicroUsd: Number(row.costMicroUsd) },
  warned: row.warned,
  stopped: row.stopped,
  resumed: row.resumed,
});

/** The budget rows and what their periods spent. Every read names its workspace. */
@Injectable()
export class BudgetsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async find(db: Tx | PrismaService, workspaceId: string, id: string) {
    const row = await db.budget.findFirst({ where: { id, workspaceId } });
    return row ? recordOf(row) : null;
  }

  /** The row, locked for the command about to be decided from it. */
  async findForUpdate(tx: Tx, workspaceId: string, id: string): Promise<BudgetRecord | null> {
    await tx.$queryRaw`SELECT 1 FROM "mission"."budgets" WHERE id = ${id}::uuid FOR UPDATE`;
    return this.find(tx, workspaceId, id);
  }

  /** The workspace's budgets in force, oldest first. */
  async list(workspaceId: string): Promise<BudgetRecord[]> {
    const rows = await this.prisma.budget.findMany({
      where: { workspaceId, deleted: false },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(recordOf);
  }

  count(tx: Tx, workspaceId: string): Promise<number> {
    return tx.budget.count({ where: { workspaceId, deleted: false } });
  }

  /**
   * The budgets in force a run of `agentId` counts against (its workspace's, its own and, for a
   * sub-agent, its parent's), locked
   * in id order: `update` by usage reports (one at a time per budget, so a stop is decided on the
   * true total), `share` by new runs and claims (which then wait for a stop being decided).
   */
  async lockInScope(
    tx: Tx,
    workspaceId: string,
    agentId: string,
    mode: 'update' | 'share',
  ): Promise<BudgetRecord[]> {
    const ids =
      mode === 'update'
        ? await tx.$queryRaw<{ id: string }[]>`
            SELECT id::text AS id FROM "mission"."budgets"
            WHERE workspace_id = ${workspaceId}::uuid AND NOT deleted
              AND (agent_id IS NULL OR agent_id = ${agentId} OR agent_id = (${parentOf(agentId)}))
            ORDER BY id FOR UPDATE`
        : await tx.$queryRaw<{ id: string }[]>`
            SELECT id::text AS id FROM "mission"."budgets"
            WHERE workspace_id = ${workspaceId}::uuid AND NOT deleted
              AND (agent_id IS NULL OR agent_id = ${agentId} OR agent_id = (${parentOf(agentId)}))
            ORDER BY id FOR SHARE`;
    if (ids.length === 0) {
      return [];
    }
    const rows = await tx.budget.findMany({
      where: { id: { in: ids.map((row) => row.id) } },
      orderBy: { id: 'asc' },
    });
    return rows.map(recordOf);
  }

  async period(db: Tx | PrismaService, budgetId: string, key: string) {
    const row = await db.budgetPeriod.findUnique({
      where: { budgetId_periodKey: { budgetId, periodKey: key } },
    });
    return row ? periodStateOf(row) : null;
  }

  /** The periods named, by budget id. */
  async periods(
    budgets: readonly { id: string; key: string }[],
  ): Promise<Map<string, PeriodState>> {
    const rows =
      budgets.length === 0
        ? []
        : await this.prisma.budgetPeriod.findMany({
            where: { OR: budgets.map(({ id, key }) => ({ budgetId: id, periodKey: key })) },
          });
    return new Map(rows.map((row) => [row.budgetId, periodStateOf(row)]));
  }

  /** Adds a usage report to the period's spend; answers the period as it now stands. */
  async addSpend(
    tx: Tx,
    budgetId: string,
    key: string,
    spend: Spend,
    at: Date,
  ): Promise<PeriodState> {
    const [row] = await tx.$queryRaw<PeriodRow[]>`
      INSERT INTO "mission"."budget_periods" (budget_id, period_key, tokens, cost_micro_usd, updated_at)
      VALUES (${budgetId}::uuid, ${key}, ${spend.tokens}, ${spend.costMicroUsd}, ${at})
      ON CONFLICT (budget_id, period_key) DO UPDATE
      SET tokens = budget_periods.tokens + EXCLUDED.tokens,
          cost_micro_usd = budget_periods.cost_micro_usd + EXCLUDED.cost_micro_usd,
          updated_at = EXCLUDED.updated_at
      RETURNING period_key AS "periodKey", tokens, cost_micro_usd AS "costMicroUsd",
                warned, stopped, resumed`;
    return periodStateOf(row!);
  }

  /** Writes what a budget's events made of it: its row, and its current period's warning and stop. */
  async save(
    tx: Tx,
    budgetId: string,
    state: BudgetState,
    version: number,
    at: Date,
  ): Promise<void> {
    const fields = {
      name: state.name,
      period: state.period,
      tokenLimit: state.limits.tokenLimit === null ? null : BigInt(state.limits.tokenLimit),
      costLimitMicroUsd:
        state.limits.costLimitMicroUsd === null ? null : BigInt(state.limits.costLimitMicroUsd),
      warnPercent: state.limits.warnPercent,
      deleted: state.status === 'deleted',
      version,
      updatedAt: at,
    };
    await tx.budget.upsert({
      where: { id: budgetId },
      create: {
        id: budgetId,
        workspaceId: state.workspaceId,
        agentId: state.agentId,
        createdAt: at,
        ...fields,
      },
      update: fields,
    });
    const { current } = state;
    if (current) {
      const flags = { warned: current.warned, stopped: current.stopped, resumed: current.resumed };
      await tx.budgetPeriod.upsert({
        where: { budgetId_periodKey: { budgetId, periodKey: current.key } },
        create: { budgetId, periodKey: current.key, updatedAt: at, ...flags },
        update: { ...flags, updatedAt: at },
      });
    }
  }

  /** Budgets whose current period is stopped: the runs under them must not go on. */
  async stopped(limit: number): Promise<BudgetRecord[]> {
    const rows = await this.prisma.budget.findMany({
      where: { deleted: false, periods: { some: { stopped: true } } },
      take: limit,
    });
    return rows.map(recordOf);
  }
}
