import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Tx } from '../eventing/mission-event-store';
import { isColumn, isPriority, type Column, type Priority } from './board';

export type MissionRecord = {
  id: string;
  workspaceId: string;
  title: string;
  description: string;
  priority: Priority;
  tags: string[];
  column: Column;
  rank: string;
  assigneeAgentId: string | null;
  claimedBy: string | null;
  /** The current (or last) claim's fencing epoch; 0 before the first claim. */
  claimEpoch: number;
  /** When the claim's lease runs out unless renewed; null when unclaimed (or claimed before leases). */
  leaseExpiresAt: Date | null;
  /** When the current claim was made; null when unclaimed (or claimed before this was kept). */
  claimedAt: Date | null;
  createdBy: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
};

export type CommentRecord = {
  id: string;
  missionId: string;
  workspaceId: string;
  author: string;
  authorKind: string;
  body: string;
  mentions: string[];
  createdAt: Date;
};

/** `missionId` waits for `blockerId` (PRODUCT M4). */
export type DependencyRecord = {
  workspaceId: string;
  missionId: string;
  blockerId: string;
  createdAt: Date;
};

/** A row of the missions table: column and priority as stored, unchecked. */
export type MissionRow = Omit<MissionRecord, 'priority' | 'column' | 'tags'> & {
  priority: string;
  column: string;
  tags: string[] | null;
};

export function missionOf(row: MissionRow): MissionRecord {
  if (!isColumn(row.column) || !isPriority(row.priority)) {
    throw new Error(`Unknown column or priority in the read model: ${row.column}/${row.priority}`);
  }
  return { ...row, tags: row.tags ?? [], column: row.column, priority: row.priority };
}

// Never a mission id: stands for "exclude nothing" in the neighbour queries.
const NO_MISSION = '00000000-0000-0000-0000-000000000000';

/** The mission read tables: missions (the board) and comments. Every read names its workspace. */
@Injectable()
export class MissionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Serialises placements into one column of one board until the transaction ends, so two cards
   * dropped into the same gap at once get different ranks instead of equal ones.
   */
  async lockColumn(tx: Tx, workspaceId: string, column: Column): Promise<void> {
    const key = `mission-column:${workspaceId}:${column}`;
    await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))) AS lock`;
  }

  /** The rank of a card in the column, or null when no such card is there. */
  async rankIn(
    db: Tx | PrismaService,
    workspaceId: string,
    column: Column,
    missionId: string,
  ): Promise<string | null> {
    const row = await db.mission.findFirst({
      where: { id: missionId, workspaceId, column },
      select: { rank: true },
    });
    return row?.rank ?? null;
  }

  /** The nearest rank above (`after`) or below (`before`) one in the column, skipping a card. */
  async neighbourRank(
    tx: Tx,
    workspaceId: string,
    column: Column,
    side: 'before' | 'after',
    rank: string | null,
    excludeId: string | null,
  ): Promise<string | null> {
    const exclude = excludeId ?? NO_MISSION;
    // Byte order (COLLATE "C"), the order fractional indexes are made for.
    const rows =
      side === 'after'
        ? await tx.$queryRaw<{ rank: string }[]>`
            SELECT rank FROM "mission"."missions"
            WHERE workspace_id = ${workspaceId}::uuid AND "column" = ${column}
              AND id <> ${exclude}::uuid
              AND (${rank}::text IS NULL OR rank COLLATE "C" > ${rank}::text COLLATE "C")
            ORDER BY rank COLLATE "C" ASC LIMIT 1`
        : await tx.$queryRaw<{ rank: string }[]>`
            SELECT rank FROM "mission"."missions"
            WHERE workspace_id = ${workspaceId}::uuid AND "column" = ${column}
              AND id <> ${exclude}::uuid
              AND (${rank}::text IS NULL OR rank COLLATE "C" < ${rank}::text COLLATE "C")
            ORDER BY rank COLLATE "C" DESC LIMIT 1`;
    return rows[0]?.rank ?? null;
  }

  async insertMission(tx: Tx, mission: MissionRecord): Promise<void> {
    await tx.mission.create({ data: mission });
  }

  /** Applies a change made at stream `version`; an older or repeated one changes nothing. */
  async updateMission(
    tx: Tx,
    id: string,
    version: number,
    at: Date,
    change: Partial<
      Pick<
        MissionRecord,
        | 'title'
        | 'description'
        | 'priority'
        | 'tags'
        | 'column'
        | 'rank'
        | 'assigneeAgentId'
        | 'claimedBy'
        | 'claimEpoch'
        | 'leaseExpiresAt'
        | 'claimedAt'
      >
    >,
  ): Promise<void> {
    await tx.mission.updateMany({
      where: { id, version: { lt: version } },
      data: { ...change, version, updatedAt: at },
    });
  }

  async insertComment(tx: Tx, comment: CommentRecord): Promise<void> {
    await tx.comment.createMany({ data: [comment], skipDuplicates: true });
  }

  async find(
    workspaceId: string,
    id: string,
    db: Tx | PrismaService = this.prisma,
  ): Promise<MissionRecord | null> {
    const row = await db.mission.findFirst({ where: { id, workspaceId } });
    return row ? missionOf(row) : null;
  }

  /**
   * Extends the lease of the claim held by `agentId` (claim `epoch` only, when given), if it has
   * not run out: a lease that ran out is not brought back, even before the sweeper ends it. False
   * when there was none.
   */
  async renewLease(
    db: Tx | PrismaService,
    workspaceId: string,
    missionId: string,
    agentId: string,
    leaseSeconds: number,
    epoch: number | null = null,
  ): Promise<boolean> {
    const renewed = await db.$executeRaw`
      UPDATE "mission"."missions"
      SET lease_expires_at = now() + make_interval(secs => ${leaseSeconds})
      WHERE id = ${missionId}::uuid AND workspace_id = ${workspaceId}::uuid
        AND claimed_by = ${agentId} AND lease_expires_at > now()
        AND (${epoch}::int IS NULL OR claim_epoch = ${epoch}::int)`;
    return renewed > 0;
  }

  /**
   * Heartbeats extend leases: every claim of an agent still heartbeating whose lease ends within
   * `withinSeconds` is given `leaseSeconds` from now. Returns how many were kept.
   */
  async keepLeasesOfOnlineAgents(
    tx: Tx,
    leaseSeconds: number,
    withinSeconds: number,
  ): Promise<number> {
    return tx.$executeRaw`
      UPDATE "mission"."missions" m
      SET lease_expires_at = now() + make_interval(secs => ${leaseSeconds})
      FROM "mission"."agents" a
      WHERE m.lease_expires_at < now() + make_interval(secs => ${withinSeconds})
        AND m.claimed_by IS NOT NULL AND a.id::text = m.claimed_by AND a.online AND a.active`;
  }

  /**
   * Claims whose lease ran out, at most `limit`, each locked for this transaction and skipped by
   * any other replica's sweep meanwhile.
   */
  async expiredClaims(tx: Tx, limit: number): Promise<MissionRecord[]> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM "mission"."missions"
      WHERE lease_expires_at < now() AND claimed_by IS NOT NULL
      ORDER BY lease_expires_at LIMIT ${limit}
      FOR UPDATE SKIP LOCKED`;
    return this.byIds(
      tx,
      rows.map((row) => row.id),
    );
  }

  /**
   * The missions an agent holds a claim on made no later than `before`, in any workspace (an agent
   * belongs to one). A claim kept from before its time was recorded counts as older.
   */
  async claimedBy(tx: Tx, agentId: string, before: Date): Promise<MissionRecord[]> {
    const rows = await tx.mission.findMany({
      where: {
        claimedBy: agentId,
        OR: [{ claimedAt: null }, { claimedAt: { lte: before } }],
      },
    });
    return rows.map(missionOf);
  }

  private async byIds(tx: Tx, ids: string[]): Promise<MissionRecord[]> {
    if (ids.length === 0) {
      return [];
    }
    const rows = await tx.mission.findMany({ where: { id: { in: ids } } });
    return rows.map(missionOf);
  }

  async insertDependency(tx: Tx, dependency: DependencyRecord): Promise<void> {
    await tx.missionDependency.createMany({ data: [dependency], skipDuplicates: true });
  }

  async deleteDependency(tx: Tx, missionId: string, blockerId: string): Promise<void> {
    await tx.missionDependency.deleteMany({ where: { missionId, blockerId } });
  }

  /**
   * Serialises dependency changes (and the readiness a move to or from Done decides) in one
   * workspace until the transaction ends, so two edges added at once cannot close a cycle
   * together that neither closes alone.
   */
  async lockDependencies(tx: Tx, workspaceId: string): Promise<void> {
    const key = `mission-dependencies:${workspaceId}`;
    await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))) AS lock`;
  }

  /**
   * The missions an edge "`missionId` waits for `blockerId`" would close a cycle through: the
   * path of waits from `blockerId` back to `missionId` (both included), or null when there is none.
   */
  async pathOfWaits(
    tx: Tx,
    workspaceId: string,
    blockerId: string,
    missionId: string,
  ): Promise<string[] | null> {
    const rows = await tx.$queryRaw<{ path: string[] }[]>`
      WITH RECURSIVE walk(id, path) AS (
        SELECT ${blockerId}::uuid, ARRAY[${blockerId}::uuid]
        UNION ALL
        SELECT d.blocker_id, w.path || d.blocker_id
        FROM "mission"."mission_dependencies" d JOIN walk w ON d.mission_id = w.id
        WHERE d.workspace_id = ${workspaceId}::uuid AND NOT d.blocker_id = ANY(w.path)
      )
      SELECT path::text[] AS path FROM walk WHERE id = ${missionId}::uuid LIMIT 1`;
    return rows[0]?.path ?? null;
  }

  /** The titles of missions by id, in the workspace. */
  async titles(
    db: Tx | PrismaService,
    workspaceId: string,
    ids: readonly string[],
  ): Promise<Map<string, string>> {
    const rows = await db.mission.findMany({
      where: { workspaceId, id: { in: [...ids] } },
      select: { id: true, title: true },
    });
    return new Map(rows.map((row) => [row.id, row.title]));
  }

  /** Each mission's blockers (`side: 'blockers'`) or dependants, as missions, oldest edge first. */
  async linked(
    db: Tx | PrismaService,
    workspaceId: string,
    missionIds: readonly string[],
    side: 'blockers' | 'dependants',
  ): Promise<{ of: string; mission: MissionRecord }[]> {
    if (missionIds.length === 0) {
      return [];
    }
    const edges = await db.missionDependency.findMany({
      where:
        side === 'blockers'
          ? { workspaceId, missionId: { in: [...missionIds] } }
          : { workspaceId, blockerId: { in: [...missionIds] } },
      orderBy: [{ createdAt: 'asc' }, { missionId: 'asc' }, { blockerId: 'asc' }],
    });
    const otherIds = edges.map((edge) => (side === 'blockers' ? edge.blockerId : edge.missionId));
    const rows = await db.mission.findMany({ where: { workspaceId, id: { in: otherIds } } });
    const byId = new Map(rows.map((row) => [row.id, missionOf(row)]));
    return edges.flatMap((edge) => {
      const [of, other] =
        side === 'blockers' ? [edge.missionId, edge.blockerId] : [edge.blockerId, edge.missionId];
      const mission = byId.get(other);
      return mission ? [{ of, mission }] : [];
    });
  }

  /** The missions of the workspace with a blocker not yet done, oldest first. */
  async blockedIn(workspaceId: string): Promise<MissionRecord[]> {
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT DISTINCT d.mission_id::text AS id FROM "mission"."mission_dependencies" d
      JOIN "mission"."missions" b ON b.id = d.blocker_id
      WHERE d.workspace_id = ${workspaceId}::uuid AND b."column" <> 'done'`;
    const missions = await this.prisma.mission.findMany({
      where: { workspaceId, id: { in: rows.map((row) => row.id) } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return missions.map(missionOf);
  }

  /** The titles of the mission's blockers not yet done, oldest edge first. */
  async unfinishedBlockers(
    db: Tx | PrismaService,
    workspaceId: string,
    missionId: string,
  ): Promise<string[]> {
    const rows = await db.$queryRaw<{ title: string }[]>`
      SELECT b.title FROM "mission"."mission_dependencies" d
      JOIN "mission"."missions" b ON b.id = d.blocker_id
      WHERE d.workspace_id = ${workspaceId}::uuid AND d.mission_id = ${missionId}::uuid
        AND b."column" <> 'done'
      ORDER BY d.created_at, d.blocker_id`;
    return rows.map((row) => row.title);
  }

  /**
   * The dependants of `blockerId` all of whose blockers are now done (read on `tx` after the
   * blocker's move was projected): the missions its move to Done made ready.
   */
  async readyDependants(tx: Tx, workspaceId: string, blockerId: string): Promise<string[]> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT d.mission_id::text AS id FROM "mission"."mission_dependencies" d
      WHERE d.workspace_id = ${workspaceId}::uuid AND d.blocker_id = ${blockerId}::uuid
        AND NOT EXISTS (
          SELECT 1 FROM "mission"."mission_dependencies" o
          JOIN "mission"."missions" b ON b.id = o.blocker_id
          WHERE o.mission_id = d.mission_id AND b."column" <> 'done'
        )
      ORDER BY d.mission_id`;
    return rows.map((row) => row.id);
  }

  async comments(workspaceId: string, missionId: string): Promise<CommentRecord[]> {
    return this.prisma.comment.findMany({
      where: { workspaceId, missionId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }
}
