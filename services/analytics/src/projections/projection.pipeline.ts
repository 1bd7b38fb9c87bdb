import { Inject, Injectable } from '@nestjs/common';
import {
  type DeliveredRecord,
  EventConsumer,
  KafkaTransport,
  prismaQueryable,
  type UnitOfWork,
} from '@mission-control/eventing';
import { nestFieldsLogger } from '@mission-control/platform';
import { fromKafkaHeaders, readEvent } from '@mission-control/proto';
import { Kafka, logLevel } from 'kafkajs';
import { DATABASE_SCHEMA } from '../database/prisma.service';
import { MetricsRepository } from '../metrics/metrics.repository';
import { SearchIndexRepository } from '../search/search-index.repository';
import { AnalyticsProjection } from './analytics.projection';
import { ProjectionStateRepository, type RunStreams } from './projection-state.repository';
import { ProjectionRun, type ProjectionTx } from './projection-run';
import { RunRecordsTransport } from './run-records.transport';

export const PROJECTION_SOURCES = Symbol('PROJECTION_SOURCES');

/** Where the projections read from. */
export type ProjectionSources = { brokers: string[]; clientId: string; topics: string[] };

export type ProjectionConsumerOptions = {
  /** Consumer group, inbox and state name. */
  name: string;
  /** The index documents are written to: the alias when live, a new index in a rebuild. */
  searchIndex: string;
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
 * holding the inbox entries and the state, and its documents and points are written to
 * Elasticsearch and InfluxDB just before that transaction commits. A failure there rolls the
 * run back and the consumer retries it; the writes are idempotent, so a retry changes nothing.
 */
@Injectable()
export class ProjectionPipeline {
  constructor(
    @Inject(PROJECTION_SOURCES) private readonly sources: ProjectionSources,
    private readonly projection: AnalyticsProjection,
    private readonly states: ProjectionStateRepository,
    private readonly search: SearchIndexRepository,
    private readonly metrics: MetricsRepository,
  ) {}

  get topics(): string[] {
    return this.sources.topics;
  }

  async start(run: ProjectionConsumerOptions): Promise<ProjectionConsumer> {
    const logger = nestFieldsLogger(`Projection:${run.name}`);
    const transport = new RunRecordsTransport(
      new KafkaTransport(
        new Kafka({
          clientId: this.sources.clientId,
          brokers: this.sources.brokers,
          logLevel: logLevel.NOTHING,
        }),
        { logger, partitionsConsumedConcurrently: run.concurrency ?? 3 },
      ),
    );
    const consumer = new EventConsumer<ProjectionTx>({
      name: run.name,
      topics: this.sources.topics,
      transport,
      schema: DATABASE_SCHEMA,
      unitOfWork: this.unitOfWork(run, transport),
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

  private unitOfWork(
    run: ProjectionConsumerOptions,
    transport: RunRecordsTransport,
  ): UnitOfWork<ProjectionTx> {
    return {
      run: async (work) => {
        let events = 0;
        const result = await this.states.transaction(async (db) => {
          const projected = new ProjectionRun(run.name);
          await this.states.prefetch(db, projected, streamsOf(transport.current()));
          const done = await work({ db, run: projected }, prismaQueryable(db));
          await this.states.save(db, projected);
          await this.search.write(run.searchIndex, projected.pendingDocuments);
          await this.metrics.write(projected.pendingPoints);
          events = projected.handledEvents;
          return done;
        });
        run.onCommitted?.(events);
        return result;
      },
    };
  }
}

/** The missions and agents a run's records are about (records that do not parse are skipped). */
export function streamsOf(records: readonly DeliveredRecord[]): RunStreams {
  const missionIds = new Set<string>();
  const agentIds = new Set<string>();
  for (const record of records) {
    try {
      const { event } = readEvent({
        envelope: fromKafkaHeaders(record.headers),
        payload: record.value,
      });
      if (event.type.startsWith('mission.v1.') && 'missionId' in event.data) {
        missionIds.add(event.data.missionId);
      } else if (event.type.startsWith('agent.v1.') && 'agentId' in event.data) {
        agentIds.add(event.data.agentId);
      }
    } catch {
      // The consumer dead-letters it; nothing to read ahead for it.
    }
  }
  return { missionIds: [...missionIds], agentIds: [...agentIds] };
}
