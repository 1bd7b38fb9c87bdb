import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { keepTrying, type KeepTrying } from '@mission-control/eventing';
import { MetricsStore } from '../metrics/metrics-store.port';
import { SearchIndex } from '../search/search-index.port';
import { ProjectionPipeline, type ProjectionConsumer } from './projection.pipeline';

export const PROJECTIONS_CONSUMER_NAME = Symbol('PROJECTIONS_CONSUMER_NAME');

/**
 * The live projections, consuming while the service runs. Started in the background: an engine
 * that is down at boot delays the projections (readiness says why), it does not stop the API.
 */
@Injectable()
export class ProjectionsRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ProjectionsRunner.name);
  private running: ProjectionConsumer | undefined;
  private starting: KeepTrying | undefined;

  constructor(
    @Inject(PROJECTIONS_CONSUMER_NAME) readonly name: string,
    private readonly pipeline: ProjectionPipeline,
    private readonly search: SearchIndex,
    private readonly metrics: MetricsStore,
  ) {}

  onApplicationBootstrap(): void {
    this.starting = keepTrying(() => this.start(), {
      initialDelayMs: 500,
      onRetry: (error, retryInMs) =>
        this.logger.warn({ err: error, retryInMs }, 'projections could not start; retrying'),
    });
  }

  // Before the Prisma client disconnects (its module is destroyed after this one): the run in
  // hand finishes or is abandoned uncommitted, never cut off mid-transaction.
  async onModuleDestroy(): Promise<void> {
    this.starting?.cancel();
    await this.starting?.done;
    await this.running?.stop();
    this.running = undefined;
  }

  /** Resolves once the consumer has joined its group (for callers that must wait). */
  async started(): Promise<void> {
    await this.starting?.done;
  }

  /** Events published but not yet applied. */
  lag(): Promise<number> {
    return this.running?.consumer.lag() ?? Promise.resolve(Number.POSITIVE_INFINITY);
  }

  private async start(): Promise<void> {
    await this.search.ensureIndex();
    await this.metrics.ensureStorage();
    this.running = await this.pipeline.start({ name: this.name });
    this.logger.log({ consumer: this.name, topics: this.pipeline.topics }, 'projections consuming');
  }
}
