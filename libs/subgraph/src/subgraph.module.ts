import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloFederationDriver, type ApolloFederationDriverConfig } from '@nestjs/apollo';
import {
  type DynamicModule,
  Logger,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  RequestMethod,
  type Type,
} from '@nestjs/common';
import { type BuildSchemaOptions, GraphQLModule } from '@nestjs/graphql';
import {
  formatGraphQLError,
  graphQLRequestIdPlugin,
  QueryLane,
  queryLanePlugin,
} from '@mission-control/platform';
import { EdgeProofMiddleware } from './edge-proof.middleware';
import {
  SUBGRAPH_SCHEMA_OPTIONS,
  SubgraphSchemaWriter,
  type SubgraphSchemaOptions,
} from './subgraph-schema.writer';

const GRAPHQL_PATH = '/graphql';

/**
 * A service's Apollo Federation 2 subgraph (NestJS code first) at `/graphql`: coded errors with
 * the request id (P5), no stack traces, the express request in the context for the auth guard,
 * its SDL written for the gateway's composition, and nobody but the gateway let in (its signed
 * edge proof, checked with AuthModule's internal secret; /health and /ready stay open).
 */
@Module({})
export class SubgraphModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(EdgeProofMiddleware)
      .forRoutes({ path: GRAPHQL_PATH, method: RequestMethod.ALL });
  }

  /**
   * `scope`: the service's module. Its resolvers, and the types declared with
   * `registerIn: () => <that module>`, make up the schema: code-first type metadata is global to
   * the process, and standalone mode runs every service in one.
   */
  static forRoot(
    options: SubgraphSchemaOptions & {
      scope: Type;
      /** Queries executing at once (SUBGRAPH_QUERY_CONCURRENCY); see QueryLane. */
      queryConcurrency: number;
    },
  ): DynamicModule {
    const { scope, queryConcurrency, ...schemaOptions } = options;
    const logger = new Logger('GraphQL');
    return {
      module: SubgraphModule,
      imports: [
        GraphQLModule.forRoot<ApolloFederationDriverConfig>({
          driver: ApolloFederationDriver,
          path: GRAPHQL_PATH,
          include: [scope],
          // The federated schema build (@nestjs/graphql 13) does not pass `include` on to the type
          // filter as the plain one does; handing it over here keeps other services' types out.
          buildSchemaOptions: { includeModules: [scope] } as BuildSchemaOptions,
          // Built in memory; SubgraphSchemaWriter writes the federation SDL the gateway composes.
          autoSchemaFile: { federation: 2 },
          sortSchema: true,
          // The guard (libs/auth) and the resolvers read the express request from here.
          context: ({ req }: { req: unknown }) => ({ req }),
          // Guards also run for field and entity-reference resolvers (`_entities` from the
          // gateway): deny by default covers every way into the subgraph, not only root fields.
          fieldResolverEnhancers: ['guards'],
          formatError: formatGraphQLError,
          plugins: [
            graphQLRequestIdPlugin({ error: (fields, message) => logger.error(fields, message) }),
            queryLanePlugin(new QueryLane(queryConcurrency)),
            // Timing traces are for Apollo's hosted tracing, which we do not use; without this
            // every subgraph announces them on start.
            ApolloServerPluginInlineTraceDisabled(),
            // Cache hints are for HTTP caches in front of a server; nothing caches behind the
            // gateway. Enabled, the plugin wraps every field's resolution (an LRU lookup per
            // field): a sixth of a 300-card board's CPU in a profile.
            ApolloServerPluginCacheControlDisabled(),
          ],
          includeStacktraceInErrorResponses: false,
        }),
      ],
      providers: [
        { provide: SUBGRAPH_SCHEMA_OPTIONS, useValue: schemaOptions },
        SubgraphSchemaWriter,
      ],
      exports: [SubgraphSchemaWriter],
    };
  }
}
