import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../database/prisma.service';
import { COLUMNS, type Column } from '../missions/board';
import { missionOf, type MissionRecord, type MissionRow } from '../missions/missions.repository';
import type { BoardPosition } from './board-cursor';

/** The missions of one column read by one query, and how many the column holds in all. */
export type ColumnSlice = { missions: MissionRecord[]; totalCount: number };

// An empty column still has its row (LEFT JOIN LATERAL): its count, and nulls for the mission.
type SliceRow = { boardColumn: Column; totalCount: number } & (MissionRow | { id: null });

const MISSION_COLUMNS = Prisma.sql`m.id::text AS "id", m.workspace_id::text AS "workspaceId",
  m.title, m.description, m.priority, m.tags, m."column", m.rank,
  m.assignee_agent_id AS "assigneeAgentId", m.claimed_by AS "claimedBy",
  m.claim_epoch AS "claimEpoch", m.lease_expires_at AS "leaseExpiresAt",
  m.created_by AS "createdBy", m.version, m.created_at AS "createdAt", m.updated_at AS "updatedAt"`;

// Byte order (COLLATE "C"), then id: the order of missions_board_order_idx.
const BOARD_ORDER = Prisma.sql`rank COLLATE "C", id`;

/**
 * The board's reads. Each column is an index range scan of missions_board_order_idx
 * (workspace_id, column, rank COLLATE "C", id): a page costs what it holds, however long the
 * column, and only the counts visit every entry of the workspace (in the index alone).
 */
@Injectable()
export class BoardRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * The first `perColumn` missions of every column (null: all of them) and each column's count,
   * in one round trip. One LATERAL LIMIT per column rather than row_number() over the workspace:
   * that would read every mission of the workspace to keep the first few.
   */
  async firstPages(
    workspaceId: string,
    perColumn: number | null,
  ): Promise<Record<Column, ColumnSlice>> {
    const limit = perColumn === null ? Prisma.empty : Prisma.sql`LIMIT ${perColumn}`;
    const rows = await this.prisma.$queryRaw<SliceRow[]>`
      SELECT c.name AS "boardColumn", counts.total::int AS "totalCount", ${MISSION_COLUMNS}
      FROM unnest(ARRAY[${Prisma.join(COLUMNS)}]::text[]) WITH ORDINALITY AS c(name, place)
      CROSS JOIN LATERAL (
        SELECT count(*) AS total FROM "mission"."missions"
        WHERE workspace_id = ${workspaceId}::uuid AND "column" = c.name
      ) AS counts
      LEFT JOIN LATERAL (
        SELECT * FROM "mission"."missions"
        WHERE workspace_id = ${workspaceId}::uuid AND "column" = c.name
        ORDER BY ${BOARD_ORDER} ${limit}
      ) AS m ON true
      ORDER BY c.place, m.rank COLLATE "C", m.id`;
    const slices = {} as Record<Column, ColumnSlice>;
    for (const column of COLUMNS) {
      slices[column] = { missions: [], totalCount: 0 };
    }
    for (const row of rows) {
      const slice = slices[row.boardColumn];
      slice.totalCount = row.totalCount;
      if (row.id !== null) {
        slice.missions.push(missionOf(row));
      }
    }
    return slices;
  }

  /** Up to `limit` missions of one column after `after` (null: from its start), and its count. */
  async page(
    workspaceId: string,
    column: Column,
    limit: number,
    after: BoardPosition | null,
  ): Promise<ColumnSlice> {
    // A row comparison on the index's own columns: the scan starts right after the cursor.
    const keyset = after
      ? Prisma.sql`AND (rank COLLATE "C", id) > (${after.rank}::text COLLATE "C", ${after.id}::uuid)`
      : Prisma.empty;
    const rows = await this.prisma.$queryRaw<SliceRow[]>`
      SELECT ${column}::text AS "boardColumn", counts.total::int AS "totalCount", ${MISSION_COLUMNS}
      FROM (
        SELECT count(*) AS total FROM "mission"."missions"
        WHERE workspace_id = ${workspaceId}::uuid AND "column" = ${column}
      ) AS counts
      LEFT JOIN LATERAL (
        SELECT * FROM "mission"."missions"
        WHERE workspace_id = ${workspaceId}::uuid AND "column" = ${column} ${keyset}
        ORDER BY ${BOARD_ORDER} LIMIT ${limit}
      ) AS m ON true
      ORDER BY m.rank COLLATE "C", m.id`;
    return {
      totalCount: rows[0]?.totalCount ?? 0,
      missions: rows.flatMap((row) => (row.id === null ? [] : [missionOf(row)])),
    };
  }
}
