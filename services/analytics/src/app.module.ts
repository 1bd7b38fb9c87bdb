import path from 'node:path';
import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@mission-control/auth';
import { PlatformModule } from '@mission-control/platform';
import { SubgraphModule } from '@mission-control/subgraph';
import type { AnalyticsConfig } from './analytics.config';
import { AnalyticsModule } from './analytics.module';
import { DatabaseModule } from './database/database.module';
import { PrismaService } from './database/prisma.service';
import { projectionEngineChecks } from './health/projection-engines.readiness';

/** services/analytics/schema.graphql, from src/ and dist/ alike. */
const DEFAULT_SCHEMA_FILE = path.join(__dirname, '..', 'schema.graphql');

@Module({})
export class AppModule {
  static forRoot(config: AnalyticsConfig): DynamicModule {
    const database = DatabaseModule.forRoot({
      databaseUrl: config.DATABASE_URL,
      poolSize: config.DATABASE_POOL_SIZE,
    });
    return {
      module: AppModule,
      imports: [
        database,
        PlatformModule.forRoot({
          service: 'analytics',
          logLevel: config.LOG_LEVEL,
          imports: [database],
          readiness: {
            inject: [PrismaService],
            // Only the engines in use: Postgres-backed search and metrics need none beyond it.
            useFactory: (prisma: PrismaService) => projectionEngineChecks(config, prisma),
          },
        }),
        AuthModule.forRoot({ internalSecret: config.INTERNAL_AUTH_SECRET.reveal() }),
        SubgraphModule.forRoot({
          service: 'analytics',
          queryConcurrency: config.SUBGRAPH_QUERY_CONCURRENCY,
          scope: AnalyticsModule,
          // Never in production: the image's file system is read-only and the SDL ships with it.
          file:
            config.ANALYTICS_SCHEMA_FILE ??
            (config.NODE_ENV === 'production' ? null : DEFAULT_SCHEMA_FILE),
        }),
        AnalyticsModule.forRoot(config, [database]),
      ],
    };
  }
}
