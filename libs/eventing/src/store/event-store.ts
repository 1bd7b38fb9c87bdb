import { AppError } from '@mission-control/errors';
import { assertValidEnvelope, ContractError, newEventId } from '@mission-control/proto';
import {
  START,
  type AppendContext,
  type Checkpoint,
  type EventMetadata,
  type NewEvent,
  type StoredEvent,
} from './event';
import { envelopeOf } from './envelope';
import { canonicalJson, chainHash, GENESIS_HASH } from './hash-chain';
import { quoteSchema, sqlStateOf, type Queryable } from '../sql/queryable';

export type EventStoreOptions = {
  /** The service's Postgres schema holding `events`. */
  schema: string;
  /** CloudEvents `source` of everything this store appends, e.g. `mission`. */
  source: string;
};

type EventRow = {
  position: string;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  version: number;
  type: string;
  payload: Uint8Array;
  metadata: EventMetadata;
  hash: Uint8Array;
  recorded_at: Date | string;
};

// Selected through alias `e`: ORDER BY must name e.position, not the text alias of the same name.
const COLUMNS =
  'e.position::text AS position, e.transaction_id::text AS transaction_id, e.event_id::text AS event_id, e.stream_id, e.version, e.type, e.payload, e.metadata, e.hash, e.recorded_at';

const UNIQUE_VIOLATION = '23505';

/**
 * The append-only event log of one service schema. Writes go through the caller's transaction so
 * read models change atomically with the events that explain them.
 */
export class EventStore {
  private readonly table: string;

  constructor(readonly options: EventStoreOptions) {
    this.table = `${quoteSchema(options.schema)}.events`;
  }

  /**
   * Appends `events` to `streamId` if it is exactly at `expectedVersion` (0 = a new stream).
   * A concurrent writer that got there first makes this fail with CONFLICT; the caller reloads
   * and decides again. Must run inside a transaction when more than the append is written.
   */
  async append(
    db: Queryable,
    streamId: string,
    expectedVersion: number,
    events: readonly NewEvent[],
    context: AppendContext,
  ): Promise<StoredEvent[]> {
    if (events.length === 0) {
      return [];
    }
    if (!Number.isInteger(expectedVersion) || expectedVersion < 0) {
      throw AppError.validation('expectedVersion must be a non-negative integer', {
        expectedVersion,
      });
    }
    const time = new Date().toISOString();
    const ids = events.map((event) => event.id ?? newEventId());
    const correlationId = context.correlationId ?? ids[0]!;
    // One append shares its metadata: encode it once for the hashes and the insert.
    const metadata: EventMetadata = {
      source: this.options.source,
      time,
      workspaceId: context.workspaceId,
      actor: context.actor,
      correlationId,
      causationId: context.causationId ?? null,
    };
    // What the relay cannot publish must not be stored: it would stop the relay for everyone.
    events.forEach((event, index) =>
      checkEnvelope({
        id: ids[index]!,
        type: event.type,
        streamId,
        version: expectedVersion + index + 1,
        metadata,
      }),
    );
    const previousHash = await this.previousHash(db, streamId, expectedVersion);
    const metadataJson = canonicalJson(metadata);
    let previous = previousHash;
    const rows = events.map((event, index) => {
      const version = expectedVersion + index + 1;
      const id = ids[index]!;
      const payload = Buffer.from(event.payload);
      const hash = chainHash(
        previous,
        { id, streamId, version, type: event.type, payload, metadata },
        metadataJson,
      );
      previous = hash;
      return { id, version, type: event.type, payload, metadata, hash };
    });

    let inserted: { rows: Pick<EventRow, 'position' | 'transaction_id' | 'recorded_at'>[] };
    try {
      inserted = await db.query(
        `INSERT INTO ${this.table} (event_id, stream_id, version, type, payload, metadata, hash)
         SELECT id, $2, version, type, payload, $6::jsonb, hash
         FROM unnest($1::uuid[], $3::int[], $4::text[], $5::bytea[], $7::bytea[])
           AS e(id, version, type, payload, hash)
         RETURNING position::text AS position, transaction_id::text AS transaction_id, recorded_at`,
        [
          rows.map((row) => row.id),
          streamId,
          rows.map((row) => row.version),
          rows.map((row) => row.type),
          rows.map((row) => row.payload),
          metadataJson,
          rows.map((row) => row.hash),
        ],
      );
    } catch (error) {
      if (sqlStateOf(error) === UNIQUE_VIOLATION) {
        throw AppError.conflict(
          `Stream ${streamId} was changed by someone else; reload and retry`,
          {
            streamId,
            expectedVersion,
          },
        );
      }
      throw error;
    }
    const stored = inserted.rows
      .map((row) => ({
        position: BigInt(row.position),
        transactionId: row.transaction_id,
        recordedAt: new Date(row.recorded_at),
      }))
      .sort((a, b) => (a.position < b.position ? -1 : 1));
    return rows.map((row, index) => ({
      ...stored[index]!,
      id: row.id,
      streamId,
      version: row.version,
      type: row.type,
      payload: row.payload,
      metadata: row.metadata,
      hash: row.hash,
    }));
  }

  /** The stream's events from `fromVersion` on, oldest first. */
  async readStream(db: Queryable, streamId: string, fromVersion = 1): Promise<StoredEvent[]> {
    const { rows } = await db.query<EventRow>(
      `SELECT ${COLUMNS} FROM ${this.table} e WHERE e.stream_id = $1 AND e.version >= $2 ORDER BY e.version`,
      [streamId, fromVersion],
    );
    return rows.map(toStoredEvent);
  }

  /**
   * Every committed event after `after`, in relay order (writer transaction id, then position),
   * stopping before any transaction that might still be running: an event committed late by a
   * slow concurrent writer is therefore read after, never skipped. Replays and the relay use this.
   */
  async readAll(db: Queryable, after: Checkpoint = START, limit = 1_000): Promise<StoredEvent[]> {
    const { rows } = await db.query<EventRow>(
      `SELECT ${COLUMNS} FROM ${this.table} e
       WHERE (e.transaction_id, e.position) > ($1::xid8, $2::bigint)
         AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY e.transaction_id, e.position
       LIMIT $3`,
      [after.transactionId, after.position.toString(), limit],
    );
    return rows.map(toStoredEvent);
  }

  /** How many committed events lie after `after`, and how old the oldest of them is. */
  async pendingAfter(
    db: Queryable,
    after: Checkpoint,
  ): Promise<{ events: number; oldestAgeMs: number | null }> {
    const { rows } = await db.query<{ events: string; oldest_age_ms: string | null }>(
      `SELECT count(*)::text AS events,
              (extract(epoch FROM now() - min(recorded_at)) * 1000)::bigint::text AS oldest_age_ms
       FROM ${this.table}
       WHERE (transaction_id, position) > ($1::xid8, $2::bigint)`,
      [after.transactionId, after.position.toString()],
    );
    const row = rows[0];
    return {
      events: Number(row?.events ?? 0),
      oldestAgeMs:
        row?.oldest_age_ms === null || row?.oldest_age_ms === undefined
          ? null
          : Number(row.oldest_age_ms),
    };
  }

  /**
   * Re-computes every stream's hash chain. An edited event shows as `hash_mismatch` on itself, or
   * on its successor if its own hash was forged to match; a deleted one as `missing_version` on
   * the next event. Removing a stream's last event leaves no trace here: the events already
   * published to Kafka are the outside witness for that. Reads in keyset pages.
   */
  async verify(db: Queryable, pageSize = 5_000): Promise<VerifyReport> {
    const report: VerifyReport = { ok: true, eventsChecked: 0, streamsChecked: 0, problems: [] };
    let cursor: { streamId: string; version: number } = { streamId: '', version: 0 };
    let previous: { streamId: string; version: number; hash: Buffer } | undefined;
    for (;;) {
      const { rows } = await db.query<EventRow>(
        `SELECT ${COLUMNS} FROM ${this.table} e
         WHERE (e.stream_id, e.version) > ($1, $2) ORDER BY e.stream_id, e.version LIMIT $3`,
        [cursor.streamId, cursor.version, pageSize],
      );
      for (const event of rows.map(toStoredEvent)) {
        const sameStream = previous?.streamId === event.streamId;
        if (!sameStream) {
          report.streamsChecked += 1;
        }
        const expectedVersion = sameStream ? previous!.version + 1 : 1;
        const problem = (kind: ChainProblem['problem']) =>
          report.problems.push({
            streamId: event.streamId,
            version: event.version,
            position: event.position,
            problem: kind,
          });
        if (event.version !== expectedVersion) {
          problem('missing_version');
        }
        const link = sameStream ? previous!.hash : GENESIS_HASH;
        const recomputed = chainHash(link, event);
        if (!recomputed.equals(event.hash)) {
          problem('hash_mismatch');
        }
        report.eventsChecked += 1;
        previous = { streamId: event.streamId, version: event.version, hash: event.hash };
      }
      if (rows.length < pageSize) {
        break;
      }
      const last = rows[rows.length - 1]!;
      cursor = { streamId: last.stream_id, version: last.version };
    }
    report.ok = report.problems.length === 0;
    return report;
  }

  /**
   * The hash of the event the new ones chain to. Also refuses an append whose transaction got its
   * id before the previous event's writer did: relay order would then put this stream's events out
   * of order, so the caller retries in a fresh transaction (rare: only when the transaction wrote
   * something else before the previous writer's append).
   */
  private async previousHash(
    db: Queryable,
    streamId: string,
    expectedVersion: number,
  ): Promise<Buffer> {
    if (expectedVersion === 0) {
      return GENESIS_HASH;
    }
    const { rows } = await db.query<{ hash: Uint8Array; older_transaction: boolean }>(
      `SELECT hash, transaction_id > pg_current_xact_id() AS older_transaction
       FROM ${this.table} WHERE stream_id = $1 AND version = $2`,
      [streamId, expectedVersion],
    );
    const row = rows[0];
    if (!row) {
      throw AppError.conflict(
        `Stream ${streamId} is not at version ${expectedVersion}; reload and retry`,
        {
          streamId,
          expectedVersion,
        },
      );
    }
    if (row.older_transaction) {
      throw AppError.conflict(`Stream ${streamId} moved on during this transaction; retry`, {
        streamId,
        expectedVersion,
      });
    }
    return Buffer.from(row.hash);
  }
}

export type ChainProblem = {
  streamId: string;
  version: number;
  position: bigint;
  problem: 'hash_mismatch' | 'missing_version';
};

export type VerifyReport = {
  ok: boolean;
  eventsChecked: number;
  streamsChecked: number;
  problems: ChainProblem[];
};

function checkEnvelope(event: Parameters<typeof envelopeOf>[0]): void {
  try {
    assertValidEnvelope(envelopeOf(event));
  } catch (error) {
    if (error instanceof ContractError) {
      throw AppError.validation(error.message, {
        streamId: event.streamId,
        version: event.version,
      });
    }
    throw error;
  }
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    position: BigInt(row.position),
    transactionId: row.transaction_id,
    id: row.event_id,
    streamId: row.stream_id,
    version: row.version,
    type: row.type,
    payload: Buffer.from(row.payload),
    metadata: row.metadata,
    hash: Buffer.from(row.hash),
    recordedAt: new Date(row.recorded_at),
  };
}
