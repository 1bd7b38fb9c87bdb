import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import type { ProjectionsConfig } from '../analytics.config';
import { PrismaService } from '../database/prisma.service';
import { EnginesModule } from '../engines/engines.module';
import { MetricsStore } from '../metrics/metrics-store.port';
import { InfluxMetricsStore } from '../metrics/influx-metrics-store';
import { PostgresMetricsStore } from '../metrics/postgres-metrics-store';
import { RebuildService, REBUILD_OPTIONS } from '../rebuild/rebuild.service';
import { PostgresSearchIndex } from '../search/postgres-search-index';
import { SearchIndex } from '../search/search-index.port';
import { ElasticsearchSearchIndex } from '../search/elasticsearch-search-index';
import { AnalyticsProjection } from './analytics.projection';
import { ConsumerGroupsRepository } from './consumer-groups.repository';
import {
  ProjectionPipeline,
  PROJECTION_SOURCES,
  type ProjectionSources,
} from './projection.pipeline';
import { ProjectionStateRepository } from './projection-state.repository';

const EXPORTED = [
  ElasticsearchSearchIndex,
  InfluxMetricsStore,
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
      bus: config.EVENT_BUS,
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
        {
          provide: REBUILD_OPTIONS,
          useValue: {
            consumerGroup: config.ANALYTICS_CONSUMER_GROUP,
            bus: config.EVENT_BUS,
            searchEngine: config.ANALYTICS_SEARCH_ENGINE,
            metricsEngine: config.ANALYTICS_METRICS_ENGINE,
          },
        },
        AnalyticsProjection,
        ConsumerGroupsRepository,
        // The API and the live projections use the ports; the engines' repositories stay
        // available for the rebuild, which is Elasticsearch and InfluxDB only.
        config.ANALYTICS_SEARCH_ENGINE === 'postgres'
          ? {
              provide: SearchIndex,
              inject: [PrismaService],
              useFactory: (prisma: PrismaService) => new PostgresSearchIndex(prisma),
            }
          : { provide: SearchIndex, useExisting: ElasticsearchSearchIndex },
        config.ANALYTICS_METRICS_ENGINE === 'postgres'
          ? {
              provide: MetricsStore,
              inject: [PrismaService],
              useFactory: (prisma: PrismaService) => new PostgresMetricsStore(prisma),
            }
          : { provide: MetricsStore, useExisting: InfluxMetricsStore },
        ...EXPORTED,
      ],
      exports: [SearchIndex, MetricsStore, ...EXPORTED],
    };
  }
}
