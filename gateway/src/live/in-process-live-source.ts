import { randomInt, randomUUID } from 'node:crypto';
import {
  SharedBusHandle,
  type DeliveredRecord,
  type InProcessTransport,
  type Subscription,
} from '@mission-control/eventing';
import type { LiveFeed, LivePartitionStart } from './live-feed';
import { liveEventOf } from './live-event';
import type { LiveSource } from './live-source';

/**
 * Stands in for the partition number in positions: the in-process log restarts at offset 0 with
 * the process, so a position from an earlier run must not look like one from this run (a client
 * holding one is then replayed everything this run buffered instead of skipping it).
 */
const PROCESS_EPOCH = randomInt(1, 100_000);

export type InProcessLiveSourceOptions = {
  /** The process's shared bus (`processEventBus()`); never closed by this source. */
  bus: InProcessTransport;
  topics: readonly string[];
  groupPrefix: string;
  /** How far back the source starts, as the Kafka source does. */
  replayWindowMs: number;
  /** Told the moment (epoch ms) from which every event reaches the feed. */
  coveredFrom?: (epochMs: number) => void;
  logger: {
    warn(context: object, message: string): void;
    info(context: object, message: string): void;
  };
};

/**
 * Feeds the LiveFeed from the in-process bus (standalone mode): the same topics as the Kafka
 * source, positions made of the bus's offsets, so `after` and replay behave the same.
 */
export class InProcessLiveSource implements LiveSource {
  private readonly handle: SharedBusHandle;
  private subscription: Subscription | undefined;
  private readonly groupId: string;

  constructor(
    private readonly feed: LiveFeed,
    private readonly options: InProcessLiveSourceOptions,
  ) {
    this.handle = new SharedBusHandle(options.bus);
    this.groupId = `${options.groupPrefix}-${randomUUID()}`;
  }

  get isReady(): boolean {
    return this.subscription !== undefined;
  }

  async start(): Promise<void> {
    if (this.subscription) {
      return;
    }
    const { bus, topics } = this.options;
    const since = Date.now() - this.options.replayWindowMs;
    // The bus lives and dies with this process: nothing before the process started is on it.
    this.options.coveredFrom?.(Math.max(since, Date.now() - process.uptime() * 1000));
    const starts: LivePartitionStart[] = topics.map((topic) => ({
      topic,
      partition: PROCESS_EPOCH,
      offset: BigInt(bus.offsetAt(topic, since)),
    }));
    this.feed.begin(starts);
    // From the beginning of the log: the feed drops whatever lies before each start.
    this.subscription = await this.handle.subscribe({
      groupId: this.groupId,
      topics: [...topics],
      fromBeginning: true,
      maxBatch: 1_000,
      onRecords: (records) => {
        records.forEach((record) => this.dispatch(record));
        return Promise.resolve();
      },
    });
    this.options.logger.info({ topics, groupId: this.groupId }, 'live push consuming');
  }

  private dispatch(record: DeliveredRecord): void {
    try {
      this.feed.dispatch({
        topic: record.topic,
        partition: PROCESS_EPOCH,
        offset: BigInt(record.offset),
        event: liveEventOf(record.headers, record.value),
      });
    } catch (error) {
      // Consumers of the domain dead-letter such records; live push just leaves them out.
      this.options.logger.warn(
        { err: error, topic: record.topic, offset: record.offset },
        'record without a valid event skipped by live push',
      );
    }
  }

  async stop(): Promise<void> {
    this.subscription = undefined;
    await this.handle.close();
  }
}
