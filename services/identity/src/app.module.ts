import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@mission-control/auth';
import { postgresReadiness } from '@mission-control/database';
import { KafkaReadiness, PlatformModule } from '@mission-control/platform';
import { DatabaseModule } from './database/database.module';
import { PrismaService } from './database/prisma.service';
import { DEFAULT_SCHEMA_FILE, identityGraphQLModule } from './graphql/identity-graphql.module';
import { SUBGRAPH_SCHEMA_FILE, SubgraphSchemaWriter } from './graphql/subgraph-schema.writer';
import type { IdentityConfig } from './identity.config';
import { IdentityModule } from './identity.module';

@Module({})
export class AppModule {
  static forRoot(config: IdentityConfig): DynamicModule {
    const database = DatabaseModule.forRoot({
      databaseUrl: config.DATABASE_URL,
      poolSize: config.DATABASE_POOL_SIZE,
    });
    const clientId = config.KAFKA_CLIENT_ID ?? 'identity';
    return {
      module: AppModule,
      providers: [
        {
          provide: SUBGRAPH_SCHEMA_FILE,
          // Never in production: the image's file system is read-only and the SDL ships with it.
          useValue:
            config.IDENTITY_SCHEMA_FILE ??
            (config.NODE_ENV === 'production' ? null : DEFAULT_SCHEMA_FILE),
        },
        SubgraphSchemaWriter,
      ],
      imports: [
        database,
        PlatformModule.forRoot({
          service: 'identity',
          logLevel: config.LOG_LEVEL,
          imports: [database],
          readiness: {
            inject: [PrismaService],
            useFactory: (prisma: PrismaService) => [
              new KafkaReadiness(config.KAFKA_BROKERS, clientId),
              postgresReadiness(prisma),
            ],
          },
        }),
        AuthModule.forRoot({ internalSecret: config.INTERNAL_AUTH_SECRET.reveal() }),
        identityGraphQLModule(),
        {
          ...IdentityModule.forRoot(config, {
            databaseUrl: config.DATABASE_URL,
            brokers: config.KAFKA_BROKERS,
            clientId,
            topic: config.IDENTITY_EVENTS_TOPIC,
          }),
          imports: [database],
        },
      ],
    };
  }
}
