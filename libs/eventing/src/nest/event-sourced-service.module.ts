import { type DynamicModule, Logger, Module, type Provider } from '@nestjs/common';
import { busyError } from '@mission-control/errors';
import { eventSource } from '@mission-control/proto';
import type { EventingLogger } from '../logger';
import type {
  EventSourcedRunner,
  EventSourcedRunnerOptions,
} from '../aggregate/event-sourced-runner';
import { ServiceRelay, type ServiceRelayOptions } from '../relay/service-relay';
import { prismaQueryable } from '../sql/queryable';
import { EventStore } from '../store/event-store';

/** The event log of the service that owns Postgres schema `service`, its events' source named alike. */
export const serviceEventStore = (service: string): EventStore =>
  new EventStore({ schema: service, source: eventSource(service) });

/** How a service publishes its log: everything but the store and logger, which the kit supplies. */
export type ServiceRelayWiring = Omit<ServiceRelayOptions, 'store' | 'logger'>;

/** A Prisma client or one of its interactive transactions, as the event store reads it. */
type RawQueries = Parameters<typeof prismaQueryable>[0];

type TransactionOptions = { maxWait: number; timeout: number };

type Transactional<Tx extends RawQueries> = RawQueries & {
  $transaction<T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions): Promise<T>;
};

/**
 * How long a command may wait for one of the pool's connections, and run once it has one. Under a
 * burst (hundreds of agents asking for work at once) waiting is what a caller wants, rather than
 * an error after Prisma's default 2 s.
 */
export const COMMAND_TRANSACTION: TransactionOptions = { maxWait: 10_000, timeout: 15_000 };

/** A command's transaction; a pool busy for longer than it may wait is LIMIT_EXCEEDED, retryable. */
export async function commandTransaction<Tx extends RawQueries, T>(
  client: Transactional<Tx>,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  try {
    return await client.$transaction(work, COMMAND_TRANSACTION);
  } catch (error) {
    throw busyError(error) ?? error;
  }
}

type Class<T, Args extends unknown[]> = new (...args: Args) => T;

export type EventSourcedServiceOptions<
  Client extends Transactional<Tx>,
  Tx extends RawQueries,
  Database,
> = {
  /** The service's event log (`serviceEventStore(<service>)`). */
  store: EventStore;
  /** The service's Prisma client class (its DI token), created once with `database`. */
  prisma: Class<Client, [Database]>;
  database: Database;
  /** The service's runner class (its DI token): each command in one transaction of the client. */
  runner: Class<EventSourcedRunner<Client | Tx>, [EventSourcedRunnerOptions<Client | Tx>]>;
  /** What the service's streams hold, for NOT_FOUND messages. */
  recordName: string;
  /** The service's relay class (its DI token), publishing the log while the app runs. */
  relay: Class<ServiceRelay, [ServiceRelayOptions]>;
  relayWiring: ServiceRelayWiring;
};

const fieldsLogger = (context: string): EventingLogger => {
  const logger = new Logger(context);
  return {
    info: (fields, message) => logger.log(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
    error: (fields, message) => logger.error(fields, message),
  };
};

/**
 * The database and eventing wiring every event-sourced service shares: its Prisma client on its
 * schema, the runner its commands go through, and the relay that publishes its log for the life of
 * the app. Import the returned module wherever those are injected.
 */
@Module({})
export class EventSourcedServiceModule {
  static forService<Client extends Transactional<Tx>, Tx extends RawQueries, Database>(
    options: EventSourcedServiceOptions<Client, Tx, Database>,
  ): DynamicModule {
    const { prisma, runner, relay, store } = options;
    const providers: Provider[] = [
      { provide: prisma, useFactory: () => new prisma(options.database) },
      {
        provide: runner,
        inject: [prisma],
        useFactory: (client: Client) =>
          new runner({
            store,
            transaction: (work) => commandTransaction(client, work),
            queryable: prismaQueryable,
            recordName: options.recordName,
          }),
      },
      {
        provide: relay,
        useFactory: () =>
          new relay({ ...options.relayWiring, store, logger: fieldsLogger(relay.name) }),
      },
    ];
    return {
      module: EventSourcedServiceModule,
      providers,
      exports: [prisma, runner, relay],
    };
  }
}
