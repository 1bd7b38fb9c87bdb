import { MIN_INTERNAL_SECRET_LENGTH } from '@mission-control/auth';
import { commaList, kafkaEnv, port, runtimeEnv, Secret } from '@mission-control/config';
import path from 'node:path';
import { z } from 'zod';
import subgraphList from './subgraphs.json';

/**
 * The subgraphs the gateway routes to, from the one list the compose script also reads. Each gets
 * `<NAME>_GRAPHQL_URL` so where a subgraph runs is deploy-time config, never baked into the SDL.
 */
export type SubgraphName = keyof typeof subgraphList;
export const SUBGRAPH_NAMES = Object.keys(subgraphList) as SubgraphName[];
export const subgraphUrlKey = (name: string) =>
  `${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_GRAPHQL_URL`;

// src/ and dist/ sit side by side in the package, so this holds for the sources and the build.
export const DEFAULT_SUPERGRAPH_PATH = path.resolve(__dirname, '..', 'supergraph.graphql');

const httpUrl = z.url({ protocol: /^https?$/ });
const limit = (defaultValue: number, max: number) =>
  z.coerce.number().int().min(1).max(max).default(defaultValue);

const subgraphUrlsEnv = z
  .object(
    Object.fromEntries(
      SUBGRAPH_NAMES.map((name) => [subgraphUrlKey(name), httpUrl.default(subgraphList[name].url)]),
    ),
  )
  .transform((env) => ({
    subgraphUrls: Object.fromEntries(
      SUBGRAPH_NAMES.map((name) => [name, String(env[subgraphUrlKey(name)])]),
    ),
  }));

const gatewayEnv = runtimeEnv.extend(kafkaEnv.shape).extend({
  GATEWAY_PORT: port(4000),
  /** Signs the principal forwarded to subgraphs; shared with every service, never with clients. */
  INTERNAL_AUTH_SECRET: z
    .string()
    .min(MIN_INTERNAL_SECRET_LENGTH, `at least ${MIN_INTERNAL_SECRET_LENGTH} characters`)
    .transform((value) => new Secret(value)),
  /**
   * Shared with the web server only: it signs the browser's address with it when it calls the
   * graph for a browser (log-in, sign-up), so login limits count browsers, not the web server.
   * Unset: no such claim is believed.
   */
  CLIENT_ADDRESS_SECRET: z
    .string()
    .min(MIN_INTERNAL_SECRET_LENGTH, `at least ${MIN_INTERNAL_SECRET_LENGTH} characters`)
    .transform((value) => new Secret(value))
    .optional(),
  AUTH_ISSUER: z.string().min(1).default('mission-control'),
  AUTH_AUDIENCE: z.string().min(1).default('mission-control'),
  IDENTITY_JWKS_URL: httpUrl.default('http://127.0.0.1:4001/.well-known/jwks.json'),
  /** The composed supergraph (see scripts/compose-supergraph.mjs); shipped with the gateway. */
  GATEWAY_SUPERGRAPH_PATH: z.string().min(1).default(DEFAULT_SUPERGRAPH_PATH),
  GRAPHQL_MAX_DEPTH: limit(12, 100),
  GRAPHQL_MAX_ALIASES: limit(15, 1_000),
  // A run's log page at its documented largest (`log(first: 1000)`, ~19,900) must fit; lists
  // nested in lists still multiply past it.
  GRAPHQL_MAX_COST: limit(25_000, 1_000_000),
  GRAPHQL_MAX_TOKENS: limit(2_000, 100_000),
  GRAPHQL_MAX_DIRECTIVES: limit(50, 1_000),
  GRAPHQL_MAX_BATCH: limit(10, 100),
  /** Operations per minute, per replica: per signed-in principal, and per address without a token. */
  RATE_LIMIT_PER_PRINCIPAL_PER_MINUTE: limit(1_200, 1_000_000),
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: limit(120, 1_000_000),
  /**
   * Queries executing at once in this process; the rest wait in order. 0: no limit. Where the
   * subgraphs share the gateway's process (standalone), a small number keeps reads from crowding
   * out mutations and live push.
   */
  GATEWAY_QUERY_CONCURRENCY: z.coerce.number().int().min(0).max(10_000).default(0),
  /** Event topics pushed live to browsers (socket.io) and subscribers (graphql-ws). */
  LIVE_TOPICS: commaList().default(['identity.events.v1', 'agent.events.v1', 'mission.events.v1']),
  /** Recent events each replica keeps, and how far back it starts, for clients that reconnect. */
  LIVE_BUFFER_EVENTS: limit(50_000, 5_000_000),
  // Revocations are learned from this window: shorter than an access token's life (900 s), tokens
  // older than it could not be vouched for and would be refused.
  LIVE_REPLAY_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(900, 'must cover an access token’s life (900 s)')
    .max(86_400)
    .default(900),
  /** Origins of the web app allowed to open a socket. */
  /** Load balancers or ingresses in front of the gateway, whose X-Forwarded-For is believed. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  CORS_ORIGINS: commaList().default(['http://localhost:3000', 'http://127.0.0.1:3000']),
});

export const gatewayConfigSchema = gatewayEnv.and(subgraphUrlsEnv);

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
