import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@mission-control/auth';
import { postgresReadiness } from '@mission-control/database';
import { EventSourcedServiceModule } from '@mission-control/eventing/nest';
import { KafkaReadiness, PlatformModule } from '@mission-control/platform';
import { PrismaService } from './database/prisma.service';
import { AggregateRunner, missionEventStore } from './eventing/mission-event-store';
import { MissionRelay } from './eventing/mission-relay';
import path from 'node:path';
import { SubgraphModule } from '@mission-control/subgraph';
import type { MissionConfig } from './mission.config';
import { MissionModule } from './mission.module';
import { loadPriceCatalog } from './runs/pricing';

/** services/mission/schema.graphql, from src/ and dist/ alike. */
const DEFAULT_SCHEMA_FILE = path.join(__dirname, '..', 'schema.graphql');

@Module({})
export class AppModule {
  static forRoot(config: MissionConfig): DynamicModule {
    const clientId = config.KAFKA_CLIENT_ID ?? 'mission';
    const database = EventSourcedServiceModule.forService({
      store: missionEventStore,
      prisma: PrismaService,
      database: { databaseUrl: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE },
      runner: AggregateRunner,
      recordName: 'Mission',
      relay: MissionRelay,
      relayWiring: {
        databaseUrl: config.DATABASE_URL,
        bus: config.EVENT_BUS,
        brokers: config.KAFKA_BROKERS,
        clientId,
        topic: config.MISSION_EVENTS_TOPIC,
      },
    });
    return {
      module: AppModule,
      imports: [
        database,
        PlatformModule.forRoot({
          service: 'mission',
          logLevel: config.LOG_LEVEL,
          imports: [database],
          readiness: {
            inject: [PrismaService],
            useFactory: (prisma: PrismaService) => [
              // An in-process bus is part of this process: nothing to wait for.
              ...(config.EVENT_BUS === 'kafka'
                ? [new KafkaReadiness(config.KAFKA_BROKERS, clientId)]
                : []),
              postgresReadiness(prisma),
            ],
          },
        }),
        AuthModule.forRoot({ internalSecret: config.INTERNAL_AUTH_SECRET.reveal() }),
        SubgraphModule.forRoot({
          service: 'mission',
          queryConcurrency: config.SUBGRAPH_QUERY_CONCURRENCY,
          scope: MissionModule,
          // Never in production: the image's file system is read-only and the SDL ships with it.
          file:
            config.MISSION_SCHEMA_FILE ??
            (config.NODE_ENV === 'production' ? null : DEFAULT_SCHEMA_FILE),
        }),
        {
          ...MissionModule.forRoot({
            eventing: {
              agentRoster: {
                bus: config.EVENT_BUS,
                brokers: config.KAFKA_BROKERS,
                clientId,
                topic: config.AGENT_EVENTS_TOPIC,
              },
            },
            priceCatalog: loadPriceCatalog(config.RUN_PRICE_CATALOG_FILE),
            leases: {
              leaseSeconds: config.MISSION_LEASE_SECONDS,
              sweepSeconds: config.MISSION_LEASE_SWEEP_SECONDS,
              runIdleSeconds: config.MISSION_RUN_IDLE_SECONDS,
            },
            dispatch: { agingSeconds: config.MISSION_DISPATCH_AGING_HOURS * 3_600 },
          }),
          imports: [database],
        },
      ],
    };
  }
}
