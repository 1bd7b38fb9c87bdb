import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventRelay, KafkaTransport, type EventingLogger } from '@mission-control/eventing';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { agentEventStore } from './agent-event-store';

export type AgentRelayOptions = {
  databaseUrl: string;
  brokers: string[];
  clientId: string;
  topic: string;
};

/**
 * Publishes the agent event log to Kafka for as long as the service runs. The relay takes a
 * session advisory lock, so among replicas one publishes and the others stand by.
 */
export class AgentRelay implements OnModuleInit, OnModuleDestroy {
  private readonly pool: Pool;
  private readonly transport: KafkaTransport;
  private readonly relay: EventRelay;

  constructor(options: AgentRelayOptions) {
    const logger = new Logger(AgentRelay.name);
    // Its own small pool: the relay holds one connection to LISTEN on.
    this.pool = new Pool({ connectionString: options.databaseUrl, max: 3 });
    this.pool.on('error', () => {});
    const log: EventingLogger = {
      info: (fields, message) => logger.log(fields, message),
      warn: (fields, message) => logger.warn(fields, message),
      error: (fields, message) => logger.error(fields, message),
    };
    const kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.NOTHING,
    });
    this.transport = new KafkaTransport(kafka, { logger: log });
    this.relay = new EventRelay({
      pool: this.pool,
      store: agentEventStore,
      transport: this.transport,
      topic: options.topic,
      logger: log,
    });
  }

  onModuleInit(): void {
    this.relay.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.relay.stop();
    await this.transport.close();
    await this.pool.end();
  }

  /** Committed events not yet published. */
  lag(): Promise<{ events: number; oldestAgeMs: number | null }> {
    return this.relay.lag();
  }

  get publishedCount(): number {
    return this.relay.publishedCount;
  }
}
