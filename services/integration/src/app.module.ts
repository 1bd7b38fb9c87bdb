import { type DynamicModule, Module } from '@nestjs/common';
import { postgresReadiness } from '@mission-control/database';
import { KafkaReadiness, PlatformModule } from '@mission-control/platform';
import { DatabaseModule } from './database/database.module';
import { PrismaService } from './database/prisma.service';
import type { IntegrationConfig } from './integration.config';

@Module({})
export class AppModule {
  static forRoot(config: IntegrationConfig): DynamicModule {
    const database = DatabaseModule.forRoot({
      databaseUrl: config.DATABASE_URL,
      poolSize: config.DATABASE_POOL_SIZE,
    });
    return {
      module: AppModule,
      imports: [
        database,
        PlatformModule.forRoot({
          service: 'integration',
          logLevel: config.LOG_LEVEL,
          imports: [database],
          readiness: {
            inject: [PrismaService],
            useFactory: (prisma: PrismaService) => [
              // An in-process bus is part of this process: nothing to wait for.
              ...(config.EVENT_BUS === 'kafka'
                ? [
                    new KafkaReadiness(
                      config.KAFKA_BROKERS,
                      config.KAFKA_CLIENT_ID ?? 'integration',
                    ),
                  ]
                : []),
              postgresReadiness(prisma),
            ],
          },
        }),
      ],
    };
  }
}
