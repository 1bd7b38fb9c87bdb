import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { fromKafkaHeaders } from '@mission-control/proto';
import { engineEnv, testRunId } from '@mission-control/testing';
import {
  EventRelay,
  EventStore,
  InProcessTransport,
  KafkaTransport,
  pgUnitOfWork,
  silentLogger,
  type AppendContext,
  type EventTransport,
  type TransportRecord,
} from '../src';

const env = engineEnv();
const context: AppendContext = {
  workspaceId: 'ws-relay',
  actor: { kind: 'system', id: 'relay-spec' },
};
const WRITERS = 8;
const STREAMS_PER_WRITER = 25;
const TOTAL_EVENTS = Number(process.env.RELAY_SPEC_EVENTS ?? 50_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('EventRelay', () => {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: WRITERS + 4 });
  const store = new EventStore({ schema: 'mission', source: '//mission-control/mission' });
  const kafka = new Kafka({
    clientId: 'relay-spec',
    brokers: env.KAFKA_BROKERS,
    logLevel: logLevel.NOTHING,
  });
  afterAll(() => pool.end());

  it('creates event topics that keep their events forever, so projections can replay them', async () => {
    const topic = `${testRunId()}.retention.events.v1`;
    const transport = new KafkaTransport(kafka, { partitions: 1, logger: silentLogger });
    const admin = kafka.admin();
    try {
      await transport.ensureTopics([topic]);
      await admin.connect();
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          { type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms'] },
        ],
      });
      expect(resources[0]?.configEntries).toEqual([
        expect.objectContaining({ configName: 'retention.ms', configValue: '-1' }),
      ]);
    } finally {
      await admin.disconnect();
      await transport.close();
    }
  });

  it('publishes every event of 8 concurrent late-committing writers exactly once, in stream order', async () => {
    const topic = `${testRunId()}.mission.events.v1`;
    const transport = new KafkaTransport(kafka, { partitions: 6, logger: silentLogger });
    const relay = new EventRelay({
      pool,
      store,
      transport,
      topic,
      name: `spec-${randomUUID()}`,
      logger: silentLogger,
    });
    const run = randomUUID().slice(0, 8);

    // A plain consumer group reads what the relay published.
    const received = new Map<
      string,
      { stream: string; version: number; partition: number; offset: string }[]
    >();
    const seenIds = new Map<string, number>();
    let ours = 0;
    const consumer = kafka.consumer({ groupId: `${topic}.checker`, maxWaitTimeInMs: 100 });
    await transport.ensureTopics([topic]);
    relay.start();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message, partition }) => {
        const stream = message.key!.toString();
        if (!stream.startsWith(`spec-${run}-`)) {
          return Promise.resolve();
        }
        const { id, streamVersion: version } = fromKafkaHeaders(message.headers ?? {});
        seenIds.set(id, (seenIds.get(id) ?? 0) + 1);
        received.set(stream, [
          ...(received.get(stream) ?? []),
          { stream, version, partition, offset: message.offset },
        ]);
        ours += 1;
        return Promise.resolve();
      },
    });

    // 8 writers, each owning 25 streams, append batches of 1–20 events and hold their
    // transaction open 0–4 ms before committing, so commits land out of position order.
    const perWriter = TOTAL_EVENTS / WRITERS;
    const uow = pgUnitOfWork(pool);
    const started = Date.now();
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, writer) => {
        const versions = new Array<number>(STREAMS_PER_WRITER).fill(0);
        let written = 0;
        while (written < perWriter) {
          const s = Math.floor(Math.random() * STREAMS_PER_WRITER);
          const size = Math.min(perWriter - written, 1 + Math.floor(Math.random() * 20));
          const events = Array.from({ length: size }, (_, i) => ({
            type: 'mission.v1.MissionMoved',
            payload: Buffer.from(`w${writer}-s${s}-${versions[s]! + i + 1}`),
          }));
          await uow.run(async (tx) => {
            await store.append(tx, `spec-${run}-w${writer}-s${s}`, versions[s]!, events, context);
            await sleep(Math.random() * 4);
          });
          versions[s]! += size;
          written += size;
        }
      }),
    );
    const appendSeconds = (Date.now() - started) / 1000;

    const deadline = Date.now() + 120_000;
    while (ours < TOTAL_EVENTS && Date.now() < deadline) {
      await sleep(100);
    }
    await sleep(500); // room for any duplicate to show up
    await consumer.disconnect();
    await relay.stop();
    await transport.close();

    expect(ours).toBe(TOTAL_EVENTS);
    expect(seenIds.size).toBe(TOTAL_EVENTS);
    expect([...seenIds.values()].every((count) => count === 1)).toBe(true);
    expect(received.size).toBe(WRITERS * STREAMS_PER_WRITER);
    const outOfOrder = [...received.entries()].filter(([, events]) =>
      events.some((e, i) => e.version !== i + 1),
    );
    if (outOfOrder.length > 0) {
      const [stream, events] = outOfOrder[0]!;
      const { rows } = await pool.query(
        'SELECT version, position::text, transaction_id::text FROM mission.events WHERE stream_id = $1 ORDER BY version',
        [stream],
      );
      process.stdout.write(
        `${outOfOrder.length} streams out of order; ${stream}: ${JSON.stringify(events.slice(0, 20).map((e) => [e.version, e.partition, e.offset]))}\n${JSON.stringify(rows)}\n`,
      );
    }
    expect(outOfOrder.map(([stream]) => stream)).toEqual([]);
    expect(await relay.lag()).toMatchObject({ events: 0 });
    process.stdout.write(
      `appended ${TOTAL_EVENTS} events in ${appendSeconds.toFixed(1)}s with ${WRITERS} writers\n`,
    );
  });

  it('saves its progress before idling and on stop, so a successor publishes only what is new', async () => {
    const published: TransportRecord[] = [];
    // Records what the relay hands over; the checkpoint under test lives in Postgres.
    const recorder: EventTransport = {
      publish: (records) => {
        published.push(...records);
        return Promise.resolve();
      },
      subscribe: () => Promise.reject(new Error('not used')),
      close: () => Promise.resolve(),
    };
    const name = `spec-progress-${randomUUID()}`;
    await pool.query(
      `INSERT INTO mission.relay_checkpoints (relay, transaction_id, position)
       SELECT $1, transaction_id, position FROM mission.events
       ORDER BY transaction_id DESC, position DESC LIMIT 1`,
      [name],
    );
    const options = { pool, store, transport: recorder, topic: 't', name, logger: silentLogger };
    const stream = `spec-progress-${randomUUID()}`;
    const relay = new EventRelay({ ...options, checkpointIntervalMs: 60_000 });
    relay.start();
    const events = Array.from({ length: 5 }, (_, i) => ({
      type: 'mission.v1.MissionMoved',
      payload: Buffer.from(`p-${i}`),
    }));
    const stored = await store.append(pool, stream, 0, events, context);
    const ours = () => published.filter((record) => record.key === stream);
    while (ours().length < 5) {
      await sleep(20);
    }
    // Idle now: the interval is a minute, yet progress is already saved.
    await sleep(200);
    const { rows } = await pool.query<{ position: string }>(
      'SELECT position::text AS position FROM mission.relay_checkpoints WHERE relay = $1',
      [name],
    );
    expect(rows[0]?.position).toBe(stored.at(-1)!.position.toString());
    await relay.stop();

    const successor = new EventRelay(options);
    successor.start();
    await store.append(
      pool,
      stream,
      5,
      [{ type: 'mission.v1.MissionMoved', payload: Buffer.from('p-5') }],
      context,
    );
    while (ours().length < 6) {
      await sleep(20);
    }
    await sleep(200);
    await successor.stop();
    expect(ours().map((record) => record.headers.ce_streamversion)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
    ]);
  });

  it('on the in-process bus, saves progress only past what every consumer group has handled', async () => {
    const name = `spec-in-process-${randomUUID()}`;
    const topic = `spec-in-process-${randomUUID()}`;
    await pool.query(
      `INSERT INTO mission.relay_checkpoints (relay, transaction_id, position)
       SELECT $1, transaction_id, position FROM mission.events
       ORDER BY transaction_id DESC, position DESC LIMIT 1`,
      [name],
    );
    const savedPosition = async () =>
      (
        await pool.query<{ position: string }>(
          'SELECT position::text AS position FROM mission.relay_checkpoints WHERE relay = $1',
          [name],
        )
      ).rows[0]!.position;
    const before = await savedPosition();
    const bus = new InProcessTransport();
    const options = { pool, store, transport: bus, topic, name, logger: silentLogger };
    // A group that handles everything, and one that has not yet handled anything.
    let handling = false;
    const handled: string[] = [];
    const quick = await bus.subscribe({
      groupId: 'quick',
      topics: [topic],
      fromBeginning: true,
      onRecords: () => Promise.resolve(),
    });
    const slow = await bus.subscribe({
      groupId: 'slow',
      topics: [topic],
      fromBeginning: true,
      onRecords: (records) => {
        if (!handling) {
          return Promise.reject(new Error('not yet'));
        }
        handled.push(...records.map((record) => record.headers.ce_streamversion!));
        return Promise.resolve();
      },
    });
    const relay = new EventRelay({ ...options, checkpointIntervalMs: 0, idleIntervalMs: 100 });
    relay.start();
    const stream = `spec-in-process-${randomUUID()}`;
    const stored = await store.append(
      pool,
      stream,
      0,
      Array.from({ length: 3 }, (_, i) => ({
        type: 'mission.v1.MissionMoved',
        payload: Buffer.from(`p-${i}`),
      })),
      context,
    );
    while (bus.records(topic).length < 3) {
      await sleep(20);
    }
    await sleep(500);
    // Published, and idle since, but one group has not handled it: a crash now must not lose it.
    expect(await savedPosition()).toBe(before);

    handling = true;
    const deadline = Date.now() + 5_000;
    while ((await savedPosition()) === before && Date.now() < deadline) {
      await sleep(50);
    }
    expect(handled).toEqual(['1', '2', '3']);
    expect(await savedPosition()).toBe(stored.at(-1)!.position.toString());
    await relay.stop();
    await quick.stop();
    await slow.stop();
  });
});
