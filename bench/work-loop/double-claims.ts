// Whether any mission was ever held by two claims at once, read from the mission service's own
// event log: in each mission's stream, a MissionClaimed must follow a release (or an assignment,
// which drops the claim) of the one before, and each claim's epoch is the previous one plus one.
import { Pool } from 'pg';

export type ClaimAudit = {
  missions: number;
  claims: number;
  doubleClaims: number;
  epochGaps: number;
};

const HAND_BACK = new Set(['mission.v1.MissionReleased', 'mission.v1.MissionAssigned']);

export async function auditClaims(databaseUrl: string, workspaceId: string): Promise<ClaimAudit> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const { rows } = await pool.query<{ stream_id: string; type: string }>(
      `SELECT e.stream_id, e.type FROM mission.events e
       WHERE e.stream_id IN (SELECT 'mission-' || id FROM mission.missions WHERE workspace_id = $1::uuid)
       ORDER BY e.stream_id, e.version`,
      [workspaceId],
    );
    const { rows: totals } = await pool.query<{ missions: string; epochs: string }>(
      `SELECT count(*)::text AS missions, coalesce(sum(claim_epoch), 0)::text AS epochs
       FROM mission.missions WHERE workspace_id = $1::uuid`,
      [workspaceId],
    );
    let claims = 0;
    let doubleClaims = 0;
    let stream = '';
    let held = false;
    for (const row of rows) {
      if (row.stream_id !== stream) {
        stream = row.stream_id;
        held = false;
      }
      if (row.type === 'mission.v1.MissionClaimed') {
        claims += 1;
        if (held) {
          doubleClaims += 1;
        }
        held = true;
      } else if (HAND_BACK.has(row.type)) {
        held = false;
      }
    }
    // Every claim raised its mission's epoch by one: the epochs add up to the claims.
    const epochGaps = Math.abs(Number(totals[0]!.epochs) - claims);
    return { missions: Number(totals[0]!.missions), claims, doubleClaims, epochGaps };
  } finally {
    await pool.end();
  }
}
