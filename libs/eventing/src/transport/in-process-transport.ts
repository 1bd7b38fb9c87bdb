import type {
  DeliveredRecord,
  EventTransport,
  SubscribeOptions,
  Subscription,
  TransportRecord,
} from './transport';

type Topic = { records: DeliveredRecord[]; publishedAt: number[]; waiters: Set<() => void> };

/**
 * The bus for standalone mode: one ordered log per topic (a single partition, so per-key order
 * holds trivially), positions per consumer group, redelivery of a record whose handler failed.
 * Lives in one process; anything more needs the Kafka transport.
 */
export class InProcessTransport implements EventTransport {
  private readonly topics = new Map<string, Topic>();
  private readonly positions = new Map<string, number>();
  private readonly running = new Set<InProcessSubscription>();

  publish(records: readonly TransportRecord[]): Promise<void> {
    for (const record of records) {
      const topic = this.topic(record.topic);
      topic.records.push({ ...record, partition: 0, offset: String(topic.records.length) });
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

  async close(): Promise<void> {
    await Promise.all([...this.running].map((subscription) => subscription.stop()));
  }

  /** Records of a topic, for tests and the dead-letter view. */
  records(topic: string): readonly DeliveredRecord[] {
    return this.topic(topic).records;
  }

  /**
   * The offset of the first record of `topic` published at or after `since` (epoch ms), or the
   * end of the log when there is none: the in-process `fetchTopicOffsetsByTimestamp`.
   */
  offsetAt(topic: string, since: number): number {
    const times = this.topic(topic).publishedAt;
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
    return low;
  }

  /** @internal */
  topic(name: string): Topic {
    let topic = this.topics.get(name);
    if (!topic) {
      topic = { records: [], publishedAt: [], waiters: new Set() };
      this.topics.set(name, topic);
    }
    return topic;
  }

  /** @internal */
  position(groupId: string, topic: string, fromBeginning: boolean): number {
    const key = `${groupId}\u0000${topic}`;
    if (!this.positions.has(key)) {
      this.positions.set(key, fromBeginning ? 0 : this.topic(topic).records.length);
    }
    return this.positions.get(key)!;
  }

  /** @internal */
  commit(groupId: string, topic: string, next: number): void {
    this.positions.set(`${groupId}\u0000${topic}`, next);
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
      const run = topic.records.slice(position, position + (this.options.maxBatch ?? 100));
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

  lag(): Promise<number> {
    const fromBeginning = this.options.fromBeginning ?? false;
    return Promise.resolve(
      this.options.topics.reduce(
        (sum, topic) =>
          sum +
          this.bus.topic(topic).records.length -
          this.bus.position(this.options.groupId, topic, fromBeginning),
        0,
      ),
    );
  }
}
