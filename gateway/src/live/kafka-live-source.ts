import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { LiveFeed, LivePartitionStart } from './live-feed';
import { liveEventOf } from './live-event';

export type KafkaLiveSourceOptions = {
  kafka: Kafka;
  topics: readonly string[];
  /** Each replica reads every partition itself: its group id is this prefix plus a random suffix. */
  groupPrefix: string;
  /** How far back each replica starts, so clients of another replica can resume on this one. */
  replayWindowMs: number;
  /** Partitions of the live topics when the gateway is the first to need them. */
  partitions?: number;
  logger: {
    warn(context: object, message: string): void;
    info(context: object, message: string): void;
  };
};

/**
 * Feeds the LiveFeed from Kafka: all partitions of the live topics in a consumer group of its own
 * (every replica sees every event), starting a replay window back, so positions handed out by any
 * replica within that window can be resumed here.
 */
export class KafkaLiveSource {
  private consumer: Consumer | undefined;
  private admin: Admin | undefined;
  private readonly groupId: string;
  private ready = false;

  constructor(
    private readonly feed: LiveFeed,
    private readonly options: KafkaLiveSourceOptions,
  ) {
    this.groupId = `${options.groupPrefix}-${randomUUID()}`;
  }

  get isReady(): boolean {
    return this.ready;
  }

  async start(): Promise<void> {
    const { kafka, topics } = this.options;
    const admin = kafka.admin();
    await admin.connect();
    this.admin = admin;
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      // The same shape the services' transport creates; whoever comes first creates it.
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: this.options.partitions ?? 6 })),
      });
    }
    const since = Date.now() - this.options.replayWindowMs;
    const starts: LivePartitionStart[] = [];
    for (const topic of topics) {
      for (const { partition, offset } of await admin.fetchTopicOffsetsByTimestamp(topic, since)) {
        starts.push({ topic, partition, offset: BigInt(offset) });
      }
    }
    this.feed.begin(starts);

    const consumer = kafka.consumer({
      groupId: this.groupId,
      maxWaitTimeInMs: 100,
      readUncommitted: true,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        for (const message of batch.messages) {
          if (!payload.isRunning() || payload.isStale()) {
            break;
          }
          try {
            const event = liveEventOf(message.headers ?? {}, message.value);
            this.feed.dispatch({
              topic: batch.topic,
              partition: batch.partition,
              offset: BigInt(message.offset),
              event,
            });
          } catch (error) {
            // Consumers of the domain dead-letter such records; live push just leaves them out.
            this.options.logger.warn(
              {
                err: error,
                topic: batch.topic,
                partition: batch.partition,
                offset: message.offset,
              },
              'record without a valid event skipped by live push',
            );
          }
        }
        await payload.heartbeat();
      },
    });
    for (const start of starts) {
      consumer.seek({
        topic: start.topic,
        partition: start.partition,
        offset: start.offset.toString(),
      });
    }
    this.ready = true;
    this.options.logger.info({ topics, groupId: this.groupId }, 'live push consuming');
  }

  async stop(): Promise<void> {
    this.ready = false;
    await this.consumer?.disconnect();
    this.consumer = undefined;
    // The group was this replica's alone: leave nothing behind.
    await this.admin?.deleteGroups([this.groupId]).catch(() => undefined);
    await this.admin?.disconnect();
    this.admin = undefined;
  }
}
