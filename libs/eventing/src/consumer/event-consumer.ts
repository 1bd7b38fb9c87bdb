import { ContractError, fromKafkaHeaders, type EventEnvelope } from '@mission-control/proto';
import { consoleLogger, type EventingLogger } from '../logger';
import { isTransientDatabaseError, quoteSchema, type Queryable } from '../sql/queryable';
import type { UnitOfWork } from '../sql/unit-of-work';
import type { DeliveredRecord, EventTransport, Subscription } from '../transport/transport';

export type ReceivedEvent = {
  envelope: EventEnvelope;
  /** The protobuf payload; decode it with the proto registry. */
  payload: Buffer;
  record: DeliveredRecord;
};

export type RetryPolicy = { attempts: number; initialDelayMs: number; maxDelayMs: number };

export type EventConsumerOptions<Tx> = {
  /** Consumer group id and inbox name; also names the dead-letter topic `<name>.dlq`. */
  name: string;
  topics: string[];
  transport: EventTransport;
  /** The consumer's own schema, holding its `inbox`. */
  schema: string;
  unitOfWork: UnitOfWork<Tx>;
  /** Applies one event; runs in the same transaction as the inbox entry. */
  handle(event: ReceivedEvent, tx: Tx): Promise<void>;
  /**
   * Whether `handle` does anything for events of a CloudEvents type. Events it does nothing for
   * are passed over without a transaction or an inbox entry: there is nothing to do twice.
   * Default: every type.
   */
  handles?(type: string): boolean;
  retry?: Partial<RetryPolicy>;
  fromBeginning?: boolean;
  logger?: EventingLogger;
  /** Injected for tests; defaults to real timers. */
  sleep?: (ms: number) => Promise<void>;
};

const DEFAULT_RETRY: RetryPolicy = { attempts: 5, initialDelayMs: 200, maxDelayMs: 5_000 };

/** Failures that no retry can fix: the record itself is malformed. */
class PoisonRecordError extends Error {
  override name = 'PoisonRecordError';
}

/** Raised to abandon a record (without committing it) when the consumer is stopping. */
class StoppingError extends Error {
  override name = 'StoppingError';
}

/**
 * An idempotent, ordered consumer: each event is applied in a transaction that also records its
 * id in the inbox, so a redelivery (after a crash, a rebalance or a relay re-publish) changes
 * nothing. A failing event is retried with exponential backoff; after the last attempt it goes
 * to `<name>.dlq` with the error and the original headers, is marked dead-lettered in the inbox,
 * and the consumer moves on. Losing the database (a restart, a failover) only delays: those
 * failures are retried without limit and never dead-letter an event.
 */
export class EventConsumer<Tx> {
  private subscription: Subscription | undefined;
  private stopping = false;
  private readonly retry: RetryPolicy;
  private readonly logger: EventingLogger;
  private readonly inbox: string;
  private readonly sleep: (ms: number) => Promise<void>;
  readonly deadLetterTopic: string;

  constructor(private readonly options: EventConsumerOptions<Tx>) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.logger = options.logger ?? consoleLogger;
    this.inbox = `${quoteSchema(options.schema)}.inbox`;
    this.deadLetterTopic = `${options.name}.dlq`;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.subscription = await this.options.transport.subscribe({
      groupId: this.options.name,
      topics: this.options.topics,
      fromBeginning: this.options.fromBeginning ?? true,
      onRecords: (records) => this.onRecords(records),
    });
  }

  /** Finishes the event in hand (or abandons its retries), then leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  lag(): Promise<number> {
    return this.subscription?.lag() ?? Promise.resolve(0);
  }

  /**
   * Applies a run in one transaction (the common case, and what keeps up with a backlog); if any
   * event of it fails, falls back to one transaction per event so only the culprit is retried and,
   * in the end, dead-lettered.
   */
  private async onRecords(delivered: DeliveredRecord[]): Promise<void> {
    const parsed = delivered
      .map((record) => ({ record, event: this.parse(record) }))
      .filter(({ event }) => this.wanted(event));
    const events = parsed.map(({ event }) => event);
    if (
      events.length > 1 &&
      events.every((event): event is ReceivedEvent => !(event instanceof PoisonRecordError))
    ) {
      try {
        await this.options.unitOfWork.run(
          async (tx, sql) => {
            const fresh = await this.claimAll(
              sql,
              events.map((event) => event.envelope.id),
            );
            for (const event of events) {
              // delete(): a run may carry the same event twice (a relay re-publish).
              if (fresh.delete(event.envelope.id)) {
                await this.options.handle(event, tx);
              }
            }
          },
          parsed.map(({ record }) => record),
        );
        return;
      } catch (error) {
        if (this.stopping) {
          throw new StoppingError('consumer stopping; the events will be delivered again');
        }
        this.logger.warn(
          { err: error, consumer: this.options.name, events: events.length },
          'batch failed; applying one by one',
        );
      }
    }
    for (const { record, event } of parsed) {
      await this.onRecord(record, event);
    }
  }

  /** An event this consumer acts on, or a record it cannot read (which it dead-letters). */
  private wanted(event: ReceivedEvent | PoisonRecordError): boolean {
    return (
      !this.options.handles ||
      event instanceof PoisonRecordError ||
      this.options.handles(event.envelope.type)
    );
  }

  private parse(record: DeliveredRecord): ReceivedEvent | PoisonRecordError {
    try {
      return { envelope: fromKafkaHeaders(record.headers), payload: record.value, record };
    } catch (error) {
      return new PoisonRecordError(errorMessage(error));
    }
  }

  private async onRecord(
    record: DeliveredRecord,
    event: ReceivedEvent | PoisonRecordError,
  ): Promise<void> {
    if (event instanceof PoisonRecordError) {
      await this.deadLetter(record, event, 0);
      return;
    }
    let delayMs = this.retry.initialDelayMs;
    let attempt = 0;
    for (;;) {
      try {
        await this.apply(event);
        return;
      } catch (error) {
        if (this.stopping) {
          throw new StoppingError('consumer stopping; the event will be delivered again');
        }
        // An unreachable database is not the event's fault: wait for it without using up attempts.
        if (!isTransientDatabaseError(error)) {
          attempt += 1;
        }
        // A payload no contract here can read (a type from a newer producer, a broken message)
        // reads no better on a second try.
        if (attempt >= this.retry.attempts || error instanceof ContractError) {
          await this.deadLetter(record, error, attempt, event.envelope.id);
          return;
        }
        this.logger.warn(
          {
            err: error,
            consumer: this.options.name,
            eventId: event.envelope.id,
            attempt,
            retryInMs: delayMs,
          },
          'event handler failed; retrying',
        );
        await this.sleep(delayMs);
        delayMs = Math.min(delayMs * 2, this.retry.maxDelayMs);
      }
    }
  }

  private apply(event: ReceivedEvent): Promise<void> {
    return this.options.unitOfWork.run(
      async (tx, sql) => {
        if (await this.claim(sql, event.envelope.id, 'processed')) {
          await this.options.handle(event, tx);
        }
      },
      [event.record],
    );
  }

  /** Records the events in the inbox; returns the ids not handled before. */
  private async claimAll(sql: Queryable, eventIds: string[]): Promise<Set<string>> {
    const { rows } = await sql.query<{ event_id: string }>(
      `INSERT INTO ${this.inbox} (consumer, event_id, outcome)
       SELECT $1, id, 'processed' FROM unnest($2::uuid[]) AS id
       ON CONFLICT DO NOTHING RETURNING event_id::text AS event_id`,
      [this.options.name, eventIds],
    );
    return new Set(rows.map((row) => row.event_id));
  }

  /** Records the event in the inbox; false when it was handled before. */
  private async claim(
    sql: Queryable,
    eventId: string,
    outcome: 'processed' | 'dead_lettered',
  ): Promise<boolean> {
    const { rows } = await sql.query(
      `INSERT INTO ${this.inbox} (consumer, event_id, outcome) VALUES ($1, $2::uuid, $3)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [this.options.name, eventId, outcome],
    );
    return rows.length === 1;
  }

  private async deadLetter(
    record: DeliveredRecord,
    error: unknown,
    attempts: number,
    eventId?: string,
  ): Promise<void> {
    await this.options.transport.publish([
      {
        topic: this.deadLetterTopic,
        key: record.key,
        value: record.value,
        headers: {
          ...record.headers,
          mc_dlq_error: errorMessage(error).slice(0, 4_000),
          mc_dlq_error_type: error instanceof Error ? error.name : typeof error,
          mc_dlq_attempts: String(attempts),
          mc_dlq_consumer: this.options.name,
          mc_dlq_topic: record.topic,
          mc_dlq_partition: String(record.partition),
          mc_dlq_offset: record.offset,
          mc_dlq_failed_at: new Date().toISOString(),
        },
      },
    ]);
    if (eventId) {
      await this.options.unitOfWork.run((_tx, sql) => this.claim(sql, eventId, 'dead_lettered'));
    }
    this.logger.error(
      {
        err: error,
        consumer: this.options.name,
        eventId,
        topic: record.topic,
        offset: record.offset,
      },
      'event dead-lettered',
    );
  }
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
