import type { Admin, Consumer, IHeaders, Kafka, Message, Producer } from 'kafkajs';
import { consoleLogger, type EventingLogger } from '../logger';
import type {
  DeliveredRecord,
  EventTransport,
  SubscribeOptions,
  Subscription,
  TransportRecord,
} from './transport';

export type KafkaTransportOptions = {
  /** Partitions of topics this transport creates (event topics and dead-letter topics). */
  partitions?: number;
  /**
   * Partitions a subscriber works on at once (each still strictly in order). Handlers must then
   * tolerate events of different streams concurrently; database lock conflicts are retried.
   */
  partitionsConsumedConcurrently?: number;
  /** How long a silent group member keeps its partitions; a crashed one blocks them this long. */
  sessionTimeoutMs?: number;
  logger?: EventingLogger;
};

/**
 * The event bus on Kafka: an idempotent producer (acks=all, one request in flight, so retries
 * neither duplicate nor reorder within a session), consumer groups that commit a record's offset
 * only after its handler resolved, topics created on first use.
 */
export class KafkaTransport implements EventTransport {
  private producer: Producer | undefined;
  private admin: Admin | undefined;
  private readonly knownTopics = new Set<string>();
  private readonly subscriptions = new Set<KafkaSubscription>();
  private readonly logger: EventingLogger;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaTransportOptions = {},
  ) {
    this.logger = options.logger ?? consoleLogger;
  }

  async publish(records: readonly TransportRecord[]): Promise<void> {
    if (records.length === 0) {
      return;
    }
    const byTopic = new Map<string, Message[]>();
    for (const record of records) {
      const messages = byTopic.get(record.topic) ?? [];
      messages.push({ key: record.key, value: record.value, headers: record.headers });
      byTopic.set(record.topic, messages);
    }
    await this.ensureTopics([...byTopic.keys()]);
    const producer = await this.connectedProducer();
    try {
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (error) {
      // Start over with a fresh producer next time: after a broker loss kafkajs may keep a broken one.
      this.logger.warn({ err: error, records: records.length }, 'publish failed; producer reset');
      this.producer = undefined;
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    await this.ensureTopics(options.topics);
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      maxWaitTimeInMs: 250,
      // Producers here are idempotent, never transactional: read_committed would only make the
      // broker hold fetches back for nothing.
      readUncommitted: true,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.min(3_000, Math.floor((this.options.sessionTimeoutMs ?? 30_000) / 3)),
      retry: { retries: 10 },
    });
    const subscription = new KafkaSubscription(
      consumer,
      this,
      options,
      this.options.partitionsConsumedConcurrently ?? 3,
    );
    await subscription.start();
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.subscriptions.clear();
    await this.producer?.disconnect();
    this.producer = undefined;
    await this.admin?.disconnect();
    this.admin = undefined;
  }

  /** @internal */
  async connectedAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  /** @internal */
  forget(subscription: KafkaSubscription): void {
    this.subscriptions.delete(subscription);
  }

  /** Creates the topics that do not exist yet (idempotent). */
  async ensureTopics(topics: string[]): Promise<void> {
    const missing = topics.filter((topic) => !this.knownTopics.has(topic));
    if (missing.length === 0) {
      return;
    }
    const admin = await this.connectedAdmin();
    const existing = new Set(await admin.listTopics());
    const toCreate = missing.filter((topic) => !existing.has(topic));
    if (toCreate.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        // Events are forever: projections are rebuilt by replaying topics from their start.
        topics: toCreate.map((topic) => ({
          topic,
          numPartitions: this.options.partitions ?? 6,
          configEntries: [{ name: 'retention.ms', value: '-1' }],
        })),
      });
    }
    missing.forEach((topic) => this.knownTopics.add(topic));
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        retry: { retries: 5 },
      });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }
}

class KafkaSubscription implements Subscription {
  constructor(
    private readonly consumer: Consumer,
    private readonly transport: KafkaTransport,
    private readonly options: SubscribeOptions,
    private readonly concurrency: number,
  ) {}

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: this.options.topics,
      fromBeginning: this.options.fromBeginning ?? false,
    });
    await this.consumer.run({
      partitionsConsumedConcurrently: this.concurrency,
      eachBatchAutoResolve: false,
      autoCommitInterval: 1_000,
      autoCommitThreshold: 100,
      eachBatch: async (payload) => {
        const { batch } = payload;
        const size = this.options.maxBatch ?? 100;
        for (let start = 0; start < batch.messages.length; start += size) {
          // After a rebalance took this partition away, its records belong to another member.
          if (!payload.isRunning() || payload.isStale()) {
            break;
          }
          const run = batch.messages.slice(start, start + size);
          await this.options.onRecords(
            run.map((message) => toDelivered(batch.topic, batch.partition, message)),
          );
          payload.resolveOffset(run[run.length - 1]!.offset);
          await payload.commitOffsetsIfNecessary();
          await payload.heartbeat();
        }
      },
    });
  }

  async stop(): Promise<void> {
    this.transport.forget(this);
    // disconnect() waits for the batch in hand and commits resolved offsets.
    await this.consumer.disconnect();
  }

  async lag(): Promise<number> {
    const admin = await this.transport.connectedAdmin();
    let lag = 0;
    for (const topic of this.options.topics) {
      const [committed, latest] = await Promise.all([
        admin.fetchOffsets({ groupId: this.options.groupId, topics: [topic] }),
        admin.fetchTopicOffsets(topic),
      ]);
      const committedByPartition = new Map(
        (committed[0]?.partitions ?? []).map((entry) => [entry.partition, BigInt(entry.offset)]),
      );
      for (const partition of latest) {
        const high = BigInt(partition.high);
        const done = committedByPartition.get(partition.partition) ?? -1n;
        lag += Number(high - (done < 0n ? BigInt(partition.low) : done));
      }
    }
    return lag;
  }
}

function toDelivered(
  topic: string,
  partition: number,
  message: { key: Buffer | null; value: Buffer | null; headers?: IHeaders; offset: string },
): DeliveredRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) {
      headers[name] = first.toString();
    }
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? '',
    value: message.value ?? Buffer.alloc(0),
    headers,
  };
}
