import { type DynamicModule, Module } from '@nestjs/common';
import type { ProjectionsConfig } from '../analytics.config';
import { DatabaseModule } from '../database/database.module';
import { ProjectionsModule } from '../projections/projections.module';

/** What `npm run analytics:rebuild` boots: the projections without the API or the live consumer. */
@Module({})
export class RebuildCliModule {
  static forRoot(config: ProjectionsConfig): DynamicModule {
    const database = DatabaseModule.forRoot({
      databaseUrl: config.DATABASE_URL,
      poolSize: config.DATABASE_POOL_SIZE,
    });
    return {
      module: RebuildCliModule,
      imports: [database, ProjectionsModule.forRoot(config, [database])],
    };
  }
}
