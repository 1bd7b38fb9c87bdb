// Same-run floors: what the work loop cannot be faster than on this machine right now.
// - HTTP: `{ __typename }` through the gateway with an agent's token (front door, auth, GraphQL
//   edge, no service), at one connection and at the claim burst's concurrency.
// - Postgres: the statements of a claim, a renewal and a log chunk sent straight through `pg` to
//   the instance's own Postgres (no GraphQL, HTTP, Nest or ORM), in tables of their own.
import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { now, percentiles, type Percentiles } from '../support/harness';
import { graphql, OPS } from './agents';
import { LINES_PER_CHUNK } from './log-phase';

export type Rate = Percentiles & { perSec: number };

/** `connections` callers doing `task` back to back for `seconds`. */
async function closedLoop(
  connections: number,
  seconds: number,
  task: (caller: number) => Promise<void>,
): Promise<Rate> {
  const latencies: number[] = [];
  const started = now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, caller) => {
      while (now() < deadline) {
        const at = now();
        await task(caller);
        latencies.push(now() - at);
      }
    }),
  );
  return {
    ...percentiles(latencies),
    perSec: Math.round(latencies.length / ((now() - started) / 1000)),
  };
}

export function httpFloor(
  url: string,
  tokens: string[],
  connections: number,
  seconds: number,
): Promise<Rate> {
  return closedLoop(connections, seconds, async (caller) => {
    await graphql(url, OPS.floor, {}, tokens[caller % tokens.length]);
  });
}

export type DbFloors = {
  claimC1: Rate;
  claimC16: Rate;
  renewC1: Rate;
  logC16: Rate & { mbPerSec: number };
};

const LOG_LINES = LINES_PER_CHUNK;
const LOG_LINE = 'x'.repeat(100);

/**
 * A claim: the agent's roster row, then in one transaction the queue's pick (FOR UPDATE SKIP
 * LOCKED, same ORDER BY), the mission's stream, two events (assigned, claimed) and the row's
 * update. A renewal: one conditional UPDATE. A log chunk: the run's row locked, one event holding
 * the chunk, its lines, the run's count.
 */
export async function dbFloors(
  databaseUrl: string,
  seconds: number,
  missions: number,
): Promise<DbFloors> {
  const schema = `bench_loop_${randomUUID().slice(0, 8)}`;
  const pool = new Pool({ connectionString: databaseUrl, max: 16 });
  const workspace = randomUUID();
  try {
    await pool.query(`
      CREATE SCHEMA ${schema};
      CREATE TABLE ${schema}.agents (id text PRIMARY KEY, workspace_id uuid NOT NULL, active boolean NOT NULL);
      CREATE TABLE ${schema}.events (
        position bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE, stream_id text NOT NULL,
        version int NOT NULL, type text NOT NULL, payload bytea NOT NULL, metadata jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(), UNIQUE (stream_id, version));
      CREATE TABLE ${schema}.missions (
        id uuid PRIMARY KEY, workspace_id uuid NOT NULL, "column" text NOT NULL, priority text NOT NULL,
        assignee_agent_id text, claimed_by text, claim_epoch int NOT NULL DEFAULT 0,
        lease_expires_at timestamptz, version int NOT NULL, created_at timestamptz NOT NULL);
      CREATE INDEX ON ${schema}.missions (workspace_id, "column");
      CREATE TABLE ${schema}.runs (id uuid PRIMARY KEY, log_lines int NOT NULL, version int NOT NULL);
      CREATE TABLE ${schema}.lines (run_id uuid NOT NULL, position int NOT NULL, stream text NOT NULL,
        text text NOT NULL, logged_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (run_id, position));
      INSERT INTO ${schema}.agents SELECT 'agent-' || n, '${workspace}', true FROM generate_series(1, 16) n;
      INSERT INTO ${schema}.missions (id, workspace_id, "column", priority, version, created_at)
        SELECT gen_random_uuid(), '${workspace}', 'todo', (ARRAY['low','medium','high','urgent'])[1 + n % 4], 1,
               now() - make_interval(secs => n)
        FROM generate_series(1, ${missions}) n;
      INSERT INTO ${schema}.runs SELECT gen_random_uuid(), 0, 1 FROM generate_series(1, 16);
      ANALYZE ${schema}.missions;`);
    const metadata = JSON.stringify({ workspaceId: workspace, actor: { kind: 'agent', id: 'x' } });
    const inTransaction = async (work: (client: PoolClient) => Promise<void>) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await work(client);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    };
    const claim = async (caller: number) => {
      const agent = `agent-${1 + (caller % 16)}`;
      await pool.query(`SELECT active FROM ${schema}.agents WHERE workspace_id = $1 AND id = $2`, [
        workspace,
        agent,
      ]);
      await inTransaction(async (client) => {
        const { rows } = await client.query<{ id: string; version: number; claim_epoch: number }>(
          `SELECT id::text, version, claim_epoch FROM ${schema}.missions
           WHERE workspace_id = $1 AND claimed_by IS NULL
             AND ((assignee_agent_id = $2 AND "column" IN ('backlog','todo','in_progress'))
               OR (assignee_agent_id IS NULL AND "column" = 'todo'))
           ORDER BY (assignee_agent_id IS NOT NULL) DESC,
             (CASE priority WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END
               + floor(extract(epoch FROM now() - created_at) / 86400)) DESC, created_at, id
           LIMIT 1 FOR UPDATE SKIP LOCKED`,
          [workspace, agent],
        );
        const mission = rows[0];
        if (!mission) {
          // The queue is empty (the bench's size is kept): hand back every mission no other caller
          // holds (skipping theirs: no waiting, no deadlock) and go on.
          await client.query(
            `UPDATE ${schema}.missions SET assignee_agent_id = NULL, claimed_by = NULL, lease_expires_at = NULL
             WHERE id IN (SELECT id FROM ${schema}.missions WHERE claimed_by IS NOT NULL FOR UPDATE SKIP LOCKED)`,
          );
          return;
        }
        const stream = `mission-${mission.id}`;
        await client.query(
          `SELECT version, type, payload FROM ${schema}.events WHERE stream_id = $1 ORDER BY version`,
          [stream],
        );
        for (const [offset, type] of ['MissionAssigned', 'MissionClaimed'].entries()) {
          await client.query(
            `INSERT INTO ${schema}.events (event_id, stream_id, version, type, payload, metadata)
             VALUES ($1, $2, $3, $4, $5, $6)`,
            [
              randomUUID(),
              stream,
              mission.version + offset + 1,
              type,
              Buffer.alloc(80, 1),
              metadata,
            ],
          );
        }
        await client.query(
          `UPDATE ${schema}.missions SET assignee_agent_id = $2, claimed_by = $2, claim_epoch = claim_epoch + 1,
             lease_expires_at = now() + interval '300 seconds', version = version + 2 WHERE id = $1`,
          [mission.id, agent],
        );
      });
    };
    const claimC1 = await closedLoop(1, seconds, claim);
    const claimC16 = await closedLoop(16, seconds, claim);
    await claim(0); // at least one mission held to renew
    const { rows: held } = await pool.query<{
      id: string;
      claimed_by: string;
      claim_epoch: number;
    }>(
      `SELECT id::text, claimed_by, claim_epoch FROM ${schema}.missions WHERE claimed_by IS NOT NULL LIMIT 1000`,
    );
    const renewC1 = await closedLoop(1, seconds, async (caller) => {
      const mission = held[caller % held.length]!;
      await pool.query(
        `UPDATE ${schema}.missions SET lease_expires_at = now() + make_interval(secs => 300)
         WHERE id = $1::uuid AND claimed_by = $2 AND claim_epoch = $3 AND lease_expires_at > now()`,
        [mission.id, mission.claimed_by, mission.claim_epoch],
      );
    });
    const { rows: runs } = await pool.query<{ id: string }>(`SELECT id::text FROM ${schema}.runs`);
    const chunk = Buffer.alloc(LOG_LINES * (LOG_LINE.length + 4), 1);
    const logC16 = await closedLoop(16, seconds, async (caller) => {
      const run = runs[caller % runs.length]!.id;
      await inTransaction(async (client) => {
        const { rows } = await client.query<{ log_lines: number; version: number }>(
          `SELECT log_lines, version FROM ${schema}.runs WHERE id = $1 FOR UPDATE`,
          [run],
        );
        const { log_lines: from, version } = rows[0]!;
        await client.query(
          `INSERT INTO ${schema}.events (event_id, stream_id, version, type, payload, metadata)
           VALUES ($1, $2, $3, 'RunLogAppended', $4, $5)`,
          [randomUUID(), `run-${run}`, version + 1, chunk, metadata],
        );
        await client.query(
          `INSERT INTO ${schema}.lines (run_id, position, stream, text)
           SELECT $1, p, 'stdout', $3 FROM generate_series($2::int + 1, $2::int + ${LOG_LINES}) p`,
          [run, from, LOG_LINE],
        );
        await client.query(
          `UPDATE ${schema}.runs SET log_lines = log_lines + ${LOG_LINES}, version = version + 1 WHERE id = $1`,
          [run],
        );
      });
    });
    const mbPerSec = Math.round(((logC16.perSec * LOG_LINES * LOG_LINE.length) / 1e6) * 100) / 100;
    return { claimC1, claimC16, renewC1, logC16: { ...logC16, mbPerSec } };
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await pool.end();
  }
}
