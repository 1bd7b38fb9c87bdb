import path from 'node:path';
import { ApolloFederationDriver, type ApolloFederationDriverConfig } from '@nestjs/apollo';
import { Logger } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { formatGraphQLError, graphQLRequestIdPlugin } from '@mission-control/platform';

/** Where the subgraph SDL is written at boot, for the gateway to compose: services/identity/. */
export const DEFAULT_SCHEMA_FILE = path.join(__dirname, '..', '..', 'schema.graphql');

export const GRAPHQL_PATH = '/graphql';

/** The identity subgraph (Apollo Federation 2, code first). */
export function identityGraphQLModule() {
  const logger = new Logger('GraphQL');
  return GraphQLModule.forRoot<ApolloFederationDriverConfig>({
    driver: ApolloFederationDriver,
    path: GRAPHQL_PATH,
    // Built in memory; SubgraphSchemaWriter writes the federation SDL the gateway composes.
    autoSchemaFile: { federation: 2 },
    sortSchema: true,
    // The guard (libs/auth) and the resolvers read the express request from here.
    context: ({ req }: { req: unknown }) => ({ req }),
    formatError: formatGraphQLError,
    plugins: [
      graphQLRequestIdPlugin({ error: (fields, message) => logger.error(fields, message) }),
    ],
    includeStacktraceInErrorResponses: false,
  });
}
