import {
  type DynamicModule,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  RequestMethod,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AccessTokenVerifier } from '@mission-control/auth';
import { EdgeAuthenticator } from '../auth/edge-authenticator';
import { Revocations } from '../auth/revocations';
import { BodyErrorFilter } from '../http/body-error.filter';
import { noSniffMiddleware } from '../http/no-sniff.middleware';
import type { GatewayConfig } from '../gateway.config';
import { GraphqlController } from './graphql.controller';
import {
  GRAPHQL_EDGE_OPTIONS,
  type GraphqlEdgeOptions,
  SupergraphServer,
} from './supergraph-server';

/** POST /graphql: the federated graph behind JWT verification and request limits. */
@Module({})
export class GraphqlEdgeModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(noSniffMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }

  static forRoot(config: GatewayConfig): DynamicModule {
    const options: GraphqlEdgeOptions = {
      production: config.NODE_ENV === 'production',
      supergraphPath: config.GATEWAY_SUPERGRAPH_PATH,
      subgraphUrls: config.subgraphUrls,
      internalAuthSecret: config.INTERNAL_AUTH_SECRET,
      clientAddressSecret: config.CLIENT_ADDRESS_SECRET,
      limits: {
        maxDepth: config.GRAPHQL_MAX_DEPTH,
        maxAliases: config.GRAPHQL_MAX_ALIASES,
        maxCost: config.GRAPHQL_MAX_COST,
        maxDirectives: config.GRAPHQL_MAX_DIRECTIVES,
        maxTokens: config.GRAPHQL_MAX_TOKENS,
        maxBatch: config.GRAPHQL_MAX_BATCH,
      },
      queryConcurrency: config.GATEWAY_QUERY_CONCURRENCY,
      rateLimits: {
        perPrincipalPerMinute: config.RATE_LIMIT_PER_PRINCIPAL_PER_MINUTE,
        anonymousPerMinute: config.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
      },
    };
    return {
      module: GraphqlEdgeModule,
      controllers: [GraphqlController],
      providers: [
        { provide: GRAPHQL_EDGE_OPTIONS, useValue: options },
        {
          provide: EdgeAuthenticator,
          // One verifier per process: it caches the identity service's JWKS between requests.
          useFactory: () =>
            new EdgeAuthenticator(
              new AccessTokenVerifier({
                issuer: config.AUTH_ISSUER,
                audience: config.AUTH_AUDIENCE,
                jwksUrl: config.IDENTITY_JWKS_URL,
              }),
              // Fed by live push, which reads the identity and agent events this far back.
              new Revocations({ windowMs: config.LIVE_REPLAY_WINDOW_SECONDS * 1000 }),
            ),
        },
        SupergraphServer,
        { provide: APP_FILTER, useClass: BodyErrorFilter },
      ],
      exports: [SupergraphServer, EdgeAuthenticator],
    };
  }
}
