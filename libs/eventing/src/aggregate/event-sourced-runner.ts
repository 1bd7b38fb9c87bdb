import { AppError } from '@mission-control/errors';
import { encodeDomainEvent, readEvent, type Actor, type DomainEvent } from '@mission-control/proto';
import { fold, type Decider } from '../decider/decider';
import { envelopeOf } from '../store/envelope';
import type { StoredEvent } from '../store/event';
import type { EventStore } from '../store/event-store';
import type { Queryable } from '../sql/queryable';

type CommandLike = { workspaceId: string; actor: Actor };

export type Decided<E, S> = { events: E[]; state: S; stored: StoredEvent[] };

export type EventSourcedRunnerOptions<Db> = {
  store: EventStore;
  /** Runs `work` in one database transaction. */
  transaction: <T>(work: (tx: Db) => Promise<T>) => Promise<T>;
  /** The store's view of a transaction (or of the pool, for reads). */
  queryable: (db: Db) => Queryable;
  /** What a stream holds, for the NOT_FOUND a command from another workspace gets. */
  recordName?: string;
  /** Transactions tried when a concurrent append wins the race; default 3. */
  attempts?: number;
};

// A concurrent writer moved the stream on between our read and our append: decide again.
const isStreamConflict = (error: unknown): boolean =>
  error instanceof AppError && error.code === 'CONFLICT' && 'expectedVersion' in error.details;

/**
 * Runs commands against event-sourced aggregates: in one transaction it loads the stream,
 * decides, appends with optimistic concurrency and lets the caller update read tables, so events
 * and read models commit together or not at all. A stream belongs to the workspace its first event
 * was recorded in: a command for another workspace finds nothing there.
 */
export class EventSourcedRunner<Db> {
  constructor(private readonly options: EventSourcedRunnerOptions<Db>) {}

  /** One transaction, retried from scratch when a concurrent append won the race. */
  async transaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    const attempts = this.options.attempts ?? 3;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.options.transaction(work);
      } catch (error) {
        if (attempt >= attempts || !isStreamConflict(error)) {
          throw error;
        }
      }
    }
  }

  /** The state of a stream folded from its events, and the workspace its first event was in. */
  async load<C, E extends DomainEvent, S>(
    db: Db,
    decider: Decider<C, E, S>,
    streamId: string,
  ): Promise<{ state: S; version: number; workspaceId: string | null }> {
    const stored = await this.options.store.readStream(this.options.queryable(db), streamId);
    const events = stored.map(
      (event) => readEvent({ envelope: envelopeOf(event), payload: event.payload }).event as E,
    );
    return {
      state: fold(decider, events),
      version: stored.length === 0 ? 0 : stored[stored.length - 1]!.version,
      workspaceId: stored[0]?.metadata.workspaceId ?? null,
    };
  }

  /** Load, decide, append. Read tables are the caller's to update on the same `tx`. */
  async execute<C extends CommandLike, E extends DomainEvent, S>(
    tx: Db,
    decider: Decider<C, E, S>,
    streamId: string,
    command: C,
  ): Promise<Decided<E, S>> {
    const { state, version, workspaceId } = await this.load(tx, decider, streamId);
    // One answer whether the record is elsewhere or nowhere, so ids cannot be probed.
    if (workspaceId !== null && workspaceId !== command.workspaceId) {
      throw AppError.notFound(this.options.recordName ?? 'Record');
    }
    return this.executeFrom(tx, decider, streamId, command, { state, version });
  }

  /**
   * Decide and append on a stream the command creates under an id just made for it: there is
   * nothing to load. Should the stream exist after all, the append's version check refuses it.
   */
  start<C extends CommandLike, E extends DomainEvent, S>(
    tx: Db,
    decider: Decider<C, E, S>,
    streamId: string,
    command: C,
  ): Promise<Decided<E, S>> {
    return this.executeFrom(tx, decider, streamId, command, {
      state: fold(decider, []),
      version: 0,
    });
  }

  /**
   * Decide and append from a state the caller already holds at `version`, e.g. a read model the
   * aggregate's projection keeps on the append's transaction: a long stream (a run's log) is not
   * read again for every command. A stale state cannot slip through: the append's version check
   * refuses it, and `transaction` decides again. The decider checks the workspace from the state.
   */
  async executeFrom<C extends CommandLike, E extends DomainEvent, S>(
    tx: Db,
    decider: Decider<C, E, S>,
    streamId: string,
    command: C,
    from: { state: S; version: number },
  ): Promise<Decided<E, S>> {
    return this.executeAllFrom(tx, decider, streamId, [command], from);
  }

  /**
   * `executeFrom` for commands that follow one another on one stream (e.g. assign, then claim):
   * each is decided on the state the one before left, and their events are appended together, so
   * a chain costs one append. All of them are one actor's in one workspace, as one append records.
   */
  async executeAllFrom<C extends CommandLike, E extends DomainEvent, S>(
    tx: Db,
    decider: Decider<C, E, S>,
    streamId: string,
    commands: readonly C[],
    from: { state: S; version: number },
  ): Promise<Decided<E, S>> {
    const [first] = commands;
    if (!first) {
      return { events: [], state: from.state, stored: [] };
    }
    const sameSource = (c: C) =>
      c.workspaceId === first.workspaceId &&
      c.actor.kind === first.actor.kind &&
      c.actor.id === first.actor.id;
    if (!commands.every(sameSource)) {
      throw new Error('Commands appended together must share their workspace and actor');
    }
    let state = from.state;
    const events: E[] = [];
    for (const command of commands) {
      for (const event of decider.decide(command, state)) {
        events.push(event);
        state = decider.evolve(state, event);
      }
    }
    const stored = await this.options.store.append(
      this.options.queryable(tx),
      streamId,
      from.version,
      events.map((event) => ({ type: event.type, payload: encodeDomainEvent(event) })),
      { workspaceId: first.workspaceId, actor: first.actor },
    );
    return { events, state, stored };
  }
}
