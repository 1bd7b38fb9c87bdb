import { Kafka, logLevel } from 'kafkajs';
import type { EventingLogger } from '../logger';
import { KafkaTransport } from '../transport/kafka-transport';
import { EventConsumer, type EventConsumerOptions } from './event-consumer';
import { keepTrying, type KeepTrying } from './keep-trying';

export type ServiceConsumerOptions<Tx> = Omit<EventConsumerOptions<Tx>, 'transport' | 'logger'> & {
  brokers: string[];
  clientId: string;
  logger: EventingLogger;
  /** Longest wait between two attempts to join the group while Kafka is unreachable. */
  maxStartDelayMs?: number;
};

/**
 * A service's consumer of other services' events for as long as the service runs (Nest calls
 * `onModuleInit` / `onModuleDestroy`). Joining the group never holds up the service's boot: while
 * Kafka is away (or still electing leaders for new topics) it keeps trying in the background, and
 * the events wait in Kafka meanwhile.
 */
export class ServiceConsumer<Tx> {
  private readonly transport: KafkaTransport;
  private readonly consumer: EventConsumer<Tx>;
  private starting: KeepTrying | undefined;

  constructor(private readonly options: ServiceConsumerOptions<Tx>) {
    const kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.NOTHING,
    });
    this.transport = new KafkaTransport(kafka, { logger: options.logger });
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
