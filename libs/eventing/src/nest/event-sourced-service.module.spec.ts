import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { EventSourcedRunner } from '../aggregate/event-sourced-runner';
import { ServiceRelay, type ServiceRelayOptions } from '../relay/service-relay';
import {
  COMMAND_TRANSACTION,
  commandTransaction,
  EventSourcedServiceModule,
  serviceEventStore,
} from './event-sourced-service.module';

type FakeTx = { $queryRawUnsafe<T>(query: string): Promise<T> };

/** Stands in for a service's generated Prisma client: counts instances and transactions. */
class FakePrisma {
  static created: { databaseUrl: string }[] = [];
  transactions = 0;
  constructor(readonly options: { databaseUrl: string }) {
    FakePrisma.created.push(options);
  }
  async $transaction<T>(work: (tx: FakeTx) => Promise<T>): Promise<T> {
    this.transactions += 1;
    return work({ $queryRawUnsafe: <T>() => Promise.resolve([] as T) });
  }
  $queryRawUnsafe<T>(): Promise<T> {
    return Promise.resolve([] as T);
  }
}

class FakeRunner extends EventSourcedRunner<FakePrisma | FakeTx> {}

/** A relay that records its options and its lifecycle instead of reading a database. */
class FakeRelay extends ServiceRelay {
  readonly lifecycle: string[] = [];
  constructor(readonly received: ServiceRelayOptions) {
    super(received);
  }
  override onModuleInit(): void {
    this.lifecycle.push('start');
  }
  override async onModuleDestroy(): Promise<void> {
    this.lifecycle.push('stop');
    await super.onModuleDestroy();
  }
}

describe('EventSourcedServiceModule', () => {
  it("gives a service one Prisma client, a runner on it and a relay of its log for the app's life", async () => {
    FakePrisma.created = [];
    const store = serviceEventStore('mission');
    const wiring = {
      databaseUrl: 'postgresql://127.0.0.1:1/none',
      bus: 'in-process' as const,
      brokers: [],
      clientId: 'mission',
      topic: 'mission.events.v1',
    };
    const moduleRef = await Test.createTestingModule({
      imports: [
        EventSourcedServiceModule.forService({
          store,
          prisma: FakePrisma,
          database: { databaseUrl: 'postgresql://db/mission' },
          runner: FakeRunner,
          recordName: 'Mission',
          relay: FakeRelay,
          relayWiring: wiring,
        }),
      ],
    }).compile();
    const app = await moduleRef.init();

    const prisma = app.get(FakePrisma);
    expect(FakePrisma.created).toEqual([{ databaseUrl: 'postgresql://db/mission' }]);
    // The runner's transactions are the client's.
    await expect(app.get(FakeRunner).transaction(() => Promise.resolve('done'))).resolves.toBe(
      'done',
    );
    expect(prisma.transactions).toBe(1);

    const relay = app.get(FakeRelay);
    expect(relay.received).toMatchObject({ ...wiring, store });
    expect(relay.lifecycle).toEqual(['start']);
    await app.close();
    expect(relay.lifecycle).toEqual(['start', 'stop']);
  });

  it('names the store after the service: its schema and its events source', () => {
    const store = serviceEventStore('agent');
    expect(store.options).toEqual({ schema: 'agent', source: '//mission-control/agent' });
  });
});

describe('a command transaction', () => {
  const client = (failure?: object) => {
    const asked: unknown[] = [];
    return {
      asked,
      $queryRawUnsafe: <T>() => Promise.resolve([] as T),
      $transaction<T>(work: (tx: FakeTx) => Promise<T>, options: unknown): Promise<T> {
        asked.push(options);
        return failure
          ? Promise.reject(
              Object.assign(new Error(String((failure as { message: string }).message)), failure),
            )
          : work({ $queryRawUnsafe: <U>() => Promise.resolve([] as U) });
      },
    };
  };

  it('waits up to 10 s for a connection rather than Prisma’s 2 s', async () => {
    const db = client();
    await expect(commandTransaction(db, () => Promise.resolve('done'))).resolves.toBe('done');
    expect(db.asked).toEqual([COMMAND_TRANSACTION]);
    expect(COMMAND_TRANSACTION.maxWait).toBe(10_000);
  });

  it('answers a pool busy beyond that with a retryable LIMIT_EXCEEDED, and passes anything else on', async () => {
    const busy = client({
      code: 'P2028',
      message: 'Transaction API error: Unable to start a transaction in the given time.',
    });
    await expect(commandTransaction(busy, () => Promise.resolve(1))).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
      retryable: true,
      details: { retryAfterSeconds: 1 },
    });
    const poolGaveUp = client({
      code: 'P2024',
      message: 'Timed out fetching a new connection from the connection pool.',
    });
    await expect(commandTransaction(poolGaveUp, () => Promise.resolve(1))).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
      retryable: true,
    });
    const closed = client({ code: 'P2028', message: 'Transaction already closed' });
    await expect(commandTransaction(closed, () => Promise.resolve(1))).rejects.toThrow(
      'Transaction already closed',
    );
  });
});
