import { Injectable } from '@nestjs/common';
import type { Tx } from '../eventing/mission-event-store';

/**
 * The queue an agent takes work from, in one statement: its own assigned missions first, then
 * unassigned ones in To do; by priority, raised one level for every `agingSeconds` a mission has
 * waited so old low-priority work is not starved; oldest first among equals. The chosen row is
 * locked for the transaction and skipped by every other agent asking at the same moment.
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
      SELECT id::text AS id FROM "mission"."missions"
      WHERE workspace_id = ${workspaceId}::uuid AND claimed_by IS NULL
        AND (
          (assignee_agent_id = ${agentId} AND "column" IN ('backlog', 'todo', 'in_progress'))
          OR (assignee_agent_id IS NULL AND "column" = 'todo')
        )
      ORDER BY
        (assignee_agent_id IS NOT NULL) DESC,
        (CASE priority WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END
          + floor(extract(epoch FROM now() - created_at) / ${agingSeconds})) DESC,
        created_at, id
      LIMIT 1
      FOR UPDATE SKIP LOCKED`;
    return rows[0]?.id ?? null;
  }
}
