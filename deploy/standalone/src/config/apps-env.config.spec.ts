import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateSigningKey } from '@mission-control/auth';
import { loadConfig, type Env } from '@mission-control/config';
import * as agent from '@mission-control/agent';
import * as analytics from '@mission-control/analytics';
import * as gateway from '@mission-control/gateway';
import * as identity from '@mission-control/identity';
import * as mission from '@mission-control/mission';
import { z } from 'zod';
import { appsEnv, NOT_IN_STANDALONE, type StandaloneOwned } from './apps-env.config';
import {
  envWithArguments,
  launcherSettingsSchema,
  standaloneConfigSchema,
} from './standalone.config';

/** The schemas each app of the process validates its environment with at boot. */
const APPS = {
  identity: identity.identityConfigSchema,
  agent: agent.agentConfigSchema,
  mission: mission.missionConfigSchema,
  analytics: analytics.analyticsConfigSchema,
  gateway: gateway.gatewayConfigSchema,
} satisfies Record<string, z.ZodType>;
type AppName = keyof typeof APPS;

/** For each setting an app reads and standalone passes on: a valid value other than its own. */
/** A price catalog of the operator's: the mission service reads it at boot, so it must exist. */
const priceCatalogFile = path.join(mkdtempSync(path.join(tmpdir(), 'mc-prices-')), 'prices.json');
writeFileSync(
  priceCatalogFile,
  JSON.stringify({
    version: 'ops-1',
    models: { 'our-model': { input: 1, output: 2, cachedInput: 0.1 } },
  }),
);

const OPERATOR_VALUES: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'debug',
  DATABASE_POOL_SIZE: '12',
  AUTH_ISSUER: 'https://mc.example.org',
  AUTH_AUDIENCE: 'mc-api',
  ACCESS_TOKEN_TTL_SECONDS: '600',
  REFRESH_TOKEN_TTL_DAYS: '7',
  INVITATION_TTL_HOURS: '24',
  LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: '8',
  LOGIN_MAX_ATTEMPTS_PER_IP: '40',
  LOGIN_WINDOW_SECONDS: '600',
  IDENTITY_SCHEMA_FILE: '/srv/mc/identity.graphql',
  AGENT_SCHEMA_FILE: '/srv/mc/agent.graphql',
  MISSION_SCHEMA_FILE: '/srv/mc/mission.graphql',
  RUN_PRICE_CATALOG_FILE: priceCatalogFile,
  MISSION_LEASE_SECONDS: '120',
  MISSION_LEASE_SWEEP_SECONDS: '2',
  MISSION_DISPATCH_AGING_HOURS: '6',
  MISSION_RUN_IDLE_SECONDS: '900',
  ANALYTICS_SCHEMA_FILE: '/srv/mc/analytics.graphql',
  AGENT_HEARTBEATS_PER_MINUTE: '60',
  AGENT_OFFLINE_AFTER_SECONDS: '300',
  AGENT_PRESENCE_SWEEP_INTERVAL_MS: '2500',
  AGENT_WAKE_ALLOW_PRIVATE_URLS: 'false',
  AGENT_WAKE_TIMEOUT_MS: '5000',
  AGENT_WAKE_MAX_ATTEMPTS: '5',
  AGENT_WAKE_RETRY_BASE_MS: '10000',
  AGENT_WAKE_RETRY_MAX_MS: '600000',
  AGENT_WAKE_MIN_INTERVAL_MS: '2000',
  AGENT_WAKE_POLL_INTERVAL_MS: '500',
  AGENT_WAKE_RETENTION_HOURS: '24',
  AGENT_HOST_OFFLINE_AFTER_SECONDS: '120',
  AGENT_HOST_SAMPLES_PER_MINUTE: '30',
  AGENT_SUB_AGENT_MAX_TTL_SECONDS: '900',
  AGENT_SUB_AGENT_MAX_LIVE: '4',
  AGENT_SUB_AGENT_SWEEP_INTERVAL_MS: '1000',
  GATEWAY_SUPERGRAPH_PATH: '/srv/mc/supergraph.graphql',
  GRAPHQL_MAX_DEPTH: '20',
  GRAPHQL_MAX_ALIASES: '30',
  GRAPHQL_MAX_COST: '20000',
  GRAPHQL_MAX_TOKENS: '4000',
  GRAPHQL_MAX_DIRECTIVES: '80',
  GRAPHQL_MAX_BATCH: '25',
  RATE_LIMIT_PER_PRINCIPAL_PER_MINUTE: '100000',
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '600',
  GATEWAY_QUERY_CONCURRENCY: '8',
  SUBGRAPH_QUERY_CONCURRENCY: '6',
  LIVE_BUFFER_EVENTS: '200000',
  LIVE_REPLAY_WINDOW_SECONDS: '3600',
  TRUST_PROXY_HOPS: '1',
  CORS_ORIGINS: 'https://mc.example.org',
  // The launcher's own: where the front door listens.
  HOST: '0.0.0.0',
};

/** Settings of the launcher itself, which the apps do not get from it. */
const LAUNCHER_ONLY = Object.keys(launcherSettingsSchema.shape).filter(
  (key) => !['NODE_ENV', 'LOG_LEVEL'].includes(key),
);

const envExampleKeys = [
  ...readFileSync(path.resolve(__dirname, '../../../../.env.example'), 'utf8').matchAll(
    /^([A-Z][A-Z0-9_]*)=/gm,
  ),
].map((match) => match[1]!);

function keysOf(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodObject) {
    return Object.keys(schema.shape);
  }
  if (schema instanceof z.ZodIntersection) {
    return [...keysOf(schema.def.left as z.ZodType), ...keysOf(schema.def.right as z.ZodType)];
  }
  if (schema instanceof z.ZodPipe) {
    return keysOf(schema.def.in as z.ZodType);
  }
  return [];
}

const readers = (key: string) =>
  (Object.keys(APPS) as AppName[]).filter((app) => keysOf(APPS[app]).includes(key));

const appSchemaKeys = [...new Set(Object.values(APPS).flatMap(keysOf))];

let owned: StandaloneOwned;
const CLIENT_ADDRESS_SECRET = 'c'.repeat(43);

beforeAll(async () => {
  owned = {
    DATABASE_URL: 'postgresql://postgres:pw@127.0.0.1:54329/mission_control',
    INTERNAL_AUTH_SECRET: 'i'.repeat(43),
    IDENTITY_SIGNING_KEY: JSON.stringify(await generateSigningKey()),
  };
});

/** `npm start` with this environment: the launcher's config and what its apps boot from. */
function launch(environment: Env) {
  const config = loadConfig(standaloneConfigSchema, envWithArguments([], environment));
  return { config, ...appsEnv(config, owned) };
}

/** An app's config as standalone builds it (service-host.ts; the gateway in front-door.ts). */
function boot(app: AppName, env: Env): Record<string, unknown> {
  return loadConfig(APPS[app], app === 'gateway' ? { ...env, CLIENT_ADDRESS_SECRET } : env);
}

const shown = (value: unknown) => (Array.isArray(value) ? value.join(',') : String(value));

/**
 * Either the operator's value arrives in every app that reads the key, or standalone names the key
 * as one it decides (and the apps still boot on its own value), or it is the launcher's own.
 */
function expectHonouredOrNamed(key: string) {
  if (key in NOT_IN_STANDALONE) {
    const { env, ignored } = launch({ [key]: 'operator-value' });
    expect(ignored).toEqual([key]);
    expect(env[key]).not.toBe('operator-value');
    for (const app of readers(key)) {
      expect(() => boot(app, env)).not.toThrow();
    }
    return;
  }
  const value = OPERATOR_VALUES[key];
  // A key new to .env.example or to an app's schema lands here until this spec or the list says
  // where it belongs.
  expect({ key, operatorValue: value }).toEqual({ key, operatorValue: expect.any(String) });
  if (LAUNCHER_ONLY.includes(key)) {
    expect(shown(launch({ [key]: value }).config[key as 'HOST'])).toBe(value);
    return;
  }
  expect({ key, readBy: readers(key).length > 0 }).toEqual({ key, readBy: true });
  const { env, ignored } = launch({ [key]: value });
  expect(ignored).toEqual([]);
  for (const app of readers(key)) {
    const config = boot(app, env);
    expect({ app, [key]: shown(config[key]) }).toEqual({ app, [key]: value });
    expect(config[key]).not.toEqual(boot(app, launch({}).env)[key]);
  }
}

describe('the environment standalone gives its apps', () => {
  it('boots every subgraph the gateway composes, and the gateway', () => {
    expect(Object.keys(APPS).sort()).toEqual([...gateway.SUBGRAPH_NAMES, 'gateway'].sort());
  });

  it.each(envExampleKeys)('passes %s of .env.example on, or names it as not used', (key) => {
    expectHonouredOrNamed(key);
  });

  it.each(appSchemaKeys.filter((key) => !envExampleKeys.includes(key)))(
    'passes %s, which .env.example leaves out, on, or names it as not used',
    (key) => {
      expectHonouredOrNamed(key);
    },
  );

  it('runs on its own database, secrets and engines, whatever the environment says', () => {
    const { env, ignored } = launch({
      DATABASE_URL: 'postgresql://postgres@db.example.org:5432/mc',
      EVENT_BUS: 'kafka',
      ANALYTICS_SEARCH_ENGINE: 'elasticsearch',
      INTERNAL_AUTH_SECRET: 'x'.repeat(40),
    });

    expect(env).toMatchObject({
      ...owned,
      EVENT_BUS: 'in-process',
      ANALYTICS_SEARCH_ENGINE: 'postgres',
      ANALYTICS_METRICS_ENGINE: 'postgres',
    });
    expect(ignored).toEqual([
      'DATABASE_URL',
      'EVENT_BUS',
      'ANALYTICS_SEARCH_ENGINE',
      'INTERNAL_AUTH_SECRET',
    ]);
  });

  it('keeps its quiet production defaults and small pools when nothing is set', () => {
    const { env, ignored } = launch({});

    expect(env).toMatchObject({
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_POOL_SIZE: '5',
    });
    expect(ignored).toEqual([]);
  });

  it('fails the app that refuses a value, naming the key', () => {
    const { env } = launch({
      AGENT_HEARTBEATS_PER_MINUTE: 'often',
      RATE_LIMIT_PER_PRINCIPAL_PER_MINUTE: '0',
    });

    expect(() => boot('agent', env)).toThrow(/AGENT_HEARTBEATS_PER_MINUTE/);
    expect(() => boot('gateway', env)).toThrow(/RATE_LIMIT_PER_PRINCIPAL_PER_MINUTE/);
  });
});
