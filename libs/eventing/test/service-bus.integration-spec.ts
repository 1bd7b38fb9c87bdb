import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { testRunId, until } from '@mission-control/testing';
import {
  EventStore,
  pgUnitOfWork,
  processEventBus,
  ServiceConsumer,
  ServiceRelay,
  silentLogger,
  type AppendContext,
} from '../src';

const context: AppendContext = { workspaceId: 'ws-bus', actor: { kind: 'system', id: 'bus-spec' } };

/** One "service": its relay and a consumer of what it publishes, both on the in-process bus. */
function service(pool: Pool, store: EventStore, name: string, prefix: string) {
  const topic = `${testRunId()}.${name}.events.v1`;
  const applied: string[] = [];
  const common = { bus: 'in-process' as const, brokers: [], clientId: name, logger: silentLogger };
  const relay = new ServiceRelay({
    ...common,
    store,
    databaseUrl: process.env.DATABASE_URL!,
    topic,
    name: `${name}-relay`,
  });
  const consumer = new ServiceConsumer<PoolClient>({
    ...common,
    name: `${name}.consumer`,
    topics: [topic],
    schema: 'mission',
    unitOfWork: pgUnitOfWork(pool),
    handle: (event) => {
      if (event.envelope.subject.startsWith(prefix)) {
        applied.push(event.envelope.id);
      }
      return Promise.resolve();
    },
  });
  relay.onModuleInit();
  consumer.onModuleInit();
  let closing: Promise<void> | undefined;
  return {
    topic,
    applied,
    close: async () => {
      closing ??= consumer.onModuleDestroy().then(() => relay.onModuleDestroy());
      await closing;
    },
  };
}

describe('services on the in-process event bus (no Kafka)', () => {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 5 });
  const store = new EventStore({ schema: 'mission', source: '//mission-control/mission' });
  const run = randomUUID().slice(0, 8);
  const prefix = `bus-${run}-`;
  const a = service(pool, store, `bus-a-${run}`, prefix);
  const b = service(pool, store, `bus-b-${run}`, prefix);
  let version = 0;

  async function append(count: number): Promise<void> {
    await pgUnitOfWork(pool).run((tx) =>
      store.append(
        tx,
        `${prefix}stream`,
        version,
        Array.from({ length: count }, (_, i) => ({
          type: 'mission.v1.MissionMoved',
          payload: Buffer.from(`move-${version + i + 1}`),
        })),
        context,
      ),
    );
    version += count;
  }

  const ours = (topic: string) =>
    processEventBus()
      .records(topic)
      .filter((record) => record.key.startsWith(prefix));

  afterAll(async () => {
    await a.close();
    await b.close();
    await pool.end();
  });

  it('publishes committed events to the shared bus, and a consumer in the process applies each once', async () => {
    await append(3);
    await until(() => a.applied.length === 3 && b.applied.length === 3, 'both consumers');
    expect(ours(a.topic)).toHaveLength(3);
    expect(ours(b.topic)).toHaveLength(3);
    expect(new Set(a.applied).size).toBe(3);

    // Delivered again (a relay re-publishing after a crash): the inbox leaves it applied once.
    await processEventBus().publish(ours(a.topic));
    await append(1);
    await until(() => a.applied.length === 4, 'the next event');
    expect(new Set(a.applied).size).toBe(4);
    expect(ours(a.topic)).toHaveLength(7);
  });

  it('keeps the bus going for the other services when one service closes', async () => {
    await a.close();
    await append(2);
    await until(() => b.applied.length === 6, 'the remaining service');
    expect(a.applied).toHaveLength(4);
    expect(ours(a.topic)).toHaveLength(7);
    expect(ours(b.topic)).toHaveLength(6);
  });
});
