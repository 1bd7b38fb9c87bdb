import { AppError } from '@mission-control/errors';
import { cursorKey, decodeCursor, encodeCursor, type LiveCursor } from './live-cursor';
import type { LiveEvent } from './live-event';

/** A consumed record, handed over in partition order. */
export type LiveRecord = {
  topic: string;
  partition: number;
  offset: bigint;
  event: Omit<LiveEvent, 'position'>;
};

export type LivePartitionStart = { topic: string; partition: number; offset: bigint };

type Buffered = { key: string; offset: bigint; event: LiveEvent };

export type LiveFeedOptions = {
  /** How many recent events this replica keeps for reconnecting clients. */
  bufferSize: number;
  /** Events a subscriber may have waiting before it is cut off (it reconnects with its position). */
  maxQueued?: number;
};

/**
 * The gateway's view of the event stream: every record of the live topics, in partition order,
 * stamped with a position any replica understands, kept for a while so a client that reconnects
 * with its last position receives exactly what it missed, then everything new.
 */
export class LiveFeed {
  /** Per partition: the offset of the last record dispatched. */
  private readonly progress = new Map<string, bigint>();
  /** Per partition: from which offset on every record is still in the buffer. */
  private readonly coveredFrom = new Map<string, bigint>();
  private readonly buffer: Buffered[] = [];
  private head = 0;
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private readonly maxQueued: number;

  constructor(private readonly options: LiveFeedOptions) {
    this.maxQueued = options.maxQueued ?? 10_000;
  }

  /** Where the source starts reading each partition; nothing before it is known here. */
  begin(partitions: readonly LivePartitionStart[]): void {
    for (const { topic, partition, offset } of partitions) {
      const key = cursorKey(topic, partition);
      if (!this.progress.has(key)) {
        this.progress.set(key, offset - 1n);
        this.coveredFrom.set(key, offset);
      }
    }
  }

  /** The position of "now": a client that holds it receives everything after this moment. */
  position(): string {
    return encodeCursor(this.progress);
  }

  dispatch(record: LiveRecord): void {
    const key = cursorKey(record.topic, record.partition);
    const last = this.progress.get(key);
    // A rebalance or a retried fetch can hand over a record again: clients see it once.
    if (last !== undefined && record.offset <= last) {
      return;
    }
    if (last === undefined) {
      this.coveredFrom.set(key, record.offset);
    }
    this.progress.set(key, record.offset);
    const event: LiveEvent = { ...record.event, position: encodeCursor(this.progress) };
    this.buffer.push({ key, offset: record.offset, event });
    if (this.buffer.length - this.head > this.options.bufferSize) {
      const evicted = this.buffer[this.head]!;
      this.coveredFrom.set(evicted.key, evicted.offset + 1n);
      this.head += 1;
      // Compact now and then rather than shifting on every event.
      if (this.head >= this.options.bufferSize) {
        this.buffer.splice(0, this.head);
        this.head = 0;
      }
    }
    for (const listener of this.listeners) {
      listener(event);
    }
  }

  /**
   * The buffered events after `after` that `accept` lets through, oldest first. CONFLICT (with
   * `resync: true`) when this replica no longer holds everything after that position: the client
   * reloads its state and subscribes afresh.
   */
  replay(after: string, accept: (event: LiveEvent) => boolean): LiveEvent[] {
    const cursor = this.replayable(after);
    const missed: LiveEvent[] = [];
    for (let index = this.head; index < this.buffer.length; index += 1) {
      const entry = this.buffer[index]!;
      if (entry.offset > (cursor.get(entry.key) ?? -1n) && accept(entry.event)) {
        missed.push(entry.event);
      }
    }
    return missed;
  }

  /** Checks that `after` can be replayed here (see {@link replay}) without collecting anything. */
  replayable(after: string): LiveCursor {
    const cursor = decodeCursor(after);
    for (const [key, offset] of cursor) {
      const from = this.coveredFrom.get(key);
      if (from !== undefined && offset + 1n < from) {
        throw AppError.conflict(
          'Too much happened since this position to replay it; reload and subscribe again',
          { resync: true },
        );
      }
    }
    return cursor;
  }

  /** Calls `listener` for every event from now on; returns the way to stop. */
  listen(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * What `accept` lets through, after `after` (replayed) or from now on, as an async iterator for
   * GraphQL subscriptions. Replay and live hand-over happen in one tick, so nothing falls between.
   */
  subscribe(
    accept: (event: LiveEvent) => boolean,
    after?: string,
  ): AsyncIterableIterator<LiveEvent> {
    const queue: LiveEvent[] = after === undefined ? [] : this.replay(after, accept);
    let waiting: ((result: IteratorResult<LiveEvent>) => void) | undefined;
    let failure: AppError | undefined;
    let done = false;
    const stop = this.listen((event) => {
      if (done || !accept(event)) {
        return;
      }
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ value: event, done: false });
        return;
      }
      queue.push(event);
      if (queue.length > this.maxQueued) {
        failure = AppError.limitExceeded(
          'This subscriber fell too far behind; reconnect with the last position',
          { maxQueued: this.maxQueued },
        );
        finish();
      }
    });
    const finish = () => {
      done = true;
      stop();
      const resolve = waiting;
      waiting = undefined;
      resolve?.({ value: undefined, done: true });
    };
    const iterator: AsyncIterableIterator<LiveEvent> = {
      next: () => {
        const event = queue.shift();
        if (event) {
          return Promise.resolve({ value: event, done: false });
        }
        if (failure) {
          const error = failure;
          failure = undefined;
          return Promise.reject(error);
        }
        if (done) {
          return Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve) => (waiting = resolve));
      },
      return: () => {
        finish();
        queue.length = 0;
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}
