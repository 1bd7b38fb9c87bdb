// What Postgres did for a stretch of the benchmark, read from its cumulative statistics: the
// transactions committed (each statement outside a transaction is one) and the rows written per
// table. Divided by the stretch's operations, it says what one claim or one log chunk costs the
// database across every service and consumer, not only the request's own transaction.
import { Pool } from 'pg';
import { round1, sleep } from '../support/harness';

type Snapshot = { transactions: number; rows: Map<string, number> };

// Backends flush their counters to the shared statistics about once a second when idle.
const STATS_FLUSH_MS = 1_200;

async function snapshot(pool: Pool): Promise<Snapshot> {
  const { rows: database } = await pool.query<{ xacts: string }>(
    `SELECT (xact_commit + xact_rollback)::text AS xacts FROM pg_stat_database WHERE datname = current_database()`,
  );
  const { rows: tables } = await pool.query<{ name: string; written: string }>(
    `SELECT schemaname || '.' || relname AS name, (n_tup_ins + n_tup_upd + n_tup_del)::text AS written
     FROM pg_stat_user_tables`,
  );
  return {
    transactions: Number(database[0]?.xacts ?? 0),
    rows: new Map(tables.map((table) => [table.name, Number(table.written)])),
  };
}

/** Starts counting; the function gives a line of Postgres work per `operations` since. */
export async function dbWork(
  databaseUrl: string,
): Promise<(operations: number) => Promise<string>> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  const before = await snapshot(pool);
  return async (operations) => {
    try {
      await sleep(STATS_FLUSH_MS);
      const after = await snapshot(pool);
      const per = (value: number) => round1(value / Math.max(1, operations));
      const written = [...after.rows]
        .map(([name, rows]) => [name, rows - (before.rows.get(name) ?? 0)] as const)
        .filter(([, rows]) => rows > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([name, rows]) => `${name} ${per(rows)}`);
      // This reader's own two snapshots are transactions too.
      const transactions = after.transactions - before.transactions - 2;
      return `${per(transactions)} transactions; rows written ${written.join(', ') || 'none'}`;
    } finally {
      await pool.end();
    }
  };
}
