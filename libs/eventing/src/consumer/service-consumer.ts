import type { EventingLogger } from '../logger';
import { createEventTransport, type EventBusKind } from '../transport/event-bus';
import type { EventTransport } from '../transport/transport';
import { EventConsumer, type EventConsumerOptions } from './event-consumer';
import { keepTrying, type KeepTrying } from './keep-trying';

export type ServiceConsumerOptions<Tx> = Omit<EventConsumerOptions<Tx>, 'transport' | 'logger'> & {
  /** Kafka, or the process's in-process bus (standalone mode). */
  bus: EventBusKind;
  /** Used by the Kafka bus only. */
  brokers: string[];
  clientId: string;
  logger: EventingLogger;
  /** Longest wait between two attempts to join the group while Kafka is unreachable. */
  maxStartDelayMs?: number;
};

/**
 * A service's consumer of other services' events (from Kafka or the in-process bus) for as long as
 * the service runs (Nest calls `onModuleInit` / `onModuleDestroy`). Joining the group never holds up the service's boot: while
 * Kafka is away (or still electing leaders for new topics) it keeps trying in the background, and
 * the events wait in Kafka meanwhile.
 */
export class ServiceConsumer<Tx> {
  private readonly transport: EventTransport;
  private readonly consumer: EventConsumer<Tx>;
  private starting: KeepTrying | undefined;

  constructor(private readonly options: ServiceConsumerOptions<Tx>) {
    this.transport = createEventTransport(options);
    this.consumer = new EventConsumer({ ...options, transport: this.transport });
  }

  onModuleInit(): void {
    this.starting = keepTrying(() => this.consumer.start(), {
      maxDelayMs: this.options.maxStartDelayMs,
      onRetry: (error, retryInMs) =>
        this.options.logger.warn(
          { consumer: this.options.name, err: error, retryInMs },
          'consumer could not start; retrying',
        ),
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.starting?.cancel();
    await this.starting?.done;
    await this.consumer.stop();
    await this.transport.close();
  }

  /** Records of the topics not yet handled. */
  lag(): Promise<number> {
    return this.consumer.lag();
  }
}
