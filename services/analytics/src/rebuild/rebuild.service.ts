import { Inject, Injectable } from '@nestjs/common';
import type { EventBusKind } from '@mission-control/eventing';
import { AppError, ErrorCode } from '@mission-control/errors';
import { MEASUREMENTS } from '../metrics/metric-points';
import { InfluxMetricsStore } from '../metrics/influx-metrics-store';
import { ConsumerGroupsRepository } from '../projections/consumer-groups.repository';
import { ProjectionPipeline, type ProjectionConsumer } from '../projections/projection.pipeline';
import { ProjectionStateRepository } from '../projections/projection-state.repository';
import { ElasticsearchSearchIndex } from '../search/elasticsearch-search-index';

export const REBUILD_OPTIONS = Symbol('REBUILD_OPTIONS');

export type RebuildOptions = {
  /** The live consumer's name; a rebuild's group and state are named after it. */
  consumerGroup: string;
  bus: EventBusKind;
  searchEngine: 'elasticsearch' | 'postgres';
  metricsEngine: 'influxdb' | 'postgres';
};

/** Why a rebuild cannot run with this configuration. */
export type RebuildRefusal = 'IN_PROCESS_EVENT_BUS' | 'POSTGRES_ENGINE';

/** A rebuild refused before it touched anything; `details.reason` says why. */
export class RebuildRefusedError extends AppError {
  constructor(
    readonly reason: RebuildRefusal,
    message: string,
  ) {
    super(ErrorCode.VALIDATION_ERROR, message, { reason }, { retryable: false });
    this.name = 'RebuildRefusedError';
  }
}

export type RebuildSummary = {
  index: string;
  replacedIndices: string[];
  events: number;
  seconds: number;
  eventsPerSecond: number;
};

export type RebuildSettings = {
  /** How often progress is reported while replaying. */
  progressEveryMs?: number;
  /** Gives up when the replay has not caught up by then. */
  timeoutMs?: number;
};

const STEPS = 6;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Drops and rebuilds both projections by replaying the event topics from the beginning (rule 6):
 * documents go into a new index that the alias is swapped onto once it has caught up, so search
 * answers throughout; InfluxDB measurements are dropped and written again (points are
 * deterministic, so the live consumer writing alongside writes the same points). The replay
 * uses a consumer group, inbox and state of its own, removed at the end.
 */
@Injectable()
export class RebuildService {
  constructor(
    @Inject(REBUILD_OPTIONS) private readonly options: RebuildOptions,
    private readonly pipeline: ProjectionPipeline,
    private readonly search: ElasticsearchSearchIndex,
    private readonly metrics: InfluxMetricsStore,
    private readonly states: ProjectionStateRepository,
    private readonly groups: ConsumerGroupsRepository,
  ) {}

  /** Throws {@link RebuildRefusedError} when this configuration cannot be rebuilt. */
  assertSupported(): void {
    const { bus, searchEngine, metricsEngine } = this.options;
    if (bus === 'in-process') {
      throw new RebuildRefusedError(
        'IN_PROCESS_EVENT_BUS',
        'cannot rebuild with EVENT_BUS=in-process: that bus holds only the events this process ' +
          'has seen, not the topics from the beginning',
      );
    }
    if (searchEngine === 'postgres' || metricsEngine === 'postgres') {
      throw new RebuildRefusedError(
        'POSTGRES_ENGINE',
        'rebuild supports ANALYTICS_SEARCH_ENGINE=elasticsearch with ' +
          `ANALYTICS_METRICS_ENGINE=influxdb only (got ${searchEngine} and ${metricsEngine})`,
      );
    }
  }

  async rebuild(
    report: (line: string) => void,
    settings: RebuildSettings = {},
  ): Promise<RebuildSummary> {
    this.assertSupported();
    const progressEveryMs = settings.progressEveryMs ?? 1_000;
    const deadline = Date.now() + (settings.timeoutMs ?? 6 * 3_600_000);
    const started = performance.now();
    const name = `${this.options.consumerGroup}.rebuild.${Date.now()}`;

    const generations = await this.search.generations();
    const last = generations.map((index) => this.search.names.generationOf(index) ?? 0);
    const index = this.search.names.generation(Math.max(0, ...last) + 1);
    await this.search.createIndex(index);
    report(`[1/${STEPS}] created index ${index} (refresh off while loading)`);

    await this.metrics.ensureStorage();
    await this.metrics.dropMeasurements();
    report(`[2/${STEPS}] dropped InfluxDB measurements ${MEASUREMENTS.join(', ')}`);

    let events = 0;
    let running: ProjectionConsumer | undefined;
    try {
      running = await this.pipeline.start({
        name,
        searchIndex: this.search.writingTo(index),
        // Nothing else waits on this consumer: use every partition the pool can serve.
        concurrency: 6,
        onCommitted: (count) => {
          events += count;
        },
      });
      report(
        `[3/${STEPS}] replaying ${this.pipeline.topics.join(', ')} from the beginning as ${name}`,
      );
      const replayStarted = performance.now();
      await this.catchUp(
        running,
        deadline,
        progressEveryMs,
        () => {
          const seconds = (performance.now() - replayStarted) / 1_000;
          return `      ${events} events, ${rate(events, seconds)} events/s`;
        },
        report,
      );

      await this.search.activate(index);
      const replaced = await this.search.swapAlias(index);
      report(
        `[4/${STEPS}] alias ${this.search.names.alias} → ${index}` +
          (replaced.length > 0 ? ` (was ${replaced.join(', ')})` : ''),
      );

      // Whatever arrived while the alias moved: applied here or by the live consumer, or both.
      await this.catchUp(
        running,
        deadline,
        progressEveryMs,
        () => `      ${events} events`,
        report,
      );
      await running.stop();
      running = undefined;
      report(`[5/${STEPS}] caught up; replay consumer stopped`);

      await this.search.deleteIndices(replaced);
      await this.states.forget(name);
      await this.groups.delete(name).catch(() => undefined);
      report(
        `[6/${STEPS}] removed ${replaced.length > 0 ? replaced.join(', ') : 'no old index'} and the replay's scratch state`,
      );

      const seconds = (performance.now() - started) / 1_000;
      const summary: RebuildSummary = {
        index,
        replacedIndices: replaced,
        events,
        seconds,
        eventsPerSecond: rate(events, seconds),
      };
      report(
        `rebuild done: ${events} events in ${seconds.toFixed(1)} s = ${summary.eventsPerSecond} events/s`,
      );
      return summary;
    } catch (error) {
      await running?.stop().catch(() => undefined);
      // The half-built index is dropped; the alias still points at the last good one.
      if (!(await this.search.aliasedIndices()).includes(index)) {
        await this.search.deleteIndices([index]).catch(() => undefined);
      }
      await this.states.forget(name).catch(() => undefined);
      throw error;
    }
  }

  /** Waits until the replay has applied everything published so far. */
  private async catchUp(
    running: ProjectionConsumer,
    deadline: number,
    progressEveryMs: number,
    progress: () => string,
    report: (line: string) => void,
  ): Promise<void> {
    let lastReport = performance.now();
    for (;;) {
      const lag = await running.consumer.lag();
      if (lag === 0) {
        report(`${progress()}, caught up`);
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`rebuild timed out with ${lag} events still to replay`);
      }
      if (performance.now() - lastReport >= progressEveryMs) {
        report(`${progress()}, ${lag} to go`);
        lastReport = performance.now();
      }
      await sleep(Math.min(250, progressEveryMs));
    }
  }
}

const rate = (events: number, seconds: number): number =>
  seconds > 0 ? Math.round(events / seconds) : 0;
