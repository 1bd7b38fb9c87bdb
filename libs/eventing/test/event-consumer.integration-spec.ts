import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Pool, type PoolClient } from 'pg';
import {
  ContractError,
  ContractErrorCode,
  createEnvelope,
  fromKafkaHeaders,
  newEventId,
  toKafkaHeaders,
} from '@mission-control/proto';
import { engineEnv, testRunId, until } from '@mission-control/testing';
import {
  EventConsumer,
  InProcessTransport,
  KafkaTransport,
  pgUnitOfWork,
  silentLogger,
  type DeliveredRecord,
  type EventTransport,
  type ReceivedEvent,
  type TransportRecord,
  type UnitOfWork,
} from '../src';

const env = engineEnv();
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

const transports: [string, () => EventTransport][] = [
  [
    'Kafka',
    () =>
      new KafkaTransport(
        new Kafka({
          clientId: 'consumer-spec',
          brokers: env.KAFKA_BROKERS,
          logLevel: logLevel.NOTHING,
        }),
        {
          partitions: 3,
          logger: silentLogger,
        },
      ),
  ],
  ['in-process', () => new InProcessTransport()],
];

function record(
  topic: string,
  streamId: string,
  version: number,
  id = newEventId(),
): TransportRecord {
  const envelope = createEnvelope({
    id,
    type: 'mission.v1.MissionMoved',
    source: '//mission-control/mission',
    subject: streamId,
    workspaceId: 'ws-1',
    actor: { kind: 'agent', id: 'agent-7' },
    correlationId: id,
    causationId: null,
    streamVersion: version,
  });
  return {
    topic,
    key: streamId,
    value: Buffer.from(`payload-${version}`),
    headers: toKafkaHeaders(envelope),
  };
}

/** Everything on a topic so far, read through the transport itself with a throwaway group. */
async function readTopic(
  transport: EventTransport,
  topic: string,
  count: number,
): Promise<DeliveredRecord[]> {
  const seen: DeliveredRecord[] = [];
  const subscription = await transport.subscribe({
    groupId: `${topic}.reader.${randomUUID()}`,
    topics: [topic],
    fromBeginning: true,
    onRecords: (delivered) => {
      seen.push(...delivered);
      return Promise.resolve();
    },
  });
  try {
    await until(() => seen.length >= count);
  } finally {
    await subscription.stop();
  }
  return seen;
}

beforeAll(async () => {
  await pool.query(
    'CREATE TABLE IF NOT EXISTS mission.test_effects (event_id uuid, stream_id text, version int, applied int NOT NULL DEFAULT 1)',
  );
});
afterAll(() => pool.end());

describe.each(transports)('EventConsumer over %s', (_name, makeTransport) => {
  let transport: EventTransport;
  let topic: string;
  let consumer: EventConsumer<PoolClient> | undefined;
  const applied: ReceivedEvent[] = [];

  beforeEach(() => {
    transport = makeTransport();
    topic = `${testRunId()}.consumer.${randomUUID().slice(0, 8)}`;
    applied.length = 0;
  });
  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
    await transport.close();
  });

  const start = async (
    handle?: (event: ReceivedEvent, tx: PoolClient) => Promise<void>,
    unitOfWork: UnitOfWork<PoolClient> = pgUnitOfWork(pool),
  ) => {
    consumer = new EventConsumer<PoolClient>({
      name: `${topic}.projector`,
      topics: [topic],
      transport,
      schema: 'mission',
      unitOfWork,
      retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 40 },
      logger: silentLogger,
      handle: async (event, tx) => {
        await handle?.(event, tx);
        await tx.query(
          'INSERT INTO mission.test_effects (event_id, stream_id, version) VALUES ($1, $2, $3)',
          [event.envelope.id, event.envelope.subject, event.envelope.streamVersion],
        );
        applied.push(event);
      },
    });
    await consumer.start();
  };

  const effectsOf = async (ids: string[]) =>
    (
      await pool.query<{ event_id: string; n: string }>(
        'SELECT event_id::text, count(*)::text AS n FROM mission.test_effects WHERE event_id = ANY($1::uuid[]) GROUP BY event_id',
        [ids],
      )
    ).rows;

  it('applies a redelivered event once', async () => {
    const stream = `mission-${randomUUID()}`;
    const first = record(topic, stream, 1);
    await start();
    await transport.publish([first, first, record(topic, stream, 2)]);
    await until(() => applied.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for a wrong third effect
    const ids = applied.map((event) => event.envelope.id);
    expect(await effectsOf(ids)).toEqual(
      expect.arrayContaining(ids.map((id) => ({ event_id: id, n: '1' }))),
    );
    expect(applied).toHaveLength(2);
  });

  it('tells its unit of work which records each transaction is for', async () => {
    const stream = `mission-${randomUUID()}`;
    const transactions: { offered: string[]; handled: string[] }[] = [];
    const inner = pgUnitOfWork(pool);
    await start(
      (event) => {
        transactions.at(-1)!.handled.push(event.envelope.id);
        return Promise.resolve();
      },
      {
        run: (work, records = []) => {
          transactions.push({
            offered: records.map((offered) => fromKafkaHeaders(offered.headers).id),
            handled: [],
          });
          return inner.run(work, records);
        },
      },
    );
    await transport.publish([1, 2, 3].map((version) => record(topic, stream, version)));
    await until(() => applied.length >= 3);

    const handled = transactions.flatMap((transaction) => transaction.handled);
    expect(handled).toEqual(applied.map((event) => event.envelope.id));
    for (const transaction of transactions) {
      expect(transaction.offered).toEqual(expect.arrayContaining(transaction.handled));
    }
  });

  it('keeps each stream in order', async () => {
    const streams = Array.from({ length: 5 }, () => `mission-${randomUUID()}`);
    const records = Array.from({ length: 20 }, (_, i) => i + 1).flatMap((version) =>
      streams.map((stream) => record(topic, stream, version)),
    );
    await start();
    await transport.publish(records);
    await until(() => applied.length >= records.length);
    for (const stream of streams) {
      const versions = applied
        .filter((e) => e.envelope.subject === stream)
        .map((e) => e.envelope.streamVersion);
      expect(versions).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    }
  });

  it('dead-letters a poison event with its error and headers, and keeps going', async () => {
    const stream = `mission-${randomUUID()}`;
    const poison = record(topic, stream, 2);
    let attempts = 0;
    await start((event) => {
      if (event.envelope.id === poison.headers.ce_id) {
        attempts += 1;
        return Promise.reject(new Error('cannot apply: mission column unknown'));
      }
      return Promise.resolve();
    });
    await transport.publish([record(topic, stream, 1), poison, record(topic, stream, 3)]);
    // What committed: the run is first tried in one transaction, then event by event.
    const committed = async () =>
      (
        await pool.query<{ version: number }>(
          'SELECT version FROM mission.test_effects WHERE stream_id = $1 ORDER BY version',
          [stream],
        )
      ).rows.map((row) => row.version);
    await until(async () => (await committed()).length >= 2);
    expect(await committed()).toEqual([1, 3]);
    expect(attempts).toBeGreaterThanOrEqual(3);

    const [dead] = await readTopic(transport, consumer!.deadLetterTopic, 1);
    expect(dead!.key).toBe(stream);
    expect(dead!.value.toString()).toBe('payload-2');
    expect(dead!.headers).toMatchObject({
      ce_id: poison.headers.ce_id,
      ce_type: 'mission.v1.MissionMoved',
      mc_dlq_error: 'cannot apply: mission column unknown',
      mc_dlq_attempts: '3',
      mc_dlq_topic: topic,
    });
    const inbox = await pool.query('SELECT outcome FROM mission.inbox WHERE event_id = $1', [
      poison.headers.ce_id,
    ]);
    expect(inbox.rows).toEqual([{ outcome: 'dead_lettered' }]);
    expect(await effectsOf([poison.headers.ce_id!])).toEqual([]);
  });

  it('dead-letters an event no contract can read after one attempt', async () => {
    const stream = `mission-${randomUUID()}`;
    const unreadable = record(topic, stream, 1);
    let attempts = 0;
    await start((event) => {
      if (event.envelope.id === unreadable.headers.ce_id) {
        attempts += 1;
        return Promise.reject(
          new ContractError(ContractErrorCode.UNKNOWN_EVENT_TYPE, 'Unknown event type "x.v9.New"'),
        );
      }
      return Promise.resolve();
    });
    await transport.publish([unreadable, record(topic, stream, 2)]);
    const [dead] = await readTopic(transport, consumer!.deadLetterTopic, 1);
    expect(dead!.headers).toMatchObject({
      ce_id: unreadable.headers.ce_id,
      mc_dlq_error_type: 'ContractError',
      mc_dlq_attempts: '1',
    });
    await until(() => applied.some((event) => event.envelope.streamVersion === 2));
    // Once within its run's transaction, once alone: never retried.
    expect(attempts).toBe(2);
  });

  it('dead-letters a record without a valid envelope at once', async () => {
    const stream = `mission-${randomUUID()}`;
    await start();
    await transport.publish([
      {
        topic,
        key: stream,
        value: Buffer.from('??'),
        headers: { ce_type: 'mission.v1.MissionMoved' },
      },
      record(topic, stream, 1),
    ]);
    await until(() => applied.length >= 1);
    const [dead] = await readTopic(transport, consumer!.deadLetterTopic, 1);
    expect(dead!.headers.mc_dlq_error_type).toBe('PoisonRecordError');
    expect(dead!.headers.mc_dlq_attempts).toBe('0');
  });

  it('reports lag while it cannot keep up, and none once caught up', async () => {
    const stream = `mission-${randomUUID()}`;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    await start(() => gate);
    await transport.publish(Array.from({ length: 10 }, (_, i) => record(topic, stream, i + 1)));
    await until(async () => (await consumer!.lag()) >= 9);
    release();
    await until(() => applied.length >= 10);
    await until(async () => (await consumer!.lag()) === 0);
  });
});
