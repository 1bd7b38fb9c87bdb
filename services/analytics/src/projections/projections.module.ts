import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import type { ProjectionsConfig } from '../analytics.config';
import { EnginesModule } from '../engines/engines.module';
import { MetricsStore } from '../metrics/metrics-store.port';
import { MetricsRepository } from '../metrics/metrics.repository';
import { RebuildService, REBUILD_OPTIONS } from '../rebuild/rebuild.service';
import { SearchIndex } from '../search/search-index.port';
import { SearchIndexRepository } from '../search/search-index.repository';
import { AnalyticsProjection } from './analytics.projection';
import { ConsumerGroupsRepository } from './consumer-groups.repository';
import {
  ProjectionPipeline,
  PROJECTION_SOURCES,
  type ProjectionSources,
} from './projection.pipeline';
import { ProjectionStateRepository } from './projection-state.repository';

const EXPORTED = [
  SearchIndexRepository,
  MetricsRepository,
  ProjectionStateRepository,
  ProjectionPipeline,
  RebuildService,
];

/** The search index and metrics projections, their engines and their rebuild. */
@Module({})
export class ProjectionsModule {
  /** `imports`: the module providing PrismaService. */
  static forRoot(config: ProjectionsConfig, imports: ModuleMetadata['imports']): DynamicModule {
    const sources: ProjectionSources = {
      brokers: config.KAFKA_BROKERS,
      clientId: config.KAFKA_CLIENT_ID ?? 'analytics',
      topics: [config.AGENT_EVENTS_TOPIC, config.MISSION_EVENTS_TOPIC],
    };
    const engines = EnginesModule.forRoot({
      elasticsearchUrl: config.ELASTICSEARCH_URL,
      indexPrefix: config.ELASTICSEARCH_INDEX_PREFIX,
      influxUrl: config.INFLUX_URL,
      influxDatabase: config.INFLUX_DATABASE,
    });
    return {
      module: ProjectionsModule,
      imports: [...(imports ?? []), engines],
      providers: [
        { provide: PROJECTION_SOURCES, useValue: sources },
        { provide: REBUILD_OPTIONS, useValue: { consumerGroup: config.ANALYTICS_CONSUMER_GROUP } },
        AnalyticsProjection,
        ConsumerGroupsRepository,
        // Search reads through the port; the projections and the rebuild still use Elasticsearch.
        { provide: SearchIndex, useExisting: SearchIndexRepository },
        // Likewise metrics: read through the port, written and rebuilt in InfluxDB.
        { provide: MetricsStore, useExisting: MetricsRepository },
        ...EXPORTED,
      ],
      exports: [SearchIndex, MetricsStore, ...EXPORTED],
    };
  }
}
