import { BaseRpcContext, type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { decodeEvent, type DomainEvent, type DomainEventType } from '@mission-control/proto';
import { isObservable, lastValueFrom } from 'rxjs';
import type { FactoryProvider } from '@nestjs/common';
import type { ReceivedEvent } from '../consumer/event-consumer';
import { ServiceConsumer, type ServiceConsumerOptions } from '../consumer/service-consumer';
import type { EventingLogger } from '../logger';
import type { prismaQueryable } from '../sql/queryable';
import { prismaUnitOfWork, type PrismaWithTransactions } from '../sql/unit-of-work';

/** The decoded event an `@EventPattern(type)` handler receives as its `@Payload()`. */
export type EventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;

/** What `@Ctx()` gives an event handler: the consumer's transaction and the event's envelope. */
export class EventBusContext<Tx> extends BaseRpcContext<[ReceivedEvent, Tx]> {
  /** The transaction that also records the event in the inbox: write through it. */
  get tx(): Tx {
    return this.args[1];
  }

  get envelope(): ReceivedEvent['envelope'] {
    return this.args[0].envelope;
  }

  get received(): ReceivedEvent {
    return this.args[0];
  }
}

export type EventBusStrategyOptions<Tx> = Omit<ServiceConsumerOptions<Tx>, 'handle'>;

/** Which bus and topic a service reads another context's events from (its config). */
export type TopicSubscription = Pick<
  EventBusStrategyOptions<unknown>,
  'bus' | 'brokers' | 'clientId'
> & {
  topic: string;
};

/**
 * Provides `service`'s consumer of one topic over the service's Prisma client (`prisma`, its DI
 * token): each event's inbox row and its handlers' writes share one transaction. Its handlers are
 * the module's `@EventPattern` controllers; `startEventHandlers(app)` starts it.
 */
export function topicConsumerProvider<Tx extends Parameters<typeof prismaQueryable>[0]>(
  service: string,
  subscription: TopicSubscription,
  database: {
    schema: string;
    prisma: abstract new (...args: never[]) => PrismaWithTransactions<Tx>;
    logger: EventingLogger;
  },
): FactoryProvider<EventBusStrategy<Tx>> {
  const { topic, ...bus } = subscription;
  // Named after what it reads: the service's replicas share one consumer group, while test runs
  // with topics of their own do not.
  const name = `${service}.${topic}`;
  return {
    provide: `${name}.consumer`,
    inject: [database.prisma],
    useFactory: (prisma: PrismaWithTransactions<Tx>) =>
      new EventBusStrategy<Tx>({
        name,
        topics: [topic],
        ...bus,
        schema: database.schema,
        unitOfWork: prismaUnitOfWork(prisma),
        logger: database.logger,
      }),
  };
}

// A brand rather than instanceof: the library may be loaded twice (from its sources and dist).
const EVENT_BUS_STRATEGY = Symbol.for('@mission-control/eventing.EventBusStrategy');

export function isEventBusStrategy(value: unknown): value is EventBusStrategy<unknown> {
  return typeof value === 'object' && value !== null && EVENT_BUS_STRATEGY in value;
}

/**
 * A Nest transport over our consumer: `@EventPattern('agent.v1.AgentKeyIssued')` methods handle
 * the events of that CloudEvents type, each inside the transaction that records it in the inbox,
 * while batching, retries, the dead-letter topic and ordering stay the consumer's. A type no
 * handler names is passed over (no transaction, no inbox entry). Provide it from the module whose database it writes to
 * (it stops with that module, as the consumer did) and start it with `startEventHandlers(app)`.
 */
export class EventBusStrategy<Tx> extends Server implements CustomTransportStrategy {
  readonly [EVENT_BUS_STRATEGY] = true;
  private readonly consumer: ServiceConsumer<Tx>;
  private listening = false;
  private closing: Promise<void> | undefined;

  constructor(options: EventBusStrategyOptions<Tx>) {
    super();
    this.consumer = new ServiceConsumer({
      ...options,
      handle: (event, tx) => this.dispatch(event, tx),
      handles: (type) => Boolean(this.getHandlerByPattern(type)),
    });
  }

  /** Joins the group in the background (never holding up the boot) and reports ready at once. */
  listen(callback: () => void): void {
    if (!this.listening && this.closing === undefined) {
      this.listening = true;
      this.consumer.onModuleInit();
    }
    callback();
  }

  /** Finishes the event in hand, then leaves the group; later calls wait for the same stop. */
  close(): Promise<void> {
    this.closing ??= this.consumer.onModuleDestroy();
    return this.closing;
  }

  /** Nest closes the app's microservices only after every module's destroy hooks (the database's too). */
  onModuleDestroy(): Promise<void> {
    return this.close();
  }

  /** Records of the topics not yet handled. */
  lag(): Promise<number> {
    return this.consumer.lag();
  }

  on(): never {
    throw new Error('EventBusStrategy emits no events');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async dispatch(received: ReceivedEvent, tx: Tx): Promise<void> {
    const handler = this.getHandlerByPattern(received.envelope.type);
    if (!handler) {
      return;
    }
    const result: unknown = await handler(
      decodeEvent(received.envelope.type, received.payload),
      new EventBusContext<Tx>([received, tx]),
    );
    // Interceptors may turn a handler's result into a stream: the event is handled once it ends.
    if (isObservable(result)) {
      await lastValueFrom(result, { defaultValue: undefined });
    }
  }
}
