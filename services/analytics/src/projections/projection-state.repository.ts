import { Injectable } from '@nestjs/common';
import { PRIORITIES, COLUMNS, type Column, type Priority } from '../common/board-column';
import { DATABASE_SCHEMA, PrismaService } from '../database/prisma.service';
import type { Prisma } from '../generated/prisma/client';
import { AGENT_STATUSES, type AgentStatus } from '../metrics/status-timeline';
import type { AgentState } from './agent-state';
import type { CommentState, MissionState } from './mission-state';
import type { ProjectionRun } from './projection-run';
import { BILLINGS, type Billing } from '../metrics/agent-runs';
import { claimKey, type ClaimState, type RunState } from './run-state';

const MISSION_STATES = `"${DATABASE_SCHEMA}".mission_states`;
const COMMENT_STATES = `"${DATABASE_SCHEMA}".comment_states`;
const AGENT_STATES = `"${DATABASE_SCHEMA}".agent_states`;
const RUN_STATES = `"${DATABASE_SCHEMA}".run_states`;
const CLAIM_STATES = `"${DATABASE_SCHEMA}".claim_states`;

type Db = Prisma.TransactionClient;

const oneOf = <T extends string>(values: readonly T[], value: string, what: string): T => {
  if (!(values as readonly string[]).includes(value)) {
    throw new Error(`Unknown ${what} "${value}" in the projection state`);
  }
  return value as T;
};

/** The streams a run of events is about, and the claims its events make. */
export type RunStreams = {
  missionIds: string[];
  agentIds: string[];
  runIds: string[];
  claims: { missionId: string; epoch: number }[];
};

/** The advisory lock that serialises the two streams a claim is joined from (see `claim`). */
const claimLockOf = (consumer: string, missionId: string, epoch: number) =>
  `claim:${consumer}:${claimKey(missionId, epoch)}`;

/** The projections' state in the analytics schema, one set of rows per consumer. */
@Injectable()
export class ProjectionStateRepository {
  constructor(private readonly prisma: PrismaService) {}

  async mission(db: Db, consumer: string, missionId: string): Promise<MissionState | null> {
    const row = await db.missionState.findUnique({
      where: { consumer_missionId: { consumer, missionId } },
    });
    return row ? missionOf(row) : null;
  }

  async comments(db: Db, consumer: string, missionId: string): Promise<CommentState[]> {
    const rows = await db.commentState.findMany({
      where: { consumer, missionId },
      orderBy: { commentId: 'asc' },
    });
    return rows.map(commentOf);
  }

  async agent(db: Db, consumer: string, agentId: string): Promise<AgentState | null> {
    const row = await db.agentState.findUnique({
      where: { consumer_agentId: { consumer, agentId } },
    });
    return row ? agentOf(row) : null;
  }

  async run(db: Db, consumer: string, runId: string): Promise<RunState | null> {
    const row = await db.runState.findUnique({ where: { consumer_runId: { consumer, runId } } });
    return row ? runOf(row) : null;
  }

  /**
   * A claim's state, locked until the transaction ends. A claim is joined from two streams that
   * partitions apply concurrently: without the lock, each side could miss what the other is
   * writing, and neither would write the claim's whole response point.
   */
  async claim(
    db: Db,
    consumer: string,
    missionId: string,
    epoch: number,
  ): Promise<ClaimState | null> {
    const lock = claimLockOf(consumer, missionId, epoch);
    await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${lock}, 0))`;
    const row = await db.claimState.findUnique({
      where: { consumer_missionId_epoch: { consumer, missionId, epoch } },
    });
    return row ? claimOf(row) : null;
  }

  /**
   * Reads the state of every stream and claim of a run at once: five queries, whatever its size.
   * A mission's comments are read only when a change needs them (a renamed mission's comments
   * are indexed again), which few runs hold.
   */
  async prefetch(db: Db, run: ProjectionRun, streams: RunStreams): Promise<void> {
    const consumer = run.consumer;
    // One after the other: a transaction runs one query at a time anyway.
    const missions =
      streams.missionIds.length > 0
        ? await db.missionState.findMany({
            where: { consumer, missionId: { in: streams.missionIds } },
          })
        : [];
    const agents =
      streams.agentIds.length > 0
        ? await db.agentState.findMany({
            where: { consumer, agentId: { in: streams.agentIds } },
          })
        : [];
    const runs =
      streams.runIds.length > 0
        ? await db.runState.findMany({ where: { consumer, runId: { in: streams.runIds } } })
        : [];
    await this.prefetchClaims(db, run, streams.claims);
    const missionById = new Map(missions.map((row) => [row.missionId, missionOf(row)]));
    for (const missionId of streams.missionIds) {
      run.rememberMission(missionId, missionById.get(missionId) ?? null);
    }
    const agentById = new Map(agents.map((row) => [row.agentId, agentOf(row)]));
    for (const agentId of streams.agentIds) {
      run.rememberAgent(agentId, agentById.get(agentId) ?? null);
    }
    const runById = new Map(runs.map((row) => [row.runId, runOf(row)]));
    for (const runId of streams.runIds) {
      run.rememberRun(runId, runById.get(runId) ?? null);
    }
  }

  /**
   * The claims a run's events make, locked (in one order, so two runs locking several cannot
   * deadlock) and read at once instead of one claim at a time.
   */
  private async prefetchClaims(
    db: Db,
    run: ProjectionRun,
    claims: RunStreams['claims'],
  ): Promise<void> {
    if (claims.length === 0) {
      return;
    }
    const consumer = run.consumer;
    const locks = claims.map(({ missionId, epoch }) => claimLockOf(consumer, missionId, epoch));
    await db.$queryRawUnsafe(
      `SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0)))::int AS locked
       FROM (SELECT DISTINCT k FROM unnest($1::text[]) AS k ORDER BY k) AS keys`,
      locks,
    );
    const rows = await db.claimState.findMany({
      where: { consumer, OR: claims.map(({ missionId, epoch }) => ({ missionId, epoch })) },
    });
    const byKey = new Map(rows.map((row) => [claimKey(row.missionId, row.epoch), claimOf(row)]));
    for (const { missionId, epoch } of claims) {
      run.rememberClaim(missionId, epoch, byKey.get(claimKey(missionId, epoch)) ?? null);
    }
  }

  /** Writes back what a run changed: one statement per table, whatever the run's size. */
  async save(db: Db, run: ProjectionRun): Promise<void> {
    const missions = run.changedMissionStates;
    if (missions.length > 0) {
      await db.$executeRawUnsafe(
        `INSERT INTO ${MISSION_STATES} (consumer, mission_id, workspace_id, title, description,
           priority, tags, "column", assignee_agent_id, claimed_by, assigned_at, claim_epoch,
           created_by, version, created_at, updated_at, first_in_progress_at)
         SELECT $1, r.* FROM jsonb_to_recordset($2::jsonb) AS r(mission_id text,
           workspace_id text, title text, description text, priority text, tags text[],
           "column" text, assignee_agent_id text, claimed_by text, assigned_at timestamptz,
           claim_epoch int, created_by text, version int, created_at timestamptz,
           updated_at timestamptz, first_in_progress_at timestamptz)
         ON CONFLICT (consumer, mission_id) DO UPDATE SET title = EXCLUDED.title,
           description = EXCLUDED.description, priority = EXCLUDED.priority,
           tags = EXCLUDED.tags, "column" = EXCLUDED."column",
           assignee_agent_id = EXCLUDED.assignee_agent_id, claimed_by = EXCLUDED.claimed_by,
           assigned_at = EXCLUDED.assigned_at, claim_epoch = EXCLUDED.claim_epoch,
           version = EXCLUDED.version, updated_at = EXCLUDED.updated_at,
           first_in_progress_at = EXCLUDED.first_in_progress_at`,
        run.consumer,
        JSON.stringify(
          missions.map((state) => ({
            mission_id: state.missionId,
            workspace_id: state.workspaceId,
            title: state.title,
            description: state.description,
            priority: state.priority,
            tags: state.tags,
            column: state.column,
            assignee_agent_id: state.assigneeAgentId,
            claimed_by: state.claimedBy,
            assigned_at: state.assignedAt,
            claim_epoch: state.claimEpoch,
            created_by: state.createdBy,
            version: state.version,
            created_at: state.createdAt,
            updated_at: state.updatedAt,
            first_in_progress_at: state.firstInProgressAt,
          })),
        ),
      );
    }
    const comments = run.addedCommentStates;
    if (comments.length > 0) {
      await db.$executeRawUnsafe(
        `INSERT INTO ${COMMENT_STATES} (consumer, comment_id, mission_id, workspace_id, author,
           body, created_at)
         SELECT $1, r.* FROM jsonb_to_recordset($2::jsonb) AS r(comment_id text,
           mission_id text, workspace_id text, author text, body text, created_at timestamptz)
         ON CONFLICT (consumer, comment_id) DO NOTHING`,
        run.consumer,
        JSON.stringify(
          comments.map((comment) => ({
            comment_id: comment.commentId,
            mission_id: comment.missionId,
            workspace_id: comment.workspaceId,
            author: comment.author,
            body: comment.body,
            created_at: comment.createdAt,
          })),
        ),
      );
    }
    const agents = run.changedAgentStates;
    if (agents.length > 0) {
      await db.$executeRawUnsafe(
        `INSERT INTO ${AGENT_STATES} (consumer, agent_id, workspace_id, status, since, version)
         SELECT $1, r.* FROM jsonb_to_recordset($2::jsonb) AS r(agent_id text,
           workspace_id text, status text, since timestamptz, version int)
         ON CONFLICT (consumer, agent_id) DO UPDATE SET status = EXCLUDED.status,
           since = EXCLUDED.since, version = EXCLUDED.version`,
        run.consumer,
        JSON.stringify(
          agents.map((state) => ({
            agent_id: state.agentId,
            workspace_id: state.workspaceId,
            status: state.status,
            since: state.since,
            version: state.version,
          })),
        ),
      );
    }
    const runs = run.changedRunStates;
    if (runs.length > 0) {
      await db.$executeRawUnsafe(
        `INSERT INTO ${RUN_STATES} (consumer, run_id, workspace_id, mission_id, agent_id, billing,
           claim_epoch, started_at, first_log_at, version)
         SELECT $1, r.* FROM jsonb_to_recordset($2::jsonb) AS r(run_id text, workspace_id text,
           mission_id text, agent_id text, billing text, claim_epoch int, started_at timestamptz,
           first_log_at timestamptz, version int)
         ON CONFLICT (consumer, run_id) DO UPDATE SET first_log_at = EXCLUDED.first_log_at,
           version = EXCLUDED.version`,
        run.consumer,
        JSON.stringify(
          runs.map((state) => ({
            run_id: state.runId,
            workspace_id: state.workspaceId,
            mission_id: state.missionId,
            agent_id: state.agentId,
            billing: state.billing,
            claim_epoch: state.claimEpoch,
            started_at: state.startedAt,
            first_log_at: state.firstLogAt,
            version: state.version,
          })),
        ),
      );
    }
    const claims = run.changedClaimStates;
    if (claims.length > 0) {
      await db.$executeRawUnsafe(
        `INSERT INTO ${CLAIM_STATES} (consumer, mission_id, epoch, workspace_id, agent_id,
           assigned_at, claimed_at, claim_version, first_output_at)
         SELECT $1, r.* FROM jsonb_to_recordset($2::jsonb) AS r(mission_id text, epoch int,
           workspace_id text, agent_id text, assigned_at timestamptz, claimed_at timestamptz,
           claim_version int, first_output_at timestamptz)
         ON CONFLICT (consumer, mission_id, epoch) DO UPDATE SET agent_id = EXCLUDED.agent_id,
           assigned_at = EXCLUDED.assigned_at, claimed_at = EXCLUDED.claimed_at,
           claim_version = EXCLUDED.claim_version, first_output_at = EXCLUDED.first_output_at`,
        run.consumer,
        JSON.stringify(
          claims.map((state) => ({
            mission_id: state.missionId,
            epoch: state.epoch,
            workspace_id: state.workspaceId,
            agent_id: state.agentId,
            assigned_at: state.assignedAt,
            claimed_at: state.claimedAt,
            claim_version: state.claimVersion,
            first_output_at: state.firstOutputAt,
          })),
        ),
      );
    }
  }

  /** Forgets a consumer: its state and its inbox (a finished rebuild's scratch rows). */
  async forget(consumer: string): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.missionState.deleteMany({ where: { consumer } }),
      this.prisma.commentState.deleteMany({ where: { consumer } }),
      this.prisma.agentState.deleteMany({ where: { consumer } }),
      this.prisma.runState.deleteMany({ where: { consumer } }),
      this.prisma.claimState.deleteMany({ where: { consumer } }),
      this.prisma.inboxEntry.deleteMany({ where: { consumer } }),
    ]);
  }

  /** Runs work in one transaction (the consumer's unit of work). */
  transaction<T>(work: (db: Db) => Promise<T>): Promise<T> {
    // A run of up to 100 events also waits for Elasticsearch and InfluxDB before committing.
    return this.prisma.$transaction(work, { maxWait: 10_000, timeout: 120_000 });
  }
}

type MissionRow = Awaited<ReturnType<Db['missionState']['findFirstOrThrow']>>;
type CommentRow = Awaited<ReturnType<Db['commentState']['findFirstOrThrow']>>;
type AgentRow = Awaited<ReturnType<Db['agentState']['findFirstOrThrow']>>;
type RunRow = Awaited<ReturnType<Db['runState']['findFirstOrThrow']>>;
type ClaimRow = Awaited<ReturnType<Db['claimState']['findFirstOrThrow']>>;

function missionOf({ consumer: _consumer, ...row }: MissionRow): MissionState {
  return {
    ...row,
    column: oneOf<Column>(COLUMNS, row.column, 'column'),
    priority: oneOf<Priority>(PRIORITIES, row.priority, 'priority'),
  };
}

function commentOf({ consumer: _consumer, ...row }: CommentRow): CommentState {
  return row;
}

function agentOf({ consumer: _consumer, ...row }: AgentRow): AgentState {
  return { ...row, status: oneOf<AgentStatus>(AGENT_STATUSES, row.status, 'agent status') };
}

function runOf({ consumer: _consumer, ...row }: RunRow): RunState {
  return { ...row, billing: oneOf<Billing>(BILLINGS, row.billing, 'billing') };
}

function claimOf({ consumer: _consumer, ...row }: ClaimRow): ClaimState {
  return row;
}
