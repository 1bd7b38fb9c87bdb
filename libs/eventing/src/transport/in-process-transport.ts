import type {
  DeliveredRecord,
  EventTransport,
  SubscribeOptions,
  Subscription,
  TransportRecord,
} from './transport';

/** `base` is the offset of `records[0]`: records every running group has read are dropped. */
type Topic = {
  base: number;
  records: DeliveredRecord[];
  publishedAt: number[];
  waiters: Set<() => void>;
};

export type InProcessTransportOptions = {
  /**
   * How long a record stays after every running consumer group has read it (default one hour):
   * enough for a reconnecting live client's replay window, while a long-running process does
   * not keep every event in memory. The event stores, not the bus, are the record of truth.
   */
  retentionMs?: number;
};

// Dropping from the head of an array copies the rest: do it in runs, not per record.
const TRIM_RUN = 256;

/**
 * The bus for standalone mode: one ordered log per topic (a single partition, so per-key order
 * holds trivially), positions per consumer group, redelivery of a record whose handler failed.
 * Lives in one process; anything more needs the Kafka transport.
 */
export class InProcessTransport implements EventTransport {
  private readonly topics = new Map<string, Topic>();
  private readonly positions = new Map<string, number>();
  /** Every consumer group that has read each topic in this process, running or not. */
  private readonly groups = new Map<string, Set<string>>();
  private readonly running = new Set<InProcessSubscription>();
  private readonly retentionMs: number;
  /** `settled()` calls waiting, with each topic's end offset when they were made. */
  private readonly settling = new Set<{ ends: [string, number][]; resolve: () => void }>();
  private settlementHolds = 0;

  constructor(options: InProcessTransportOptions = {}) {
    this.retentionMs = options.retentionMs ?? 3_600_000;
  }

  publish(records: readonly TransportRecord[]): Promise<void> {
    for (const record of records) {
      const topic = this.topic(record.topic);
      const offset = topic.base + topic.records.length;
      topic.records.push({ ...record, partition: 0, offset: String(offset) });
      topic.publishedAt.push(Date.now());
      for (const wake of topic.waiters) {
        wake();
      }
      topic.waiters.clear();
    }
    return Promise.resolve();
  }

  subscribe(options: SubscribeOptions): Promise<Subscription> {
    const subscription = new InProcessSubscription(this, options);
    this.running.add(subscription);
    subscription.start(() => this.running.delete(subscription));
    return Promise.resolve(subscription);
  }

  /**
   * See EventTransport.settled: this bus lives in memory only. Every group that has read a topic in
   * this process counts, stopped ones too: what a group stopped before handling is not settled,
   * and is published again by the relays of the next run.
   */
  settled(): Promise<void> {
    const ends = [...this.topics].map(
      ([name, log]) => [name, log.base + log.records.length] as [string, number],
    );
    return new Promise((resolve) => {
      this.settling.add({ ends, resolve });
      this.checkSettled();
    });
  }

  /**
   * Until the returned function is called nothing is settled: the process is still starting the
   * consumer groups that will read what is published meanwhile.
   */
  holdSettlement(): () => void {
    this.settlementHolds += 1;
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.settlementHolds -= 1;
        this.checkSettled();
      }
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.running].map((subscription) => subscription.stop()));
  }

  /** The records of a topic still kept, for tests and the dead-letter view. */
  records(topic: string): readonly DeliveredRecord[] {
    return this.topic(topic).records;
  }

  /** The offset the next record of `topic` will get. */
  endOffset(topic: string): number {
    const log = this.topic(topic);
    return log.base + log.records.length;
  }

  /**
   * The offset of the first record of `topic` published at or after `since` (epoch ms), or the
   * end of the log when there is none: the in-process `fetchTopicOffsetsByTimestamp`.
   */
  offsetAt(topic: string, since: number): number {
    const { base, publishedAt: times } = this.topic(topic);
    let low = 0;
    let high = times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (times[middle]! < since) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return base + low;
  }

  /** @internal */
  topic(name: string): Topic {
    let topic = this.topics.get(name);
    if (!topic) {
      topic = { base: 0, records: [], publishedAt: [], waiters: new Set() };
      this.topics.set(name, topic);
    }
    return topic;
  }

  /** @internal */
  position(groupId: string, topic: string, fromBeginning: boolean): number {
    const key = `${groupId}\u0000${topic}`;
    const log = this.topic(topic);
    if (!this.positions.has(key)) {
      this.positions.set(key, fromBeginning ? log.base : this.endOffset(topic));
      let groups = this.groups.get(topic);
      if (!groups) {
        groups = new Set();
        this.groups.set(topic, groups);
      }
      groups.add(groupId);
    }
    // A group that starts after records were dropped begins at the oldest one kept.
    return Math.max(this.positions.get(key)!, log.base);
  }

  /** @internal */
  commit(groupId: string, topic: string, next: number): void {
    this.positions.set(`${groupId}\u0000${topic}`, next);
    this.trim(topic);
    this.checkSettled();
  }

  private checkSettled(): void {
    if (this.settlementHolds > 0) {
      return;
    }
    for (const waiter of this.settling) {
      const handled = waiter.ends.every(([topic, end]) =>
        [...(this.groups.get(topic) ?? [])].every(
          (groupId) => this.positions.get(`${groupId}\u0000${topic}`)! >= end,
        ),
      );
      if (handled) {
        this.settling.delete(waiter);
        waiter.resolve();
      }
    }
  }

  /** Drops the oldest records once every running group has read them and they are old enough. */
  private trim(name: string): void {
    const log = this.topic(name);
    let readByAll = Number.POSITIVE_INFINITY;
    for (const subscription of this.running) {
      if (subscription.reads(name)) {
        readByAll = Math.min(readByAll, subscription.position(name));
      }
    }
    const cutoff = Date.now() - this.retentionMs;
    let drop = 0;
    while (
      drop < log.records.length &&
      log.base + drop < readByAll &&
      log.publishedAt[drop]! <= cutoff
    ) {
      drop += 1;
    }
    if (drop >= TRIM_RUN || (drop > 0 && drop === log.records.length)) {
      log.records.splice(0, drop);
      log.publishedAt.splice(0, drop);
      log.base += drop;
    }
  }
}

class InProcessSubscription implements Subscription {
  private stopped = false;
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly bus: InProcessTransport,
    private readonly options: SubscribeOptions,
  ) {}

  start(onEnd: () => void): void {
    this.done = Promise.all(this.options.topics.map((topic) => this.consume(topic))).then(
      onEnd,
      onEnd,
    );
  }

  private async consume(topicName: string): Promise<void> {
    const topic = this.bus.topic(topicName);
    const fromBeginning = this.options.fromBeginning ?? false;
    while (!this.stopped) {
      const position = this.bus.position(this.options.groupId, topicName, fromBeginning);
      const start = position - topic.base;
      const run = topic.records.slice(start, start + (this.options.maxBatch ?? 100));
      if (run.length === 0) {
        await new Promise<void>((resolve) => topic.waiters.add(resolve));
        continue;
      }
      try {
        await this.options.onRecords(run);
        this.bus.commit(this.options.groupId, topicName, position + run.length);
      } catch {
        // Same contract as Kafka: a failed run is delivered again, after a pause.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const topicName of this.options.topics) {
      this.bus.topic(topicName).waiters.forEach((resolve) => resolve());
    }
    await this.done;
  }

  /** @internal */
  reads(topic: string): boolean {
    return this.options.topics.includes(topic);
  }

  /** @internal The next offset this subscription's group reads from `topic`. */
  position(topic: string): number {
    return this.bus.position(this.options.groupId, topic, this.options.fromBeginning ?? false);
  }

  lag(): Promise<number> {
    return Promise.resolve(
      this.options.topics.reduce(
        (sum, topic) => sum + this.bus.endOffset(topic) - this.position(topic),
        0,
      ),
    );
  }
}
