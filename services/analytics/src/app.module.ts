import { type DynamicModule, Module } from '@nestjs/common';
import { postgresReadiness } from '@mission-control/database';
import { KafkaReadiness, PlatformModule } from '@mission-control/platform';
import { DatabaseModule } from './database/database.module';
import { PrismaService } from './database/prisma.service';
import { ElasticsearchReadiness, InfluxReadiness } from './health/projection-engines.readiness';
import type { AnalyticsConfig } from './analytics.config';

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
            useFactory: (prisma: PrismaService) => [
              new KafkaReadiness(config.KAFKA_BROKERS, config.KAFKA_CLIENT_ID ?? 'analytics'),
              postgresReadiness(prisma),
              new ElasticsearchReadiness(config.ELASTICSEARCH_URL),
              new InfluxReadiness(config.INFLUX_URL),
            ],
          },
        }),
      ],
    };
  }
}
