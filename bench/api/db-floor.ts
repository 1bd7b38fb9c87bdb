// The database's share of a create, measured in the same run: what createMission asks of Postgres
// (a column lock, the column's last rank, the event, the card, one commit) sent straight through
// `pg` to the instance's own Postgres, with no GraphQL, HTTP or ORM. Tables of its own, dropped after.
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { now, percentiles } from '../support/harness';

export type DbFloor = { c1P50Ms: number; c16Rps: number; c16P99Ms: number };

const SCHEMA = `bench_floor_${randomUUID().slice(0, 8)}`;

export async function createDbFloor(databaseUrl: string, seconds: number): Promise<DbFloor> {
  const pool = new Pool({ connectionString: databaseUrl, max: 16 });
  try {
    await pool.query(`
      CREATE SCHEMA ${SCHEMA};
      CREATE TABLE ${SCHEMA}.events (
        id uuid PRIMARY KEY, stream_id uuid NOT NULL, version int NOT NULL, type text NOT NULL,
        payload bytea NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (stream_id, version));
      CREATE TABLE ${SCHEMA}.missions (
        id uuid PRIMARY KEY, workspace_id uuid NOT NULL, title text NOT NULL, "column" text NOT NULL,
        rank text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
      CREATE INDEX ON ${SCHEMA}.missions (workspace_id, "column", rank COLLATE "C", id);`);
    const workspaceId = randomUUID();
    let n = 0;
    const create = async () => {
      const client = await pool.connect();
      try {
        const id = randomUUID();
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
          `floor:${workspaceId}:backlog`,
        ]);
        await client.query(
          `SELECT rank FROM ${SCHEMA}.missions WHERE workspace_id = $1 AND "column" = 'backlog'
           ORDER BY rank COLLATE "C" DESC, id DESC LIMIT 1`,
          [workspaceId],
        );
        await client.query(
          `INSERT INTO ${SCHEMA}.events (id, stream_id, version, type, payload) VALUES ($1, $2, 1, $3, $4)`,
          [randomUUID(), id, 'mission.v1.MissionCreated', Buffer.alloc(400, 1)],
        );
        await client.query(
          `INSERT INTO ${SCHEMA}.missions (id, workspace_id, title, "column", rank) VALUES ($1, $2, $3, 'backlog', $4)`,
          [id, workspaceId, `Floor mission ${n}`, String(1_000_000 + n++)],
        );
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    };
    const run = async (connections: number) => {
      const latencies: number[] = [];
      const deadline = now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: connections }, async () => {
          while (now() < deadline) {
            const started = now();
            await create();
            latencies.push(now() - started);
          }
        }),
      );
      return { rps: Math.round(latencies.length / seconds), ...percentiles(latencies) };
    };
    const one = await run(1);
    const sixteen = await run(16);
    return { c1P50Ms: one.p50, c16Rps: sixteen.rps, c16P99Ms: sixteen.p99 };
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
    await pool.end();
  }
}
