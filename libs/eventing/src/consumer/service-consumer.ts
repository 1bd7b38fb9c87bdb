import { Kafka, logLevel } from 'kafkajs';
import type { EventingLogger } from '../logger';
import { KafkaTransport } from '../transport/kafka-transport';
import { EventConsumer, type EventConsumerOptions } from './event-consumer';

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
  private starting: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;

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
    this.stopped = false;
    this.starting = this.startWithRetries();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.starting;
    await this.consumer.stop();
    await this.transport.close();
  }

  /** Records of the topics not yet handled. */
  lag(): Promise<number> {
    return this.consumer.lag();
  }

  private async startWithRetries(): Promise<void> {
    const maxDelayMs = this.options.maxStartDelayMs ?? 10_000;
    for (let attempt = 0; !this.stopped; attempt += 1) {
      try {
        await this.consumer.start();
        return;
      } catch (error) {
        const retryInMs = Math.min(maxDelayMs, 250 * 2 ** attempt);
        this.options.logger.warn(
          { consumer: this.options.name, err: error, retryInMs },
          'consumer could not start; retrying',
        );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, retryInMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }
}
