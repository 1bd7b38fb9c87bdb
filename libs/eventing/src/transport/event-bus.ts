import { Kafka, logLevel } from 'kafkajs';
import type { EventingLogger } from '../logger';
import { InProcessTransport } from './in-process-transport';
import { KafkaTransport, type KafkaTransportOptions } from './kafka-transport';
import type { EventTransport, SubscribeOptions, Subscription, TransportRecord } from './transport';

/** Which adapter carries events between services: `EVENT_BUS` in the configuration. */
export type EventBusKind = 'kafka' | 'in-process';

// On globalThis rather than in a module variable: the bus must stay one per process even when
// this library is loaded twice (from its sources and from dist).
const PROCESS_BUS = Symbol.for('@mission-control/eventing.processEventBus');
type WithProcessBus = { [PROCESS_BUS]?: InProcessTransport };

/**
 * The in-process bus every service of this process publishes to and consumes from (standalone
 * mode). Never close it directly: use handles from `createEventTransport`, which leave it open.
 */
export function processEventBus(): InProcessTransport {
  const holder = globalThis as WithProcessBus;
  return (holder[PROCESS_BUS] ??= new InProcessTransport());
}

export type CreateEventTransportOptions = {
  bus: EventBusKind;
  /** Used by the Kafka bus only. */
  brokers: string[];
  clientId: string;
  logger: EventingLogger;
  /** Tuning of the Kafka transport; ignored by the in-process bus. */
  kafka?: Omit<KafkaTransportOptions, 'logger'>;
};

/**
 * The transport a service uses for `bus`: a Kafka client of its own, or a handle on the shared
 * process bus whose `close()` stops only the subscriptions made through it.
 */
export function createEventTransport(options: CreateEventTransportOptions): EventTransport {
  if (options.bus === 'in-process') {
    return new SharedBusHandle(processEventBus());
  }
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.NOTHING,
  });
  return new KafkaTransport(kafka, { ...options.kafka, logger: options.logger });
}

/** One user's view of a shared transport: closing it never closes the transport for the others. */
export class SharedBusHandle implements EventTransport {
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;
  /** The shared bus's own, when it keeps records in memory (see EventTransport.settled). */
  readonly settled?: () => Promise<void>;

  constructor(private readonly bus: EventTransport) {
    if (bus.settled) {
      this.settled = () => bus.settled!();
    }
  }

  publish(records: readonly TransportRecord[]): Promise<void> {
    return this.bus.publish(records);
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.closed) {
      throw new Error('this event transport is closed');
    }
    const inner = await this.bus.subscribe(options);
    const subscription: Subscription = {
      stop: async () => {
        this.subscriptions.delete(subscription);
        await inner.stop();
      },
      lag: () => inner.lag(),
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
  }
}
