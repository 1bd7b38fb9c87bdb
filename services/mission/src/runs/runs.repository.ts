import { isId } from '@mission-control/eventing';
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Tx } from '../eventing/mission-event-store';
import type { Billing, LogStream, RunOutcome } from './run.commands';

export type RunStatus = 'running' | RunOutcome;

export type RunRecord = {
  id: string;
  workspaceId: string;
  missionId: string;
  agentId: string;
  adapter: string;
  model: string;
  provider: string;
  billing: Billing;
  status: RunStatus;
  summary: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costMicroUsd: number;
  unpricedReports: number;
  logLines: number;
  /** The budget whose hard stop cancelled it. */
  budgetId: string | null;
  /** Its agent's latest progress note, and how far along (0–100) it said it was. */
  progressNote: string;
  progressPercent: number | null;
  /** The mission's claim it works under: when that claim ends, so does the run. */
  claimEpoch: number;
  startedAt: Date;
  finishedAt: Date | null;
  updatedAt: Date;
  version: number;
};

export type LogLineRecord = { position: number; stream: LogStream; text: string; loggedAt: Date };

/** Who and what a list of runs is narrowed to; always within one workspace. */
export type RunFilter = {
  workspaceId: string;
  missionId?: string;
  agentId?: string;
  status?: RunStatus;
};

/** Where a page of runs starts: after this run (newest first). */
export type RunPosition = { startedAt: Date; id: string };

type RunRow = Omit<
  RunRecord,
  'billing' | 'status' | 'inputTokens' | 'outputTokens' | 'cachedInputTokens' | 'costMicroUsd'
> & {
  billing: string;
  status: string;
  inputTokens: bigint;
  outputTokens: bigint;
  cachedInputTokens: bigint;
  costMicroUsd: bigint;
};

/** A mission's claim as it stands: whose, which epoch, and until when. */
export type MissionClaim = {
  missionId: string;
  claimedBy: string | null;
  claimEpoch: number;
  leaseExpiresAt: Date | null;
};

type ClaimColumns = {
  missionClaimedBy: string | null;
  missionClaimEpoch: number | null;
  missionLeaseExpiresAt: Date | null;
};

export const recordOf = (row: RunRow): RunRecord => ({
  ...row,
  billing: row.billing as Billing,
  status: row.status as RunStatus,
  inputTokens: Number(row.inputTokens),
  outputTokens: Number(row.outputTokens),
  cachedInputTokens: Number(row.cachedInputTokens),
  costMicroUsd: Number(row.costMicroUsd),
});

/** The run read tables: runs with their totals, and their log lines. Every read names its workspace. */
@Injectable()
export class RunsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async find(
    db: Tx | PrismaService,
    workspaceId: string,
    runId: string,
  ): Promise<RunRecord | null> {
    const row = await db.run.findFirst({ where: { id: runId, workspaceId } });
    return row ? recordOf(row) : null;
  }

  /**
   * The run, its row locked until the transaction ends: writes to one run (an agent's log chunks
   * sent in parallel) take turns instead of failing each other's version check.
   */
  async findForUpdate(tx: Tx, workspaceId: string, runId: string): Promise<RunRecord | null> {
    return (await this.findForWrite(tx, workspaceId, runId))?.run ?? null;
  }

  /**
   * The run, its row locked as by {@link findForUpdate}, with its mission's claim as it stands
   * now: what an agent's write to the run is checked against, in one statement.
   */
  async findForWrite(
    tx: Tx,
    workspaceId: string,
    runId: string,
  ): Promise<{ run: RunRecord; claim: MissionClaim } | null> {
    const rows = await tx.$queryRaw<(RunRow & ClaimColumns)[]>`
      SELECT r.id::text AS id, r.workspace_id::text AS "workspaceId",
        r.mission_id::text AS "missionId", r.agent_id AS "agentId", r.adapter, r.model,
        r.provider, r.billing, r.status, r.summary, r.input_tokens AS "inputTokens",
        r.output_tokens AS "outputTokens", r.cached_input_tokens AS "cachedInputTokens",
        r.cost_micro_usd AS "costMicroUsd", r.unpriced_reports AS "unpricedReports",
        r.claim_epoch AS "claimEpoch", r.log_lines AS "logLines",
        r.budget_id::text AS "budgetId", r.progress_note AS "progressNote",
        r.progress_percent AS "progressPercent", r.started_at AS "startedAt",
        r.finished_at AS "finishedAt", r.updated_at AS "updatedAt", r.version,
        m.claimed_by AS "missionClaimedBy", m.claim_epoch AS "missionClaimEpoch",
        m.lease_expires_at AS "missionLeaseExpiresAt"
      FROM "mission"."runs" r
      LEFT JOIN "mission"."missions" m ON m.id = r.mission_id
      WHERE r.id = ${runId}::uuid AND r.workspace_id = ${workspaceId}::uuid
      FOR UPDATE OF r`;
    const row = rows[0];
    if (!row) {
      return null;
    }
    const { missionClaimedBy, missionClaimEpoch, missionLeaseExpiresAt, ...run } = row;
    return {
      run: recordOf(run),
      claim: {
        missionId: run.missionId,
        claimedBy: missionClaimedBy,
        claimEpoch: missionClaimEpoch ?? 0,
        leaseExpiresAt: missionLeaseExpiresAt,
      },
    };
  }

  /** The running runs of a mission under the claim `claimEpoch`, locked for this transaction. */
  async runningUnder(tx: Tx, missionId: string, claimEpoch: number): Promise<RunRecord[]> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM "mission"."runs"
      WHERE mission_id = ${missionId}::uuid AND status = 'running' AND claim_epoch = ${claimEpoch}
      FOR UPDATE`;
    return this.byIds(
      tx,
      rows.map((row) => row.id),
    );
  }

  /**
   * Running runs nothing was written to for `idleSeconds` (the projection stamps every write),
   * at most `limit`, locked and skipped by any other replica's sweep meanwhile.
   */
  async idle(tx: Tx, idleSeconds: number, limit: number): Promise<RunRecord[]> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM "mission"."runs"
      WHERE status = 'running' AND updated_at < now() - make_interval(secs => ${idleSeconds})
      ORDER BY updated_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED`;
    return this.byIds(
      tx,
      rows.map((row) => row.id),
    );
  }

  /**
   * Running runs of a workspace (or of an agent and its sub-agents), at most `limit`: what a
   * budget's stop ends.
   */
  async runningIds(
    db: Tx | PrismaService,
    workspaceId: string,
    agentId: string | null,
    limit: number,
  ): Promise<string[]> {
    // An agent's budget covers its sub-agents' runs too (PRODUCT A4).
    const children =
      agentId === null || !isId(agentId)
        ? []
        : await db.agent.findMany({
            where: { workspaceId, parentAgentId: agentId },
            select: { id: true },
          });
    const agentIds = agentId === null ? null : [agentId, ...children.map((child) => child.id)];
    const rows = await db.run.findMany({
      where: {
        workspaceId,
        status: 'running',
        ...(agentIds === null ? {} : { agentId: { in: agentIds } }),
      },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
    return rows.map((row) => row.id);
  }

  /**
   * Running runs whose mission's claim is no longer theirs (ended, reassigned, claimed again),
   * at most `limit`, locked and skipped by any other replica's sweep meanwhile.
   */
  async orphans(tx: Tx, limit: number): Promise<RunRecord[]> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT r.id::text AS id FROM "mission"."runs" r
      JOIN "mission"."missions" m ON m.id = r.mission_id
      WHERE r.status = 'running'
        AND (m.claimed_by IS DISTINCT FROM r.agent_id OR m.claim_epoch <> r.claim_epoch)
      LIMIT ${limit}
      FOR UPDATE OF r SKIP LOCKED`;
    return this.byIds(
      tx,
      rows.map((row) => row.id),
    );
  }

  private async byIds(tx: Tx, ids: string[]): Promise<RunRecord[]> {
    if (ids.length === 0) {
      return [];
    }
    const rows = await tx.run.findMany({ where: { id: { in: ids } } });
    return rows.map(recordOf);
  }

  /** Newest first; `limit` rows after `after`. */
  async list(filter: RunFilter, limit: number, after: RunPosition | null): Promise<RunRecord[]> {
    const rows = await this.prisma.run.findMany({
      where: {
        workspaceId: filter.workspaceId,
        ...(filter.missionId ? { missionId: filter.missionId } : {}),
        ...(filter.agentId ? { agentId: filter.agentId } : {}),
        ...(filter.status ? { status: filter.status } : {}),
        ...(after
          ? {
              OR: [
                { startedAt: { lt: after.startedAt } },
                { startedAt: after.startedAt, id: { lt: after.id } },
              ],
            }
          : {}),
      },
      orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.map(recordOf);
  }

  /** Lines after `after` (a position; 0 for the start), at most `limit`, in order. */
  async lines(runId: string, after: number, limit: number): Promise<LogLineRecord[]> {
    const rows = await this.prisma.runLogLine.findMany({
      where: { runId, position: { gt: after } },
      orderBy: { position: 'asc' },
      take: limit,
      select: { position: true, stream: true, text: true, loggedAt: true },
    });
    return rows.map((row) => ({ ...row, stream: row.stream as LogStream }));
  }

  async insert(tx: Tx, run: RunRecord): Promise<void> {
    await tx.run.create({
      data: {
        ...run,
        inputTokens: BigInt(run.inputTokens),
        outputTokens: BigInt(run.outputTokens),
        cachedInputTokens: BigInt(run.cachedInputTokens),
        costMicroUsd: BigInt(run.costMicroUsd),
      },
    });
  }

  async appendLines(
    tx: Tx,
    runId: string,
    lines: readonly { position: number; stream: LogStream; text: string }[],
    at: Date,
    version: number,
  ): Promise<void> {
    // One statement and three array parameters: a chunk's lines as rows of their own would be
    // most of the append's cost in the client.
    await tx.$executeRaw`
      WITH appended AS (
        INSERT INTO "mission"."run_log_lines" (run_id, position, stream, text, logged_at)
        SELECT ${runId}::uuid, line.position, line.stream, line.text, ${at}
        FROM unnest(
          ${lines.map((line) => line.position)}::int[],
          ${lines.map((line) => line.stream)}::text[],
          ${lines.map((line) => line.text)}::text[]
        ) AS line(position, stream, text)
      )
      UPDATE "mission"."runs"
      SET log_lines = log_lines + ${lines.length}, updated_at = ${at}, version = ${version}
      WHERE id = ${runId}::uuid`;
  }

  async addUsage(
    tx: Tx,
    runId: string,
    usage: {
      inputTokens: bigint;
      outputTokens: bigint;
      cachedInputTokens: bigint;
      costMicroUsd: bigint;
      unpriced: boolean;
    },
    at: Date,
    version: number,
  ): Promise<void> {
    await tx.run.update({
      where: { id: runId },
      data: {
        inputTokens: { increment: usage.inputTokens },
        outputTokens: { increment: usage.outputTokens },
        cachedInputTokens: { increment: usage.cachedInputTokens },
        costMicroUsd: { increment: usage.costMicroUsd },
        unpricedReports: { increment: usage.unpriced ? 1 : 0 },
        updatedAt: at,
        version,
      },
    });
  }

  async noteProgress(
    tx: Tx,
    runId: string,
    note: string,
    percent: number | null,
    at: Date,
    version: number,
  ): Promise<void> {
    await tx.run.update({
      where: { id: runId },
      data: { progressNote: note, progressPercent: percent, updatedAt: at, version },
    });
  }

  async finish(
    tx: Tx,
    runId: string,
    outcome: RunOutcome,
    summary: string,
    budgetId: string | null,
    at: Date,
    version: number,
  ): Promise<void> {
    await tx.run.update({
      where: { id: runId },
      data: { status: outcome, summary, budgetId, finishedAt: at, updatedAt: at, version },
    });
  }
}
