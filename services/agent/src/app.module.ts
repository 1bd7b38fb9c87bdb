import path from 'node:path';
import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@mission-control/auth';
import { postgresReadiness } from '@mission-control/database';
import { EventSourcedServiceModule } from '@mission-control/eventing/nest';
import { KafkaReadiness, PlatformModule } from '@mission-control/platform';
import { SubgraphModule } from '@mission-control/subgraph';
import type { AgentConfig } from './agent.config';
import { AgentModule } from './agent.module';
import { PrismaService } from './database/prisma.service';
import { agentEventStore, AggregateRunner } from './eventing/agent-event-store';
import { AgentRelay } from './eventing/agent-relay';

/** services/agent/schema.graphql, from src/ and dist/ alike. */
const DEFAULT_SCHEMA_FILE = path.join(__dirname, '..', 'schema.graphql');

@Module({})
export class AppModule {
  static forRoot(config: AgentConfig): DynamicModule {
    const clientId = config.KAFKA_CLIENT_ID ?? 'agent';
    const database = EventSourcedServiceModule.forService({
      store: agentEventStore,
      prisma: PrismaService,
      database: { databaseUrl: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE },
      runner: AggregateRunner,
      recordName: 'Agent',
      relay: AgentRelay,
      relayWiring: {
        databaseUrl: config.DATABASE_URL,
        bus: config.EVENT_BUS,
        brokers: config.KAFKA_BROKERS,
        clientId,
        topic: config.AGENT_EVENTS_TOPIC,
      },
    });
    return {
      module: AppModule,
      imports: [
        database,
        PlatformModule.forRoot({
          service: 'agent',
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
          service: 'agent',
          queryConcurrency: config.SUBGRAPH_QUERY_CONCURRENCY,
          scope: AgentModule,
          // Never in production: the image's file system is read-only and the SDL ships with it.
          file:
            config.AGENT_SCHEMA_FILE ??
            (config.NODE_ENV === 'production' ? null : DEFAULT_SCHEMA_FILE),
        }),
        {
          ...AgentModule.forRoot(config),
          imports: [database],
        },
      ],
    };
  }
}
