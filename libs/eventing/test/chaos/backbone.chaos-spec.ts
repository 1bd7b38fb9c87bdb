import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Pool, type PoolClient } from 'pg';
import {
  engineEnv,
  ensureEngines,
  killEngine,
  restartPostgres,
  testRunId,
} from '@mission-control/testing';
import {
  EventConsumer,
  EventRelay,
  EventStore,
  KafkaTransport,
  isTransientDatabaseError,
  pgUnitOfWork,
  silentLogger,
  type AppendContext,
} from '../../src';

const env = engineEnv();
const context: AppendContext = { workspaceId: 'ws-chaos', actor: { kind: 'system', id: 'chaos' } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(
  what: string,
  condition: () => Promise<boolean>,
  timeoutMs = 180_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await condition()) {
        return;
      }
    } catch {
      // the engine under test may be down for a moment
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting until ${what}`);
    }
    await sleep(250);
  }
}

describe('event backbone under failure', () => {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 12 });
  pool.on('error', () => {}); // idle clients die with the server during a restart
  const store = new EventStore({ schema: 'mission', source: '//mission-control/mission' });
  const kafka = new Kafka({
    clientId: 'chaos',
    brokers: env.KAFKA_BROKERS,
    logLevel: logLevel.NOTHING,
  });
  const uow = pgUnitOfWork(pool);

  beforeAll(async () => {
    await pool.query(
      'CREATE TABLE IF NOT EXISTS mission.chaos_effects (event_id uuid NOT NULL, stream_id text NOT NULL)',
    );
  });
  afterAll(() => pool.end());

  /** Appends `count` events to `streams` in batches, retrying through outages and conflicts. */
  async function write(
    streams: string[],
    count: number,
    batch: number,
    paceMs: number,
    value = (v: number) => v,
  ) {
    const versions = new Map(streams.map((stream) => [stream, 0]));
    let written = 0;
    let turn = 0;
    while (written < count) {
      const stream = streams[turn++ % streams.length]!;
      const from = versions.get(stream)!;
      const size = Math.min(batch, count - written);
      try {
        await uow.run((tx) =>
          store.append(
            tx,
            stream,
            from,
            Array.from({ length: size }, (_, i) => ({
              type: 'mission.v1.MissionMoved',
              payload: Buffer.from(String(value(from + i + 1))),
            })),
            context,
          ),
        );
        versions.set(stream, from + size);
        written += size;
      } catch (error) {
        if (!isTransientDatabaseError(error) && (error as { code?: string }).code !== 'CONFLICT') {
          throw error;
        }
        // A commit whose answer was lost may have landed: re-read where the stream is.
        await sleep(200);
        const events = await store.readStream(pool, stream).catch(() => undefined);
        if (events) {
          written += events.length - from;
          versions.set(stream, events.length);
        }
      }
      await sleep(paceMs);
    }
  }

  function effectsConsumer(transport: KafkaTransport, topic: string, name: string) {
    return new EventConsumer<PoolClient>({
      name,
      topics: [topic],
      transport,
      schema: 'mission',
      unitOfWork: uow,
      logger: silentLogger,
      handle: async (event, tx) => {
        await tx.query('INSERT INTO mission.chaos_effects (event_id, stream_id) VALUES ($1, $2)', [
          event.envelope.id,
          event.envelope.subject,
        ]);
      },
    });
  }

  /** Every committed event of these streams has exactly one effect. */
  async function exactlyOnce(
    prefix: string,
  ): Promise<{ events: number; effects: number; duplicated: number; missing: number }> {
    const { rows } = await pool.query<{
      events: string;
      effects: string;
      duplicated: string;
      missing: string;
    }>(
      `WITH ev AS (SELECT event_id FROM mission.events WHERE stream_id LIKE $1 || '%'),
            fx AS (SELECT event_id, count(*) AS n FROM mission.chaos_effects WHERE stream_id LIKE $1 || '%' GROUP BY event_id)
       SELECT (SELECT count(*) FROM ev)::text AS events,
              (SELECT coalesce(sum(n), 0) FROM fx)::text AS effects,
              (SELECT count(*) FROM fx WHERE n > 1)::text AS duplicated,
              (SELECT count(*) FROM ev LEFT JOIN fx USING (event_id) WHERE fx.event_id IS NULL)::text AS missing`,
      [prefix],
    );
    const row = rows[0]!;
    return {
      events: Number(row.events),
      effects: Number(row.effects),
      duplicated: Number(row.duplicated),
      missing: Number(row.missing),
    };
  }

  it('loses nothing and duplicates no effect when the Kafka broker is SIGKILLed mid-load', async () => {
    const prefix = `kafka-kill-${randomUUID().slice(0, 8)}-`;
    const topic = `${testRunId()}.chaos.kafka`;
    const transport = new KafkaTransport(kafka, { partitions: 3, logger: silentLogger });
    const relay = new EventRelay({
      pool,
      store,
      transport,
      topic,
      name: `${prefix}relay`,
      logger: silentLogger,
    });
    const consumer = effectsConsumer(transport, topic, `${prefix}consumer`);
    await transport.ensureTopics([topic]);
    relay.start();
    await consumer.start();

    const streams = Array.from({ length: 12 }, (_, i) => `${prefix}${i}`);
    const load = write(streams, 3_000, 10, 5);
    await until('a third is appended', async () => (await exactlyOnce(prefix)).events >= 1_000);
    killEngine('kafka');
    await sleep(2_000);
    ensureEngines(['kafka']);
    await load;

    await until(
      'every event took effect',
      async () => (await exactlyOnce(prefix)).effects >= 3_000,
    );
    await sleep(1_000); // room for a duplicate to show
    await consumer.stop();
    await relay.stop();
    await transport.close();
    expect(await exactlyOnce(prefix)).toEqual({
      events: 3_000,
      effects: 3_000,
      duplicated: 0,
      missing: 0,
    });
  });

  it('rebuilds the same projection after a consumer process is SIGKILLed mid-batch', async () => {
    const prefix = `consumer-kill-${randomUUID().slice(0, 8)}-`;
    const topic = `${testRunId()}.chaos.consumer`;
    const table = `chaos_totals_${randomUUID().slice(0, 8)}`;
    const replayTable = `${table}_replay`;
    for (const name of [table, replayTable]) {
      await pool.query(
        `CREATE TABLE mission.${name} (stream_id text PRIMARY KEY, total bigint NOT NULL, events int NOT NULL)`,
      );
    }
    const transport = new KafkaTransport(kafka, { partitions: 3, logger: silentLogger });
    const relay = new EventRelay({
      pool,
      store,
      transport,
      topic,
      name: `${prefix}relay`,
      logger: silentLogger,
    });
    await transport.ensureTopics([topic]);
    relay.start();
    const streams = Array.from({ length: 20 }, (_, i) => `${prefix}${i}`);
    await write(streams, 2_000, 20, 0, (v) => (v * 7919) % 101);

    // The relay publishes the whole log (earlier tests' streams too); judge this test's streams only.
    const projected = async (name: string) =>
      Number(
        (
          await pool.query<{ n: string }>(
            `SELECT coalesce(sum(events), 0)::text AS n FROM mission.${name} WHERE stream_id LIKE $1 || '%'`,
            [prefix],
          )
        ).rows[0]!.n,
      );
    const startConsumer = (name: string, into: string): ChildProcess =>
      spawn(process.execPath, [path.join(__dirname, 'projection-consumer.js')], {
        env: {
          ...process.env,
          KAFKA_BROKERS: env.KAFKA_BROKERS.join(','),
          TOPIC: topic,
          CONSUMER: name,
          TABLE: into,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });

    const group = `${prefix}projector`;
    let child = startConsumer(group, table);
    await until('a third is projected', async () => (await projected(table)) >= 600);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const atKill = await projected(table);
    child = startConsumer(group, table);
    await until('everything is projected', async () => (await projected(table)) >= 2_000);
    await sleep(1_000);
    child.kill('SIGTERM');

    const replay = startConsumer(`${prefix}replay`, replayTable);
    await until('the clean replay is done', async () => (await projected(replayTable)) >= 2_000);
    replay.kill('SIGTERM');
    await relay.stop();
    await transport.close();

    const checksum = async (name: string) =>
      (
        await pool.query<{ sum: string }>(
          `SELECT md5(string_agg(stream_id || ':' || total || ':' || events, ',' ORDER BY stream_id)) AS sum
           FROM mission.${name} WHERE stream_id LIKE $1 || '%'`,
          [prefix],
        )
      ).rows[0]!.sum;
    expect(atKill).toBeLessThan(2_000);
    expect(await projected(table)).toBe(2_000);
    expect(await checksum(table)).toBe(await checksum(replayTable));
  });

  it('loses nothing when Postgres restarts under the relay, and the relay resumes by itself', async () => {
    const prefix = `pg-restart-${randomUUID().slice(0, 8)}-`;
    const topic = `${testRunId()}.chaos.postgres`;
    const transport = new KafkaTransport(kafka, { partitions: 3, logger: silentLogger });
    const relay = new EventRelay({
      pool,
      store,
      transport,
      topic,
      name: `${prefix}relay`,
      logger: silentLogger,
    });
    const consumer = effectsConsumer(transport, topic, `${prefix}consumer`);
    await transport.ensureTopics([topic]);
    relay.start();
    await consumer.start();

    const streams = Array.from({ length: 8 }, (_, i) => `${prefix}${i}`);
    const load = write(streams, 1_500, 5, 5);
    await until('some events are appended', async () => (await exactlyOnce(prefix)).events >= 300);
    restartPostgres();
    await load;

    await until('every committed event took effect', async () => {
      const state = await exactlyOnce(prefix);
      return state.events >= 1_500 && state.effects >= state.events;
    });
    await sleep(1_000);
    await until('the relay has caught up', async () => (await relay.lag()).events === 0);
    await consumer.stop();
    await relay.stop();
    await transport.close();
    const state = await exactlyOnce(prefix);
    expect(state).toEqual({
      events: state.events,
      effects: state.events,
      duplicated: 0,
      missing: 0,
    });
    expect(state.events).toBeGreaterThanOrEqual(1_500);
  });
});
