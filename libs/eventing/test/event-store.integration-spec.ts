import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { AppError } from '@mission-control/errors';
import { EventStore, pgUnitOfWork, START, type AppendContext, type NewEvent } from '../src';

const context: AppendContext = { workspaceId: 'ws-1', actor: { kind: 'user', id: 'u-1' } };
// Other writers on the cluster (parallel suites) can briefly hold back the commit barrier.
async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const event = (n: number): NewEvent => ({
  type: 'mission.v1.MissionMoved',
  payload: Buffer.from(`move-${n}`),
});

describe('EventStore on Postgres', () => {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const store = new EventStore({ schema: 'mission', source: 'mission' });
  const stream = () => `mission-${randomUUID()}`;
  afterAll(() => pool.end());

  it('appends and reads a stream back in order with its envelope data', async () => {
    const id = stream();
    const stored = await store.append(pool, id, 0, [event(1), event(2)], {
      ...context,
      correlationId: 'corr-1',
    });
    expect(stored.map((e) => e.version)).toEqual([1, 2]);
    expect(stored[0]!.position < stored[1]!.position).toBe(true);

    const read = await store.readStream(pool, id);
    expect(read.map((e) => [e.version, e.type, e.payload.toString()])).toEqual([
      [1, 'mission.v1.MissionMoved', 'move-1'],
      [2, 'mission.v1.MissionMoved', 'move-2'],
    ]);
    expect(read[0]!.metadata).toMatchObject({
      source: 'mission',
      workspaceId: 'ws-1',
      actor: { kind: 'user', id: 'u-1' },
      correlationId: 'corr-1',
    });
    expect(read[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(read.map((e) => e.hash.toString('hex'))).toEqual(
      stored.map((e) => e.hash.toString('hex')),
    );
  });

  it('lets exactly one of two concurrent writers win; the other gets CONFLICT', async () => {
    const id = stream();
    await store.append(pool, id, 0, [event(0)], context);
    const uow = pgUnitOfWork(pool);
    const results = await Promise.allSettled(
      [1, 2].map((n) => uow.run((tx) => store.append(tx, id, 1, [event(n)], context))),
    );
    const [won, lost] = [
      results.filter((r) => r.status === 'fulfilled'),
      results.filter((r): r is PromiseRejectedResult => r.status === 'rejected'),
    ];
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(AppError);
    expect((lost[0]!.reason as AppError).code).toBe('CONFLICT');
    expect((await store.readStream(pool, id)).map((e) => e.version)).toEqual([1, 2]);
  });

  it('refuses an append at a version the stream is not at', async () => {
    const id = stream();
    await store.append(pool, id, 0, [event(1)], context);
    await expect(store.append(pool, id, 3, [event(2)], context)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(store.append(pool, id, 0, [event(2)], context)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('refuses events the relay could not publish, and stores nothing of them', async () => {
    const id = stream();
    await expect(
      store.append(pool, id, 0, [event(1)], { ...context, workspaceId: '' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringContaining('ce_workspaceid'),
    });
    await expect(
      store.append(pool, id, 0, [{ ...event(1), id: 'not-a-uuid' }], context),
    ).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringContaining('ce_id'),
    });
    expect(await store.readStream(pool, id)).toEqual([]);
  });

  it('commits read-model changes atomically with the events', async () => {
    const id = stream();
    await pool.query(
      'CREATE TABLE IF NOT EXISTS mission.test_counters (stream_id text PRIMARY KEY, n int)',
    );
    await expect(
      pgUnitOfWork(pool).run(async (tx) => {
        await store.append(tx, id, 0, [event(1)], context);
        await tx.query('INSERT INTO mission.test_counters VALUES ($1, 1)', [id]);
        throw new Error('projection failed');
      }),
    ).rejects.toThrow('projection failed');
    expect(await store.readStream(pool, id)).toEqual([]);
    expect(
      (await pool.query('SELECT 1 FROM mission.test_counters WHERE stream_id = $1', [id])).rowCount,
    ).toBe(0);
  });

  it('reads everything committed in relay order from a checkpoint', async () => {
    const ids = [stream(), stream()];
    await store.append(pool, ids[0]!, 0, [event(1)], context);
    await store.append(pool, ids[1]!, 0, [event(1), event(2)], context);
    const mine = await eventually(
      async () =>
        (await store.readAll(pool, START, 100_000)).filter((e) => ids.includes(e.streamId)),
      (events) => events.length === 3,
    );
    expect(mine.map((e) => [e.streamId, e.version])).toEqual([
      [ids[0], 1],
      [ids[1], 1],
      [ids[1], 2],
    ]);
    const afterFirst = await store.readAll(pool, {
      transactionId: mine[0]!.transactionId,
      position: mine[0]!.position,
    });
    expect(afterFirst.filter((e) => ids.includes(e.streamId))).toHaveLength(2);
  });

  it('holds back events of a transaction still running, and never skips them later', async () => {
    const slow = await pool.connect();
    const id = stream();
    const fast = stream();
    try {
      await slow.query('BEGIN');
      await store.append(slow, id, 0, [event(1)], context); // takes its xid and position first
      await store.append(pool, fast, 0, [event(1)], context); // commits first
      const before = (await store.readAll(pool, START, 100_000)).filter((e) =>
        [id, fast].includes(e.streamId),
      );
      expect(before).toEqual([]); // the fast one sits behind the running slow one
      await slow.query('COMMIT');
      const after = await eventually(
        async () =>
          (await store.readAll(pool, START, 100_000)).filter((e) =>
            [id, fast].includes(e.streamId),
          ),
        (events) => events.length === 2,
      );
      expect(after.map((e) => e.streamId)).toEqual([id, fast]);
    } finally {
      slow.release();
    }
  });

  it('is append-only: updates and deletes are refused', async () => {
    const id = stream();
    await store.append(pool, id, 0, [event(1)], context);
    await expect(
      pool.query('UPDATE mission.events SET payload = $1 WHERE stream_id = $2', [
        Buffer.from('x'),
        id,
      ]),
    ).rejects.toThrow(/append-only/);
    await expect(
      pool.query('DELETE FROM mission.events WHERE stream_id = $1', [id]),
    ).rejects.toThrow(/append-only/);
  });

  it('verify detects an edited and a deleted event', async () => {
    const edited = stream();
    const gap = stream();
    await store.append(pool, edited, 0, [event(1), event(2), event(3)], context);
    await store.append(pool, gap, 0, [event(1), event(2), event(3)], context);
    expect((await store.verify(pool)).ok).toBe(true);

    // Someone with superuser rights bypasses the append-only triggers.
    const admin = await pool.connect();
    try {
      await admin.query('SET session_replication_role = replica');
      await admin.query(
        `UPDATE mission.events SET payload = 'forged' WHERE stream_id = $1 AND version = 2`,
        [edited],
      );
      await admin.query('DELETE FROM mission.events WHERE stream_id = $1 AND version = 2', [gap]);
      await admin.query('SET session_replication_role = origin');
    } finally {
      admin.release();
    }
    const report = await store.verify(pool);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.streamId, p.version, p.problem]).sort()).toEqual(
      [
        [edited, 2, 'hash_mismatch'],
        [gap, 3, 'missing_version'],
        [gap, 3, 'hash_mismatch'],
      ].sort(),
    );
  });
});
