import { Injectable } from '@nestjs/common';
import type { Tx } from '../eventing/mission-event-store';

/**
 * The queue an agent takes work from, in one statement: its own assigned missions first, then
 * unassigned ones in To do; by priority, raised one level for every `agingSeconds` a mission has
 * waited so old low-priority work is not starved; oldest first among equals. The chosen row is
 * locked for the transaction and skipped by every other agent asking at the same moment.
 *
 * Within one priority the oldest mission has aged the most, so the best open mission is among the
 * oldest of each priority: those four heads are read from an index (and locked) instead of sorting
 * the whole queue, which keeps a claim's cost flat however long the queue grows.
 *
 * A mission with a blocker not yet done (PRODUCT M4) is never offered, assigned or not; one
 * claimed before a blocker was added keeps its claim (only unclaimed missions are picked here).
 */
@Injectable()
export class DispatchRepository {
  async nextFor(
    tx: Tx,
    workspaceId: string,
    agentId: string,
    agingSeconds: number,
  ): Promise<string | null> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT c.id::text AS id FROM (
        SELECT own.id, own.created_at, 1 AS mine, own.level FROM (
          SELECT m.id, m.created_at,
            CASE m.priority WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END AS level
          FROM "mission"."missions" m
          WHERE m.workspace_id = ${workspaceId}::uuid AND m.claimed_by IS NULL
            AND m.assignee_agent_id = ${agentId} AND m."column" IN ('backlog', 'todo', 'in_progress')
            AND NOT EXISTS (
              SELECT 1 FROM "mission"."mission_dependencies" d
              JOIN "mission"."missions" b ON b.id = d.blocker_id
              WHERE d.mission_id = m.id AND b."column" <> 'done'
            )
          ORDER BY
            CASE m.priority WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END
              + floor(extract(epoch FROM now() - m.created_at) / ${agingSeconds}) DESC,
            m.created_at, m.id
          LIMIT 1 FOR UPDATE SKIP LOCKED
        ) own
        UNION ALL
        SELECT head.id, head.created_at, 0, 5 - p.n
        FROM unnest(ARRAY['urgent', 'high', 'medium', 'low']) WITH ORDINALITY AS p(priority, n)
        CROSS JOIN LATERAL (
          SELECT m.id, m.created_at FROM "mission"."missions" m
          WHERE m.workspace_id = ${workspaceId}::uuid AND m.claimed_by IS NULL
            AND m.assignee_agent_id IS NULL AND m."column" = 'todo' AND m.priority = p.priority
            AND NOT EXISTS (
              SELECT 1 FROM "mission"."mission_dependencies" d
              JOIN "mission"."missions" b ON b.id = d.blocker_id
              WHERE d.mission_id = m.id AND b."column" <> 'done'
            )
          ORDER BY m.created_at, m.id
          LIMIT 1 FOR UPDATE SKIP LOCKED
        ) head
      ) c
      ORDER BY c.mine DESC,
        c.level + floor(extract(epoch FROM now() - c.created_at) / ${agingSeconds}) DESC,
        c.created_at, c.id
      LIMIT 1`;
    return rows[0]?.id ?? null;
  }
}
