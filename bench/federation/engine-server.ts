// One federation engine in front of the running subgraphs, bare: no auth, limits or error
// shaping of our own, only the subgraph headers the caller sent passed on. Run as a process of its
// own so its CPU is its own: `node engine-server.js <apollo|hive|hive-router> <port>`, with
// SUPERGRAPH_SDL_PATH and SUBGRAPH_URLS (JSON, name → /graphql URL) in the environment.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

/** What the gateway adds to each subgraph call; here the caller signs them and they pass through. */
const PASSED_ON = ['x-mc-edge', 'x-mc-principal', 'x-request-id'];

export type Engine = 'apollo' | 'hive' | 'hive-router' | 'hive-router-dedupe';

/** The composed supergraph with each subgraph's real URL in place of the build's placeholder. */
function supergraphWithUrls(): string {
  const urls = JSON.parse(process.env.SUBGRAPH_URLS ?? '{}') as Record<string, string>;
  return readFileSync(process.env.SUPERGRAPH_SDL_PATH!, 'utf8').replace(
    /@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g,
    (whole, name: string) =>
      urls[name] ? `@join__graph(name: "${name}", url: "${urls[name]}")` : whole,
  );
}

async function apollo(port: number, supergraphSdl: string): Promise<void> {
  const { ApolloGateway, RemoteGraphQLDataSource } = await import('@apollo/gateway');
  const { ApolloServer } = await import('@apollo/server');
  const { startStandaloneServer } = await import('@apollo/server/standalone');
  const { Agent, fetch } = await import('undici');
  // Keep-alive to the subgraphs, as the product's gateway has.
  const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
  type Context = { headers: Record<string, string | string[] | undefined> };
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<Context>({
        url,
        fetcher: ((input: string, init: object) => fetch(input, { ...init, dispatcher })) as never,
        willSendRequest({ request, context }) {
          for (const name of PASSED_ON) {
            const value = (context as Context).headers[name];
            if (typeof value === 'string') {
              request.http?.headers.set(name, value);
            }
          }
        },
      }),
  });
  const server = new ApolloServer<Context>({ gateway, nodeEnv: 'production' });
  await startStandaloneServer(server, {
    listen: { port, host: '127.0.0.1' },
    context: ({ req }) => Promise.resolve({ headers: req.headers }),
  });
}

/**
 * Hive Gateway shares one subgraph fetch among identical queries in flight (same body and
 * headers, so the same caller), on by default. Off unless asked: the benchmark's 16 clients are
 * one person, which would let it skip most of the subgraph's work other gateways do.
 */
async function hive(
  port: number,
  supergraph: string,
  options: { rustPlanner: boolean; dedupe: boolean },
): Promise<void> {
  const { createGatewayRuntime } = await import('@graphql-hive/gateway-runtime');
  const routerRuntime = options.rustPlanner
    ? await import('@graphql-hive/router-runtime')
    : undefined;
  const gateway = createGatewayRuntime({
    supergraph,
    logging: 'error',
    graphiql: false,
    landingPage: false,
    transportEntries: { '*.http': { options: { deduplicateInflightRequests: options.dedupe } } },
    ...(routerRuntime ? { unifiedGraphHandler: routerRuntime.unifiedGraphHandler } : {}),
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) =>
        Object.fromEntries(
          PASSED_ON.flatMap((name) => {
            const value = request.headers.get(name);
            return value === null ? [] : [[name, value]];
          }),
        ),
    },
  });
  await new Promise<void>((resolve) =>
    createServer((request, response) => {
      void gateway(request, response);
    }).listen(port, '127.0.0.1', () => resolve()),
  );
}

async function main(): Promise<void> {
  const engine = process.argv[2] as Engine;
  const port = Number(process.argv[3]);
  const sdl = supergraphWithUrls();
  if (engine === 'apollo') {
    await apollo(port, sdl);
  } else if (engine.startsWith('hive')) {
    await hive(port, sdl, {
      rustPlanner: engine !== 'hive',
      dedupe: engine === 'hive-router-dedupe',
    });
  } else {
    throw new Error(`unknown engine ${engine}`);
  }
  process.send?.('listening');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
