import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { LiveFeed, LivePartitionStart } from './live-feed';
import { liveEventOf } from './live-event';
import type { LiveSource } from './live-source';

export type KafkaLiveSourceOptions = {
  kafka: Kafka;
  topics: readonly string[];
  /** Each replica reads every partition itself: its group id is this prefix plus a random suffix. */
  groupPrefix: string;
  /** How far back each replica starts, so clients of another replica can resume on this one. */
  replayWindowMs: number;
  /** Partitions of the live topics when the gateway is the first to need them. */
  partitions?: number;
  /** Told the moment (epoch ms) from which every event reaches the feed. */
  coveredFrom?: (epochMs: number) => void;
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
export class KafkaLiveSource implements LiveSource {
  private consumer: Consumer | undefined;
  private admin: Admin | undefined;
  private readonly groupId: string;
  private ready = false;
  private stopped = false;
  private starting: Promise<void> | undefined;
  /** Per partition: the last offset the replay must reach before this replica is current. */
  private catchUp = new Map<string, bigint>();

  constructor(
    private readonly feed: LiveFeed,
    private readonly options: KafkaLiveSourceOptions,
  ) {
    this.groupId = `${options.groupPrefix}-${randomUUID()}`;
  }

  /** Consuming, and the replay window read through: what it revoked is known here. */
  get isReady(): boolean {
    return this.ready && this.catchUp.size === 0;
  }

  /**
   * Starts consuming, retrying with backoff while Kafka is unreachable or still electing leaders
   * (a fresh topic answers "not the leader" for a moment). Resolves once consuming, or after
   * `waitMs` with the attempts going on in the background: the gateway serves queries meanwhile
   * and its readiness reports live push down.
   */
  async start(waitMs = 20_000): Promise<void> {
    this.stopped = false;
    this.starting ??= this.keepTrying();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.starting,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs))),
    ]);
    clearTimeout(timer);
  }

  private async keepTrying(): Promise<void> {
    for (let delayMs = 200; !this.stopped; delayMs = Math.min(delayMs * 2, 5_000)) {
      try {
        await this.connect();
        return;
      } catch (error) {
        this.options.logger.warn({ err: error, retryInMs: delayMs }, 'live push not consuming yet');
        await this.disconnect();
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  private async connect(): Promise<void> {
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
    this.options.coveredFrom?.(since);
    this.catchUp = new Map();
    for (const topic of topics) {
      for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
        const start = starts.find(
          (candidate) => candidate.topic === topic && candidate.partition === partition,
        );
        if (start !== undefined && BigInt(high) > start.offset) {
          this.catchUp.set(`${topic}:${partition}`, BigInt(high) - 1n);
        }
      }
    }

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
          this.caughtUpTo(batch.topic, batch.partition, BigInt(message.offset));
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

  private caughtUpTo(topic: string, partition: number, offset: bigint): void {
    const key = `${topic}:${partition}`;
    const target = this.catchUp.get(key);
    if (target !== undefined && offset >= target) {
      this.catchUp.delete(key);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.starting;
    this.starting = undefined;
    await this.disconnect();
  }

  private async disconnect(): Promise<void> {
    this.ready = false;
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
    // The group was this replica's alone: leave nothing behind.
    await this.admin?.deleteGroups([this.groupId]).catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = undefined;
  }
}
