import { Pool } from 'pg';
import type { EventingLogger } from '../logger';
import type { EventStore } from '../store/event-store';
import { createEventTransport, type EventBusKind } from '../transport/event-bus';
import type { EventTransport } from '../transport/transport';
import { EventRelay } from './event-relay';

export type ServiceRelayOptions = {
  store: EventStore;
  databaseUrl: string;
  /** Kafka, or the process's in-process bus (standalone mode). */
  bus: EventBusKind;
  /** Used by the Kafka bus only. */
  brokers: string[];
  clientId: string;
  topic: string;
  /** Names the relay's checkpoint (default `<schema>-relay`). */
  name?: string;
  logger: EventingLogger;
};

/**
 * A service's event log published to the event bus for as long as the service runs (Nest calls
 * `onModuleInit` / `onModuleDestroy`). The relay takes a session advisory lock, so among replicas
 * one publishes and the others stand by.
 */
export class ServiceRelay {
  private readonly pool: Pool;
  private readonly transport: EventTransport;
  private readonly relay: EventRelay;

  constructor(options: ServiceRelayOptions) {
    // Its own small pool: the relay holds one connection to LISTEN on.
    this.pool = new Pool({ connectionString: options.databaseUrl, max: 3 });
    // A dropped idle connection is the relay's to notice and recover from.
    this.pool.on('error', () => undefined);
    this.transport = createEventTransport(options);
    this.relay = new EventRelay({
      pool: this.pool,
      store: options.store,
      transport: this.transport,
      topic: options.topic,
      name: options.name,
      logger: options.logger,
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
