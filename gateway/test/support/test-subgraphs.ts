import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  AccessTokenIssuer,
  EDGE_PROOF_HEADER,
  type EdgeProof,
  generateSigningKey,
  type Principal,
  PRINCIPAL_HEADER,
  verifyEdgeProof,
  verifyPrincipalHeader,
} from '@mission-control/auth';
import { GraphQLError, parse } from 'graphql';

export const INTERNAL_SECRET = 'test-internal-secret-0123456789-abcdef';
export const fixtureSdl = (name: 'identity' | 'missions') =>
  readFileSync(path.join(__dirname, '..', 'fixtures', `${name}.graphql`), 'utf8');

export type RunningServer = { url: string; stop: () => Promise<void> };

type SubgraphContext = { principalHeader?: string; requestId?: string; edge: EdgeProof | null };

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The gateway's edge proof, verified as a real subgraph does; null when missing or forged. */
const edgeOf = async (value: string | undefined): Promise<EdgeProof | null> =>
  value === undefined ? null : verifyEdgeProof(value, INTERNAL_SECRET).catch(() => null);

/** What a real subgraph answers a caller that is not the gateway. */
function assertFromGateway(context: unknown): EdgeProof {
  const { edge } = context as SubgraphContext;
  if (edge === null) {
    throw new GraphQLError('Subgraphs answer only the gateway', {
      extensions: { code: 'UNAUTHENTICATED', retryable: false, requestId: 'subgraph-side' },
    });
  }
  return edge;
}

/** The identity stand-in: verifies x-mc-principal the way a real subgraph does. */
export async function startIdentitySubgraph(): Promise<RunningServer> {
  const server = new ApolloServer<SubgraphContext>({
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    schema: buildSubgraphSchema({
      typeDefs: parse(fixtureSdl('identity')),
      resolvers: {
        Query: {
          whoami: async (_root: unknown, _args: unknown, context: unknown) => {
            const { clientAddress } = assertFromGateway(context);
            const { principalHeader, requestId: forwardedId } = context as SubgraphContext;
            if (principalHeader === undefined) {
              return {
                subject: null,
                requestId: forwardedId,
                clientAddress,
                principalHeaderSeen: false,
              };
            }
            const { principal } = await verifyPrincipalHeader(principalHeader, INTERNAL_SECRET);
            // The request id travels in x-request-id; the signed header is shared across requests.
            return {
              ...principal,
              requestId: forwardedId,
              clientAddress,
              principalHeaderSeen: true,
            };
          },
          node: () => ({ id: 'n1', child: null }),
          forbidden: () => {
            throw new GraphQLError('Only admins may read this', {
              extensions: { code: 'FORBIDDEN', retryable: false, requestId: 'subgraph-side' },
            });
          },
          crash: () => {
            throw new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2');
          },
        },
      },
    }),
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({
      principalHeader: header(req.headers[PRINCIPAL_HEADER]),
      requestId: header(req.headers['x-request-id']),
      edge: await edgeOf(header(req.headers[EDGE_PROOF_HEADER])),
    }),
  });
  return { url, stop: () => server.stop() };
}

/** The missions stand-in; `beforeMissions` runs before each `missions` answer (e.g. to hold it). */
export async function startMissionsSubgraph(
  beforeMissions: () => Promise<void> = () => Promise.resolve(),
): Promise<RunningServer> {
  const server = new ApolloServer<Pick<SubgraphContext, 'edge'>>({
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    schema: buildSubgraphSchema({
      typeDefs: parse(fixtureSdl('missions')),
      resolvers: {
        Query: {
          missions: async (_root: unknown, _args: unknown, context: unknown) => {
            assertFromGateway(context);
            await beforeMissions();
            return [{ id: 'm1', title: 'Ship the gateway' }];
          },
        },
        Mutation: {
          touch: (_root: unknown, _args: unknown, context: unknown) => {
            assertFromGateway(context);
            return true;
          },
        },
      },
    }),
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({ edge: await edgeOf(header(req.headers[EDGE_PROOF_HEADER])) }),
  });
  return { url, stop: () => server.stop() };
}

/** The supergraph of the two stand-ins, composed as the compose script does, in a temp file. */
export async function writeFixtureSupergraph(
  names: readonly ('identity' | 'missions')[] = ['identity', 'missions'],
): Promise<string> {
  const result = composeServices(
    names.map((name) => ({
      name,
      typeDefs: parse(fixtureSdl(name)),
      url: `http://${name}.subgraph.invalid/graphql`,
    })),
  );
  if (result.errors) {
    throw new Error(result.errors.map((error) => error.message).join('\n'));
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'mc-gateway-'));
  const file = path.join(dir, 'supergraph.graphql');
  await writeFile(file, result.supergraphSdl);
  return file;
}

/** An identity service's token issuer with its JWKS served over HTTP, as the gateway fetches it. */
export async function startTokenAuthority(): Promise<{
  jwksUrl: string;
  issue: (principal: Principal, options?: { issuedSecondsAgo?: number }) => Promise<string>;
  stop: () => Promise<void>;
}> {
  const key = await generateSigningKey();
  const issuer = new AccessTokenIssuer({
    key,
    issuer: 'mission-control',
    audience: 'mission-control',
    ttlSeconds: 60,
  });
  const server: Server = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(issuer.jwks()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    issue: async (principal, options = {}) => {
      const realNow = Date.now;
      const shifted = realNow() - (options.issuedSecondsAgo ?? 0) * 1000;
      Date.now = () => shifted;
      try {
        return (await issuer.issue(principal)).token;
      } finally {
        Date.now = realNow;
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The gateway's key fetcher keeps its connection alive; a stopped authority drops it.
        server.closeAllConnections();
      }),
  };
}

/** A port nothing listens on: a subgraph that is down. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/graphql`;
}
