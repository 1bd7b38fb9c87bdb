import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  actorOf,
  assertAgentIn,
  assertPermission,
  assertWorkspace,
  type Principal,
} from '@mission-control/auth';
import { AppError, ErrorCode } from '@mission-control/errors';
import { isId } from '@mission-control/eventing';
import { AggregateRunner, type Tx } from '../eventing/mission-event-store';
import { MissionsRepository, type MissionRecord } from '../missions/missions.repository';
import { PrismaService } from '../database/prisma.service';
import { LEASE_KEEPER, LEASE_SETTINGS, type LeaseSettings } from '../leases/lease-settings';
import { assertPageSize } from '../board/board-page';
import { BUDGET_KEEPER, BudgetsService, stopReason } from '../budgets/budgets.service';
import type { BudgetRecord } from '../budgets/budgets.repository';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { type PriceCatalog, priceUsage } from './pricing';
import { decodeRunCursor } from './run-cursor';
import {
  appendRunLog,
  finishRun,
  noteRunProgress,
  reportRunUsage,
  startRun,
  type Billing,
  type LogStream,
  type ReportRunUsage,
  type RunCommand,
  type RunOutcome,
} from './run.commands';
import { initialRunState, runDecider, runStreamId, type RunState } from './run.decider';
import { RunProjection } from './run.projection';
import {
  RunsRepository,
  type LogLineRecord,
  type MissionClaim,
  type RunFilter,
  type RunRecord,
} from './runs.repository';

export const PRICE_CATALOG = Symbol('PRICE_CATALOG');

export type RunDetails = { adapter: string; model: string; provider: string; billing: Billing };
export type UsageReport = {
  model: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  /** The agent's own figure in US dollars, when it has one. */
  costUsd?: number | null;
};

/** Whether the agent still holds the mission's claim `epoch`, its lease not run out. */
function holds(claim: MissionClaim | null, agentId: string, epoch: number): boolean {
  return (
    claim !== null &&
    claim.claimedBy === agentId &&
    claim.claimEpoch === epoch &&
    (claim.leaseExpiresAt === null || claim.leaseExpiresAt.getTime() > Date.now())
  );
}

const claimOf = (mission: MissionRecord): MissionClaim => ({
  missionId: mission.id,
  claimedBy: mission.claimedBy,
  claimEpoch: mission.claimEpoch,
  leaseExpiresAt: mission.leaseExpiresAt,
});

// Not retryable as it is: the same write would be refused again (a fresh claim is needed).
const lostClaim = (claim: MissionClaim | null) =>
  new AppError(
    ErrorCode.CONFLICT,
    'Your claim on this mission has ended (its lease ran out, or it was released or reassigned): stop, and claim the mission again if it is still yours.',
    { missionId: claim?.missionId ?? null, claimEpoch: claim?.claimEpoch ?? null },
    { retryable: false },
  );

/** A run's log and usage come from its agent only (the decider checks it is that run's). */
const assertRunsAgent = (principal: Principal, workspaceId: string): void =>
  assertAgentIn(principal, workspaceId, 'Only the agent running a run writes its log and usage');

/** What the run's row says of its aggregate: the state its next command is decided from. */
const stateOf = (run: RunRecord): RunState => ({
  status: run.status === 'running' ? 'running' : 'finished',
  workspaceId: run.workspaceId,
  missionId: run.missionId,
  agentId: run.agentId,
  billing: run.billing,
  nextPosition: run.logLines + 1,
  outcome: run.status === 'running' ? null : run.status,
});

/** Runs of missions by agents: who may write what, then the run aggregate. */
@Injectable()
export class RunsService {
  constructor(
    private readonly runner: AggregateRunner,
    private readonly runs: RunsRepository,
    private readonly projection: RunProjection,
    private readonly missions: MissionsRepository,
    private readonly prisma: PrismaService,
    private readonly budgets: BudgetsService,
    private readonly idempotency: IdempotencyService,
    @Inject(PRICE_CATALOG) private readonly catalog: PriceCatalog,
    @Inject(LEASE_SETTINGS) private readonly leases: LeaseSettings,
  ) {}

  /** The agent that holds the mission's claim starts a run of it. */
  async start(
    principal: Principal,
    workspaceId: string,
    missionId: string,
    details: RunDetails,
    idempotencyKey: string | null = null,
  ): Promise<RunRecord> {
    assertAgentIn(principal, workspaceId, 'Only an agent starts a run');
    const runId = randomUUID();
    const keyed = {
      workspaceId,
      actor: principal.subject,
      key: idempotencyKey,
      operation: 'startRun',
      input: { missionId, ...details },
    };
    const started = await this.runner.transaction((tx) =>
      this.idempotency.once(tx, keyed, async () => {
        await this.startIn(tx, principal, workspaceId, missionId, runId, details);
        return { runId };
      }),
    );
    return this.found(workspaceId, started.runId);
  }

  private async startIn(
    tx: Tx,
    principal: Principal,
    workspaceId: string,
    missionId: string,
    runId: string,
    details: RunDetails,
  ): Promise<void> {
    const mission = isId(missionId) ? await this.missions.find(workspaceId, missionId, tx) : null;
    if (!mission) {
      throw AppError.notFound('Mission');
    }
    if (mission.claimedBy !== principal.subject) {
      throw AppError.forbidden('Claim the mission before starting a run of it');
    }
    const claim = claimOf(mission);
    if (!holds(claim, principal.subject, mission.claimEpoch)) {
      throw lostClaim(claim);
    }
    await this.budgets.assertOpen(tx, workspaceId, principal.subject);
    const command = startRun({
      workspaceId,
      actor: actorOf(principal),
      data: { runId, missionId, claimEpoch: mission.claimEpoch, ...details },
    });
    const { events, stored } = await this.runner.start(tx, runDecider, runStreamId(runId), command);
    await this.projection.apply(tx, events, stored);
  }

  /** Appends lines in order; answers the positions they were given. */
  async appendLog(
    principal: Principal,
    workspaceId: string,
    runId: string,
    lines: { stream: LogStream; text: string }[],
    idempotencyKey: string | null = null,
  ): Promise<{ firstPosition: number; lastPosition: number }> {
    assertRunsAgent(principal, workspaceId);
    const command = appendRunLog({
      workspaceId,
      actor: actorOf(principal),
      data: { runId, lines },
    });
    const keyed = {
      workspaceId,
      actor: principal.subject,
      key: idempotencyKey,
      operation: 'appendRunLog',
      input: command.data,
    };
    // A retried chunk is not appended twice: it answers the positions it was given.
    return this.runner.transaction((tx) =>
      this.idempotency.once(tx, keyed, async () => {
        const state = await this.executeIn(tx, command);
        return {
          firstPosition: state.nextPosition - lines.length,
          lastPosition: state.nextPosition - 1,
        };
      }),
    );
  }

  /** Prices the report (the agent's figure, else the catalog) and adds it to the run's totals. */
  async reportUsage(
    principal: Principal,
    workspaceId: string,
    runId: string,
    usage: UsageReport,
    idempotencyKey: string | null = null,
  ): Promise<RunRecord> {
    assertRunsAgent(principal, workspaceId);
    if (usage.costUsd !== undefined && usage.costUsd !== null && !(usage.costUsd >= 0)) {
      throw AppError.validation('costUsd must not be negative', {
        fields: [{ path: 'costUsd', message: 'must not be negative' }],
      });
    }
    const { costUsd, ...tokens } = usage;
    const command = reportRunUsage({
      workspaceId,
      actor: actorOf(principal),
      data: { runId, ...tokens, ...priceUsage(this.catalog, tokens, costUsd) },
    });
    const keyed = {
      workspaceId,
      actor: principal.subject,
      key: idempotencyKey,
      operation: 'reportRunUsage',
      input: { runId, ...usage },
    };
    let newlyStopped: BudgetRecord[] = [];
    await this.runner.transaction((tx) => {
      newlyStopped = [];
      return this.idempotency.once(tx, keyed, async () => {
        newlyStopped = await this.chargeIn(tx, command);
        return {};
      });
    });
    for (const budget of newlyStopped) {
      await this.cancelUnderBudget(budget);
    }
    return this.found(workspaceId, runId);
  }

  /**
   * Records the report and counts it against budgets; answers the budgets it stopped. Budgets are
   * locked before the run: a report queued behind another on a budget holds no run, so the report
   * that stops the budget can cancel every other run at once. (The run's agent is read unlocked
   * first: it never changes.)
   */
  private async chargeIn(tx: Tx, command: ReportRunUsage): Promise<BudgetRecord[]> {
    const { workspaceId } = command;
    const { runId } = command.data;
    const owner = isId(runId) ? await this.runs.find(tx, workspaceId, runId) : null;
    const charge = owner
      ? await this.budgets.charge(
          tx,
          workspaceId,
          owner.agentId,
          {
            tokens: command.data.inputTokens + command.data.outputTokens,
            costMicroUsd: command.data.costMicroUsd,
          },
          new Date(),
        )
      : null;
    // Refused (not found, not the agent's): the charge is rolled back with it.
    const run = await this.executeIn(tx, command);
    // The report is recorded either way; a run past a stop ends with it.
    if (charge?.stoppedBy && run.status === 'running') {
      await this.cancelForBudget(tx, workspaceId, runId, charge.stoppedBy);
    }
    return charge?.newlyStopped ?? [];
  }

  /**
   * Cancels every run still going under a stopped budget, in id order, a batch per transaction;
   * each agent learns it from the RunFinished pushed to it and from the CONFLICT of its next write.
   * Returns how many runs it ended.
   */
  async cancelUnderBudget(budget: BudgetRecord): Promise<number> {
    let cancelled = 0;
    for (;;) {
      const ids = await this.runs.runningIds(this.prisma, budget.workspaceId, budget.agentId, 50);
      if (ids.length === 0) {
        return cancelled;
      }
      cancelled += await this.runner.transaction(async (tx) => {
        let ended = 0;
        for (const runId of ids) {
          ended += (await this.cancelForBudget(tx, budget.workspaceId, runId, budget)) ? 1 : 0;
        }
        return ended;
      });
      if (ids.length < 50) {
        return cancelled;
      }
    }
  }

  /** Ends the run `cancelled` for the budget, unless it already ended; whether it did. */
  private async cancelForBudget(
    tx: Tx,
    workspaceId: string,
    runId: string,
    budget: BudgetRecord,
  ): Promise<boolean> {
    const run = await this.runs.findForUpdate(tx, workspaceId, runId);
    if (run?.status !== 'running') {
      return false;
    }
    await this.executeIn(
      tx,
      finishRun({
        workspaceId,
        actor: BUDGET_KEEPER,
        data: { runId, outcome: 'cancelled', summary: stopReason(budget), budgetId: budget.id },
      }),
    );
    return true;
  }

  /** Its agent says where the run has got to. */
  async noteProgress(
    principal: Principal,
    workspaceId: string,
    runId: string,
    progress: { note: string; percent: number | null },
    idempotencyKey: string | null = null,
  ): Promise<RunRecord> {
    assertAgentIn(principal, workspaceId, 'Only the agent running a run notes its progress');
    const command = noteRunProgress({
      workspaceId,
      actor: actorOf(principal),
      data: { runId, note: progress.note, percent: progress.percent ?? undefined },
    });
    await this.runner.transaction((tx) =>
      this.idempotency.once(
        tx,
        {
          workspaceId,
          actor: principal.subject,
          key: idempotencyKey,
          operation: 'noteRunProgress',
          input: command.data,
        },
        async () => {
          await this.executeIn(tx, command);
          return {};
        },
      ),
    );
    return this.found(workspaceId, runId);
  }

  /**
   * Its agent ends a run with any outcome; a person with create_missions may only cancel it.
   */
  async finish(
    principal: Principal,
    workspaceId: string,
    runId: string,
    outcome: RunOutcome,
    summary: string | null,
    idempotencyKey: string | null = null,
  ): Promise<RunRecord> {
    assertWorkspace(principal, workspaceId);
    if (principal.kind !== 'agent') {
      assertPermission(principal, 'create_missions');
      if (outcome !== 'cancelled') {
        throw AppError.validation('A person can only cancel a run; its agent says how it ended', {
          fields: [{ path: 'outcome', message: 'must be CANCELLED' }],
        });
      }
    }
    const command = finishRun({
      workspaceId,
      actor: actorOf(principal),
      data: { runId, outcome, summary: summary ?? undefined },
    });
    const keyed = {
      workspaceId,
      actor: principal.subject,
      key: idempotencyKey,
      operation: 'finishRun',
      input: command.data,
    };
    await this.runner.transaction((tx) =>
      this.idempotency.once(tx, keyed, async () => {
        await this.executeIn(tx, command);
        return {};
      }),
    );
    return this.found(workspaceId, runId);
  }

  async get(principal: Principal, workspaceId: string, runId: string): Promise<RunRecord> {
    assertWorkspace(principal, workspaceId);
    return this.found(workspaceId, runId);
  }

  /**
   * Newest first: `first` (1–200) runs after the cursor `after`, and one more when more follow.
   * Access first: another workspace's caller learns nothing, not even that an argument is bad.
   */
  async list(
    principal: Principal,
    filter: RunFilter,
    first: number,
    after: string | null,
  ): Promise<RunRecord[]> {
    assertWorkspace(principal, filter.workspaceId);
    assertPageSize(first, 'first');
    return this.runs.list(filter, first + 1, after === null ? null : decodeRunCursor(after));
  }

  /** Lines of a run the caller was already allowed to see. */
  lines(
    principal: Principal,
    run: Pick<RunRecord, 'id' | 'workspaceId'>,
    after: number,
    limit: number,
  ): Promise<LogLineRecord[]> {
    assertWorkspace(principal, run.workspaceId);
    return this.runs.lines(run.id, after, limit);
  }

  /**
   * Decides from the run's row (kept on every append's transaction), locked, rather than by
   * reading back a stream that grows with every log chunk. Should the row ever lag the stream, the
   * append's version check refuses the write and `transaction` decides it again.
   */
  private async executeIn(tx: Tx, command: RunCommand): Promise<RunState> {
    const { runId } = command.data;
    const found = isId(runId) ? await this.runs.findForWrite(tx, command.workspaceId, runId) : null;
    const run = found?.run ?? null;
    const ownWrite =
      run !== null &&
      run.status === 'running' &&
      command.actor.kind === 'agent' &&
      command.actor.id === run.agentId;
    const claim = ownWrite ? found!.claim : null;
    // Fencing: an agent whose claim ended (lease ran out, reassigned) writes no more to the run,
    // even before the sweeper ends it; usage it reports is still recorded.
    if (
      ownWrite &&
      command.type !== 'ReportRunUsage' &&
      !holds(claim, run.agentId, run.claimEpoch)
    ) {
      throw lostClaim(claim);
    }
    const from = run
      ? { state: stateOf(run), version: run.version }
      : { state: initialRunState, version: 0 };
    const { events, stored, state } = await this.runner.executeFrom(
      tx,
      runDecider,
      runStreamId(runId),
      command,
      from,
    );
    await this.projection.apply(tx, events, stored);
    // An agent writing to its run is alive: its claim's lease goes on. Renewed once half of it
    // has passed, not on every chunk of a busy log.
    if (ownWrite && state.status === 'running' && this.halfSpent(claim)) {
      await this.missions.renewLease(
        tx,
        run.workspaceId,
        run.missionId,
        run.agentId,
        this.leases.leaseSeconds,
        run.claimEpoch,
      );
    }
    return state;
  }

  private halfSpent(claim: MissionClaim | null): boolean {
    const expiresAt = claim?.leaseExpiresAt?.getTime();
    return (
      expiresAt !== undefined && expiresAt - Date.now() < (this.leases.leaseSeconds * 1_000) / 2
    );
  }

  /** Ends, as abandoned, the runs of a mission under a claim that just ended (same transaction). */
  async abandon(
    tx: Tx,
    workspaceId: string,
    missionId: string,
    claimEpoch: number,
    summary: string,
  ): Promise<void> {
    for (const run of await this.runs.runningUnder(tx, missionId, claimEpoch)) {
      await this.abandonRun(tx, workspaceId, run.id, summary);
    }
  }

  /** Ends, as abandoned, runs left without their claim; returns how many. */
  async abandonOrphans(tx: Tx, summary: string, limit: number): Promise<number> {
    const orphans = await this.runs.orphans(tx, limit);
    for (const run of orphans) {
      await this.abandonRun(tx, run.workspaceId, run.id, summary);
    }
    return orphans.length;
  }

  /**
   * Ends, as timed out, runs nothing was written to for `idleSeconds`; returns how many. Their
   * agents learn it from the RunFinished pushed to them and the CONFLICT of their next write.
   */
  async timeOutIdle(tx: Tx, idleSeconds: number, limit: number): Promise<number> {
    const idle = await this.runs.idle(tx, idleSeconds, limit);
    const minutes = Math.round(idleSeconds / 60);
    const silence = minutes >= 1 ? `${minutes} min` : `${idleSeconds} s`;
    for (const run of idle) {
      await this.endRun(
        tx,
        run.workspaceId,
        run.id,
        'timed_out',
        `Timed out: no log line, usage or progress for ${silence}.`,
      );
    }
    return idle.length;
  }

  private abandonRun(tx: Tx, workspaceId: string, runId: string, summary: string) {
    return this.endRun(tx, workspaceId, runId, 'abandoned', summary);
  }

  private endRun(
    tx: Tx,
    workspaceId: string,
    runId: string,
    outcome: 'abandoned' | 'timed_out',
    summary: string,
  ) {
    return this.executeIn(
      tx,
      finishRun({ workspaceId, actor: LEASE_KEEPER, data: { runId, outcome, summary } }),
    );
  }

  private async found(workspaceId: string, runId: string): Promise<RunRecord> {
    const run = isId(runId) ? await this.runs.find(this.prisma, workspaceId, runId) : null;
    if (!run) {
      throw AppError.notFound('Run');
    }
    return run;
  }
}
