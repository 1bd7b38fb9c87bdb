import { Inject, Injectable } from '@nestjs/common';
import {
  createEventTransport,
  type DeliveredRecord,
  EventConsumer,
  type EventBusKind,
  prismaQueryable,
  type UnitOfWork,
} from '@mission-control/eventing';
import { nestFieldsLogger } from '@mission-control/platform';
import { fromKafkaHeaders, readEvent } from '@mission-control/proto';
import { DATABASE_SCHEMA } from '../database/prisma.service';
import type { Prisma } from '../generated/prisma/client';
import { MetricsStore } from '../metrics/metrics-store.port';
import { PostgresMetricsStore } from '../metrics/postgres-metrics-store';
import { PostgresSearchIndex } from '../search/postgres-search-index';
import { SearchIndex } from '../search/search-index.port';
import { AnalyticsProjection } from './analytics.projection';
import { ProjectionStateRepository, type RunStreams } from './projection-state.repository';
import { ProjectionRun, type ProjectionTx } from './projection-run';

export const PROJECTION_SOURCES = Symbol('PROJECTION_SOURCES');

/** Where the projections read from. */
export type ProjectionSources = {
  bus: EventBusKind;
  brokers: string[];
  clientId: string;
  topics: string[];
};

export type ProjectionConsumerOptions = {
  /** Consumer group, inbox and state name. */
  name: string;
  /** Where documents go instead of the live index: a rebuild's new generation. */
  searchIndex?: SearchIndex;
  /** Partitions worked on at once (each in order); streams never span partitions. */
  concurrency?: number;
  /** Called after each committed run of events with how many it held. */
  onCommitted?: (events: number) => void;
};

/** A running consumer of the projections and the transport it owns. */
export type ProjectionConsumer = {
  consumer: EventConsumer<ProjectionTx>;
  stop(): Promise<void>;
};

/**
 * Builds the projections' consumer: each run of events is applied in one Postgres transaction
 * holding the inbox entries and the state, and its documents and points are written to the
 * search index and metrics store just before that transaction commits (Postgres adapters write
 * inside it). A failure there rolls the run back and the consumer retries it; the writes are
 * idempotent, so a retry changes nothing.
 */
@Injectable()
export class ProjectionPipeline {
  constructor(
    @Inject(PROJECTION_SOURCES) private readonly sources: ProjectionSources,
    private readonly projection: AnalyticsProjection,
    private readonly states: ProjectionStateRepository,
    private readonly search: SearchIndex,
    private readonly metrics: MetricsStore,
  ) {}

  get topics(): string[] {
    return this.sources.topics;
  }

  async start(run: ProjectionConsumerOptions): Promise<ProjectionConsumer> {
    const logger = nestFieldsLogger(`Projection:${run.name}`);
    const transport = createEventTransport({
      bus: this.sources.bus,
      brokers: this.sources.brokers,
      clientId: this.sources.clientId,
      logger,
      kafka: { partitionsConsumedConcurrently: run.concurrency ?? 3 },
    });
    const consumer = new EventConsumer<ProjectionTx>({
      name: run.name,
      topics: this.sources.topics,
      transport,
      schema: DATABASE_SCHEMA,
      unitOfWork: this.unitOfWork(run),
      handle: (event, tx) => {
        tx.run.noteHandled();
        return this.projection.apply(event, tx);
      },
      fromBeginning: true,
      logger,
    });
    try {
      await consumer.start();
    } catch (error) {
      await transport.close().catch(() => undefined);
      throw error;
    }
    return {
      consumer,
      stop: async () => {
        await consumer.stop();
        await transport.close();
      },
    };
  }

  private unitOfWork(run: ProjectionConsumerOptions): UnitOfWork<ProjectionTx> {
    return {
      // The records the transaction is for: their streams' state is read in one go.
      run: async (work, records = []) => {
        let events = 0;
        const result = await this.states.transaction(async (db) => {
          const projected = new ProjectionRun(run.name);
          await this.states.prefetch(db, projected, streamsOf(records));
          const done = await work({ db, run: projected }, prismaQueryable(db));
          await this.states.save(db, projected);
          await this.searchIn(db, run).upsert(projected.pendingDocuments);
          await this.metricsIn(db).write(projected.pendingPoints);
          events = projected.handledEvents;
          return done;
        });
        run.onCommitted?.(events);
        return result;
      },
    };
  }

  // A Postgres adapter writes in the run's own transaction, so documents, points, inbox and
  // state commit together; Elasticsearch and InfluxDB are written just before it commits.
  private searchIn(db: Prisma.TransactionClient, run: ProjectionConsumerOptions): SearchIndex {
    if (run.searchIndex) {
      return run.searchIndex;
    }
    return this.search instanceof PostgresSearchIndex ? new PostgresSearchIndex(db) : this.search;
  }

  private metricsIn(db: Prisma.TransactionClient): MetricsStore {
    return this.metrics instanceof PostgresMetricsStore
      ? new PostgresMetricsStore(db)
      : this.metrics;
  }
}

/** The missions, agents and runs a run's records are about (records that do not parse are skipped). */
export function streamsOf(records: readonly DeliveredRecord[]): RunStreams {
  const missionIds = new Set<string>();
  const agentIds = new Set<string>();
  const runIds = new Set<string>();
  const claims: RunStreams['claims'] = [];
  for (const record of records) {
    try {
      const { event } = readEvent({
        envelope: fromKafkaHeaders(record.headers),
        payload: record.value,
      });
      // A run's events are of its own stream, though RunStarted names its mission too.
      if (event.type.startsWith('mission.v1.Run') && 'runId' in event.data) {
        runIds.add(event.data.runId);
      } else if (event.type.startsWith('mission.v1.') && 'missionId' in event.data) {
        missionIds.add(event.data.missionId);
        // Claims recorded before leases have no epoch: their claim is found as it is applied.
        if (event.type === 'mission.v1.MissionClaimed' && event.data.epoch > 0n) {
          claims.push({ missionId: event.data.missionId, epoch: Number(event.data.epoch) });
        }
      } else if (event.type.startsWith('agent.v1.') && 'agentId' in event.data) {
        agentIds.add(event.data.agentId);
      }
    } catch {
      // The consumer dead-letters it; nothing to read ahead for it.
    }
  }
  return { missionIds: [...missionIds], agentIds: [...agentIds], runIds: [...runIds], claims };
}
