import { type DynamicModule, Module } from '@nestjs/common';
import { KafkaReadiness, PlatformModule } from '@mission-control/platform';
import { EdgeAuthenticator } from './auth/edge-authenticator';
import type { GatewayConfig } from './gateway.config';
import { GraphqlEdgeModule } from './graphql/graphql-edge.module';
import { SupergraphServer } from './graphql/supergraph-server';
import { LiveModule } from './live/live.module';
import { LivePush } from './live/live-push.service';
import { McpModule } from './mcp/mcp.module';
import { RestModule } from './rest/rest.module';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const edge = GraphqlEdgeModule.forRoot(config);
    const live = LiveModule.forRootAsync({
      imports: [edge],
      inject: [EdgeAuthenticator],
      useFactory: (authenticator: EdgeAuthenticator) => ({
        bus: config.EVENT_BUS,
        brokers: config.KAFKA_BROKERS,
        clientId: config.KAFKA_CLIENT_ID ?? 'gateway',
        topics: config.LIVE_TOPICS,
        bufferSize: config.LIVE_BUFFER_EVENTS,
        replayWindowMs: config.LIVE_REPLAY_WINDOW_SECONDS * 1000,
        corsOrigins: config.CORS_ORIGINS,
        authenticate: (authorization) => authenticator.authenticateAccess(authorization),
        revocations: authenticator.revocations,
      }),
    });
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'gateway',
          logLevel: config.LOG_LEVEL,
          imports: [edge, live, RestModule.forRoot(edge), McpModule.forRoot(edge)],
          readiness: {
            inject: [SupergraphServer, LivePush],
            useFactory: (supergraph: SupergraphServer, push: LivePush) => [
              // An in-process bus is part of this process: nothing to wait for.
              ...(config.EVENT_BUS === 'kafka'
                ? [new KafkaReadiness(config.KAFKA_BROKERS, config.KAFKA_CLIENT_ID ?? 'gateway')]
                : []),
              supergraph.readiness(),
              push.readiness(),
            ],
          },
        }),
      ],
    };
  }
}
