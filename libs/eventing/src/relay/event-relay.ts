import type { Pool, PoolClient } from 'pg';
import { toTrustedKafkaHeaders } from '@mission-control/proto';
import { envelopeOf } from '../store/envelope';
import { checkpointOf, START, type Checkpoint, type StoredEvent } from '../store/event';
import type { EventStore } from '../store/event-store';
import type { EventTransport, TransportRecord } from '../transport/transport';
import { quoteSchema } from '../sql/queryable';
import { consoleLogger, type EventingLogger } from '../logger';

export type EventRelayOptions = {
  pool: Pool;
  store: EventStore;
  transport: EventTransport;
  /** Kafka topic, by convention `<context>.events.v1`. */
  topic: string;
  /** Names the checkpoint; one relay per name publishes at a time. */
  name?: string;
  batchSize?: number;
  /** How long to wait for a wake-up before looking anyway. */
  idleIntervalMs?: number;
  /**
   * How often, at most, progress is saved while events keep coming (always before going idle and
   * on stop). After a crash, up to this much is published again; consumers are idempotent.
   */
  checkpointIntervalMs?: number;
  logger?: EventingLogger;
};

const MAX_BACKOFF_MS = 5_000;

/**
 * Publishes a service's committed events to the bus in commit-safe order (see
 * `EventStore.readAll`), keyed by stream id, and saves how far it got (see `checkpointIntervalMs`). Wakes
 * on the NOTIFY the events table sends at commit, so latency is not a polling interval. One relay
 * per schema publishes at a time (a session advisory lock); others stand by. If the bus or
 * Postgres is unreachable it backs off and resumes from the checkpoint; events wait in Postgres.
 * A batch published but not yet checkpointed when the process dies is published again: consumers
 * are idempotent by event id. On the in-process bus, progress is saved only past what consumers
 * have handled (see `delivered`).
 */
export class EventRelay {
  private readonly name: string;
  private readonly channel: string;
  private readonly lockKey: string;
  private readonly batchSize: number;
  private readonly idleIntervalMs: number;
  private readonly checkpointIntervalMs: number;
  private readonly logger: EventingLogger;
  private listener: PoolClient | undefined;
  private checkpoint: Checkpoint | undefined;
  /** Delivered but not yet saved, and when progress was last saved. */
  private unsaved: Checkpoint | undefined;
  private savedAt = 0;
  /** Batches published, and the last one the bus has settled (see `delivered`). */
  private batches = 0;
  private settledBatch = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private notified = false;
  private published = 0;

  constructor(private readonly options: EventRelayOptions) {
    this.name = options.name ?? `${options.store.options.schema}-relay`;
    this.channel = `${options.store.options.schema}_events`;
    this.lockKey = `${options.store.options.schema}.relay.${this.name}`;
    this.batchSize = options.batchSize ?? 500;
    this.idleIntervalMs = options.idleIntervalMs ?? 1_000;
    this.checkpointIntervalMs = options.checkpointIntervalMs ?? 200;
    this.logger = options.logger ?? consoleLogger;
  }

  start(): void {
    if (this.running) {
      return;
    }
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.saveProgress().catch((error: unknown) =>
      this.logger.warn({ err: error, relay: this.name }, 'relay progress not saved on stop'),
    );
    await this.releaseListener();
  }

  /** Events committed but not yet published, and the age of the oldest. */
  async lag(): Promise<{ events: number; oldestAgeMs: number | null }> {
    return this.options.store.pendingAfter(
      this.options.pool,
      this.checkpoint ?? (await this.loadCheckpoint()),
    );
  }

  /** Events published since start. */
  get publishedCount(): number {
    return this.published;
  }

  private async run(): Promise<void> {
    let backoffMs = 100;
    let emptyAfterWakeMs = 0;
    while (this.running) {
      try {
        if (!(await this.ensureLeadership())) {
          await this.sleep(this.idleIntervalMs);
          continue;
        }
        this.notified = false;
        const count = await this.drain();
        backoffMs = 100;
        if (!this.notified) {
          await this.saveProgress();
        }
        // Checked after the save: a wake-up that came during it must not wait for the timeout.
        if (this.notified) {
          emptyAfterWakeMs = 0;
          continue;
        }
        if (count === 0 && emptyAfterWakeMs > 0) {
          // Woken, but what committed sits behind an older running transaction: look again soon.
          await this.sleep(emptyAfterWakeMs);
          emptyAfterWakeMs = emptyAfterWakeMs * 2 > this.idleIntervalMs ? 0 : emptyAfterWakeMs * 2;
          continue;
        }
        const woken = await this.sleep(this.idleIntervalMs);
        emptyAfterWakeMs = woken ? 2 : 0;
      } catch (error) {
        this.logger.warn({ err: error, relay: this.name, retryInMs: backoffMs }, 'relay paused');
        await this.releaseListener(true);
        // Start again from what was saved: another relay may have led meanwhile.
        this.checkpoint = undefined;
        this.unsaved = undefined;
        await this.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /**
   * Publishes batches until one comes back short. While a full batch is being published the next
   * one is already read, so Postgres and Kafka round trips overlap.
   */
  private async drain(): Promise<number> {
    const read = (after: Checkpoint) =>
      this.options.store.readAll(this.options.pool, after, this.batchSize);
    let events = await read(this.checkpoint ?? (await this.loadCheckpoint()));
    let total = 0;
    while (events.length > 0) {
      const last = checkpointOf(events[events.length - 1]!);
      const [next] = await Promise.all([
        events.length === this.batchSize && this.running ? read(last) : Promise.resolve([]),
        this.options.transport.publish(events.map((event) => this.toRecord(event))),
      ]);
      this.checkpoint = last;
      this.delivered(last);
      this.published += events.length;
      total += events.length;
      if (Date.now() - this.savedAt >= this.checkpointIntervalMs) {
        await this.saveProgress();
      }
      events = next;
    }
    return total;
  }

  /**
   * Marks progress to save once the batch up to `checkpoint` is delivered: at once on Kafka, which
   * stores what it accepts; on the in-process bus once its consumers have handled it, since a crash
   * before that loses it with the process's memory and only a relay starting behind it brings it
   * back (consumers are idempotent by event id).
   */
  private delivered(checkpoint: Checkpoint): void {
    const settled = this.options.transport.settled?.();
    if (!settled) {
      this.unsaved = checkpoint;
      return;
    }
    const batch = (this.batches += 1);
    void settled.then(() => {
      if (batch > this.settledBatch) {
        this.settledBatch = batch;
        this.unsaved = checkpoint;
      }
    });
  }

  private toRecord(event: StoredEvent): TransportRecord {
    return {
      topic: this.options.topic,
      key: event.streamId,
      value: event.payload,
      // Checked when appended (EventStore.append): each stored envelope is valid on the wire.
      headers: toTrustedKafkaHeaders(envelopeOf(event)),
    };
  }

  private async loadCheckpoint(): Promise<Checkpoint> {
    const { rows } = await this.options.pool.query<{ transaction_id: string; position: string }>(
      `SELECT transaction_id::text AS transaction_id, position::text AS position
       FROM ${quoteSchema(this.options.store.options.schema)}.relay_checkpoints WHERE relay = $1`,
      [this.name],
    );
    const row = rows[0];
    this.checkpoint = row
      ? { transactionId: row.transaction_id, position: BigInt(row.position) }
      : START;
    return this.checkpoint;
  }

  private async saveProgress(): Promise<void> {
    const checkpoint = this.unsaved;
    if (!checkpoint) {
      return;
    }
    await this.options.pool.query(
      `INSERT INTO ${quoteSchema(this.options.store.options.schema)}.relay_checkpoints
         (relay, transaction_id, position, updated_at)
       VALUES ($1, $2::xid8, $3::bigint, now())
       ON CONFLICT (relay) DO UPDATE
         SET transaction_id = excluded.transaction_id, position = excluded.position, updated_at = now()`,
      [this.name, checkpoint.transactionId, checkpoint.position.toString()],
    );
    if (this.unsaved === checkpoint) {
      this.unsaved = undefined;
    }
    this.savedAt = Date.now();
  }

  /** Holds the advisory lock and LISTENs on one dedicated connection; false while another relay leads. */
  private async ensureLeadership(): Promise<boolean> {
    if (this.listener) {
      return true;
    }
    const client = await this.options.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
        [this.lockKey],
      );
      if (!rows[0]?.locked) {
        client.release();
        return false;
      }
      client.on('notification', this.onNotification);
      client.on('error', this.onConnectionError);
      await client.query(`LISTEN "${this.channel}"`);
      this.listener = client;
      this.logger.info({ relay: this.name, topic: this.options.topic }, 'relay leading');
      return true;
    } catch (error) {
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  }

  private async releaseListener(broken = false): Promise<void> {
    const client = this.listener;
    this.listener = undefined;
    if (!client) {
      return;
    }
    if (broken) {
      // Destroying the connection also drops the advisory lock and the LISTEN. The handlers stay:
      // a dying connection may still emit 'error'.
      client.release(true);
      return;
    }
    // The connection goes back to the pool for other work: take our handlers off it.
    client.off('notification', this.onNotification);
    client.off('error', this.onConnectionError);
    try {
      await client.query(`UNLISTEN "${this.channel}"`);
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [this.lockKey]);
      client.release();
    } catch {
      client.release(true);
    }
  }

  private readonly onNotification = () => {
    this.notified = true;
    this.wake?.();
  };

  private readonly onConnectionError = (error: Error) => {
    this.logger.warn({ err: error, relay: this.name }, 'relay connection lost');
    this.notified = true;
    this.wake?.();
  };

  /** Resolves true when woken by a NOTIFY (or stop), false on timeout. */
  private sleep(ms: number): Promise<boolean> {
    if (!this.running) {
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve(false);
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(true);
      };
    });
  }
}
