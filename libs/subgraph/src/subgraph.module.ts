import { ApolloFederationDriver, type ApolloFederationDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { formatGraphQLError, graphQLRequestIdPlugin } from '@mission-control/platform';
import {
  SUBGRAPH_SCHEMA_OPTIONS,
  SubgraphSchemaWriter,
  type SubgraphSchemaOptions,
} from './subgraph-schema.writer';

const GRAPHQL_PATH = '/graphql';

/**
 * A service's Apollo Federation 2 subgraph (NestJS code first) at `/graphql`: coded errors with
 * the request id (P5), no stack traces, the express request in the context for the auth guard,
 * and its SDL written for the gateway's composition.
 */
@Module({})
export class SubgraphModule {
  static forRoot(options: SubgraphSchemaOptions): DynamicModule {
    const logger = new Logger('GraphQL');
    return {
      module: SubgraphModule,
      imports: [
        GraphQLModule.forRoot<ApolloFederationDriverConfig>({
          driver: ApolloFederationDriver,
          path: GRAPHQL_PATH,
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
          ],
          includeStacktraceInErrorResponses: false,
        }),
      ],
      providers: [{ provide: SUBGRAPH_SCHEMA_OPTIONS, useValue: options }, SubgraphSchemaWriter],
      exports: [SubgraphSchemaWriter],
    };
  }
}
