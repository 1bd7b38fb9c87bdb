// The benchmark's writers in a process of their own, as a service's request handlers are beside
// the relay in production: WRITERS concurrent writers, each appending batches to its own stream.
// Reports progress and, at the end, { events, ms } to the parent over IPC.
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { EventStore, type AppendContext } from '@mission-control/eventing';
import { now, range } from '../support/harness';

type Job = {
  databaseUrl: string;
  streamPrefix: string;
  writers: number;
  perWriter: number;
  batch: number;
};

const context: AppendContext = { workspaceId: 'ws-bench', actor: { kind: 'system', id: 'bench' } };
const PAYLOAD = randomBytes(64);

process.once('message', (job: Job) => {
  void run(job).then(
    (result) => process.send!({ type: 'done', ...result }, () => process.exit(0)),
    (error: unknown) => {
      process.send!({ type: 'failed', error: String(error) }, () => process.exit(1));
    },
  );
});

async function run(job: Job): Promise<{ events: number; ms: number }> {
  const pool = new Pool({ connectionString: job.databaseUrl, max: job.writers + 1 });
  const store = new EventStore({ schema: 'mission', source: 'mission' });
  let appended = 0;
  const ticker = setInterval(() => process.send!({ type: 'progress', appended }), 500);
  const started = now();
  await Promise.all(
    range(job.writers).map(async (writer) => {
      for (let version = 0; version < job.perWriter; version += job.batch) {
        const count = Math.min(job.batch, job.perWriter - version);
        await store.append(
          pool,
          `${job.streamPrefix}-w${writer}`,
          version,
          range(count).map(() => ({ type: 'mission.v1.MissionMoved', payload: PAYLOAD })),
          context,
        );
        appended += count;
      }
    }),
  );
  const ms = now() - started;
  clearInterval(ticker);
  await pool.end();
  return { events: appended, ms };
}
