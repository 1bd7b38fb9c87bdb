import { Injectable } from '@nestjs/common';
import { AppError } from '@mission-control/errors';
import {
  EventStore,
  envelopeOf,
  fold,
  prismaQueryable,
  type Decider,
  type StoredEvent,
} from '@mission-control/eventing';
import {
  encodeDomainEvent,
  eventSource,
  readEvent,
  type Actor,
  type DomainEvent,
} from '@mission-control/proto';
import { PrismaService, DATABASE_SCHEMA } from '../database/prisma.service';
import type { Prisma } from '../generated/prisma/client';

export type Tx = Prisma.TransactionClient;

/** The append-only log of this service's aggregates (schema "agent"), also its outbox. */
export const agentEventStore = new EventStore({
  schema: DATABASE_SCHEMA,
  source: eventSource('agent'),
});

type CommandLike = { workspaceId: string; actor: Actor };

export type Decided<E, S> = { events: E[]; state: S; stored: StoredEvent[] };

// A concurrent writer moved the stream on between our read and our append: decide again.
const isStreamConflict = (error: unknown): boolean =>
  error instanceof AppError && error.code === 'CONFLICT' && 'expectedVersion' in error.details;

const ATTEMPTS = 3;

/**
 * Runs commands against event-sourced aggregates: in one Prisma transaction it loads the stream,
 * decides, appends with optimistic concurrency and lets the caller update read tables, so events
 * and read models commit together or not at all.
 */
@Injectable()
export class AggregateRunner {
  constructor(private readonly prisma: PrismaService) {}

  /** One transaction, retried from scratch when a concurrent append won the race. */
  async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.prisma.$transaction(work);
      } catch (error) {
        if (attempt >= ATTEMPTS || !isStreamConflict(error)) {
          throw error;
        }
      }
    }
  }

  /** The state of a stream folded from its events, and the workspace its first event was in. */
  async load<C, E extends DomainEvent, S>(
    tx: Tx | PrismaService,
    decider: Decider<C, E, S>,
    streamId: string,
  ): Promise<{ state: S; version: number; workspaceId: string | null }> {
    const stored = await agentEventStore.readStream(prismaQueryable(tx), streamId);
    const events = stored.map(
      (event) => readEvent({ envelope: envelopeOf(event), payload: event.payload }).event as E,
    );
    return {
      state: fold(decider, events),
      version: stored.length === 0 ? 0 : stored[stored.length - 1]!.version,
      workspaceId: stored[0]?.metadata.workspaceId ?? null,
    };
  }

  /**
   * Load, decide, append. A stream belongs to the workspace it was created in: a command for
   * another workspace finds nothing there. Read tables are the caller's to update on the same `tx`.
   */
  async execute<C extends CommandLike, E extends DomainEvent, S>(
    tx: Tx,
    decider: Decider<C, E, S>,
    streamId: string,
    command: C,
  ): Promise<Decided<E, S>> {
    const { state, version, workspaceId } = await this.load(tx, decider, streamId);
    // One answer whether the record is elsewhere or nowhere, so ids cannot be probed.
    if (workspaceId !== null && workspaceId !== command.workspaceId) {
      throw AppError.notFound('Agent');
    }
    const events = decider.decide(command, state);
    const stored = await agentEventStore.append(
      prismaQueryable(tx),
      streamId,
      version,
      events.map((event) => ({ type: event.type, payload: encodeDomainEvent(event) })),
      { workspaceId: command.workspaceId, actor: command.actor },
    );
    return {
      events,
      state: events.reduce((next, event) => decider.evolve(next, event), state),
      stored,
    };
  }
}
