import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import type { AnalyticsConfig } from './analytics.config';
import { CostsResolver } from './costs/costs.resolver';
import { CostsService } from './costs/costs.service';
import { HostUsageResolver } from './hosts/host-usage.resolver';
import { HostUsageService } from './hosts/host-usage.service';
import { MetricsResolver } from './metrics/metrics.resolver';
import { MetricsService } from './metrics/metrics.service';
import { ProjectionsModule } from './projections/projections.module';
import { PROJECTIONS_CONSUMER_NAME, ProjectionsRunner } from './projections/projections.runner';
import { SearchResolver } from './search/search.resolver';
import { SearchService } from './search/search.service';

/** The resolvers of the analytics subgraph; the schema emitter builds the SDL from these alone. */
export const ANALYTICS_RESOLVERS = [
  SearchResolver,
  MetricsResolver,
  CostsResolver,
  HostUsageResolver,
];

/** Search, metrics, costs and host usage over the workspace's events, and the projections that feed them. */
@Module({})
export class AnalyticsModule {
  /** `imports`: the module providing PrismaService. */
  static forRoot(config: AnalyticsConfig, imports: ModuleMetadata['imports']): DynamicModule {
    return {
      module: AnalyticsModule,
      imports: [ProjectionsModule.forRoot(config, imports)],
      providers: [
        { provide: PROJECTIONS_CONSUMER_NAME, useValue: config.ANALYTICS_CONSUMER_GROUP },
        ...(config.ANALYTICS_PROJECTIONS_ENABLED ? [ProjectionsRunner] : []),
        SearchService,
        MetricsService,
        CostsService,
        HostUsageService,
        ...ANALYTICS_RESOLVERS,
      ],
    };
  }
}
