import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  APPS,
  type AppName,
  APP_NAMES,
  checkAppEnv,
  portKey,
  SERVICE_NAMES,
} from './support/app-config';
import { DEPLOY_DIR, REPO_ROOT } from './support/paths';

type DependsOn = Record<string, { condition: string }>;
type ComposeService = {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: DependsOn | string[];
  ports?: string[];
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  healthcheck?: { test: string[] };
  restart?: string;
};
type Compose = { services: Record<string, ComposeService> };

const COMPOSE_FILE = path.join(DEPLOY_DIR, 'compose.yaml');

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error}, and $$ for a literal $. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(
    /\$\$|\$\{(\w+)(?::?([-?])([^}]*))?\}/g,
    (match, name?: string, op?: string, arg?: string) => {
      if (match === '$$') {
        return '$';
      }
      const value = env[name!];
      if (value !== undefined && value !== '') {
        return value;
      }
      if (op === '?') {
        throw new Error(`compose would stop: ${name} is required (${arg})`);
      }
      return op === '-' ? (arg ?? '') : '';
    },
  );
}

/** Like compose: parse first (with YAML merge keys, which the file uses), then interpolate scalars. */
function load(env: Record<string, string>): Compose {
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      return interpolate(node, env);
    }
    if (Array.isArray(node)) {
      return node.map(walk);
    }
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value)]));
    }
    return node;
  };
  return walk(parseYaml(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true })) as Compose;
}

const envOf = (service: ComposeService): Record<string, string> => {
  const environment = service.environment ?? {};
  const pairs: [string, string][] = Array.isArray(environment)
    ? environment.map((item) => [
        item.slice(0, item.indexOf('=')),
        item.slice(item.indexOf('=') + 1),
      ])
    : Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)]);
  return Object.fromEntries(pairs);
};
const dependsOf = (service: ComposeService): DependsOn =>
  Array.isArray(service.depends_on)
    ? Object.fromEntries(service.depends_on.map((name) => [name, { condition: 'service_started' }]))
    : (service.depends_on ?? {});

let compose: Compose;
let secrets: Record<string, string>;

beforeAll(() => {
  // deploy/.env as the docs make it.
  const run = spawnSync(process.execPath, [path.join(DEPLOY_DIR, 'generate-secrets.mjs')], {
    encoding: 'utf8',
  });
  expect(run.status).toBe(0);
  secrets = Object.fromEntries(
    run.stdout
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  compose = load(secrets);
});

describe('deploy/compose.yaml', () => {
  it('refuses to start without the generated secrets', () => {
    expect(() => load({})).toThrow(/INTERNAL_AUTH_SECRET is required.*generate-secrets/);
  });

  it('runs the real engines: Postgres, Kafka in KRaft mode, Elasticsearch, InfluxDB 1.x', () => {
    const { postgres, kafka, elasticsearch, influxdb } = compose.services;
    expect(postgres?.image).toMatch(/^postgres:\d+/);
    expect(kafka?.image).toMatch(/^apache\/kafka:\d+\.\d+\.\d+$/);
    expect(envOf(kafka!).KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(envOf(kafka!).KAFKA_ADVERTISED_LISTENERS).toBe('PLAINTEXT://kafka:9092');
    // The analytics client's major (client major = server major).
    const client = (
      JSON.parse(readFileSync(path.join(REPO_ROOT, 'services/analytics/package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      }
    ).dependencies['@elastic/elasticsearch']!;
    const major = /\d+/.exec(client)![0];
    expect(elasticsearch?.image).toMatch(
      new RegExp(`^docker\\.elastic\\.co/elasticsearch/elasticsearch:${major}\\.`),
    );
    expect(envOf(elasticsearch!)).toMatchObject({
      'discovery.type': 'single-node',
      'xpack.security.enabled': 'false',
    });
    expect(influxdb?.image).toMatch(/^influxdb:1\.\d+/);
    for (const engine of [postgres, kafka, elasticsearch, influxdb]) {
      expect(engine?.healthcheck?.test.length).toBeGreaterThan(0);
    }
  });

  it.each(APP_NAMES)('builds %s from its Dockerfile', (app) => {
    const service = compose.services[app]!;
    expect(service.build?.context).toBe('..');
    expect(service.build?.dockerfile).toBe(`deploy/docker/${app}.Dockerfile`);
    expect(
      existsSync(path.join(DEPLOY_DIR, service.build!.context, service.build!.dockerfile)),
    ).toBe(true);
    expect(service.image).toBe(`mission-control/${app}:dev`);
  });

  it.each(APP_NAMES)(
    'gives %s the environment its config schema requires, wired to the engines',
    async (app) => {
      const env = envOf(compose.services[app]!);
      expect(env[portKey(app)]).toBe(String(APPS[app].port));
      expect(env.NODE_ENV).toBe('production');
      expect(env[app === 'web' ? 'HOSTNAME' : 'HOST']).toBe('0.0.0.0');
      expect(await checkAppEnv(app, env)).toEqual([]);
    },
  );

  it('points the gateway at every subgraph of gateway/src/subgraphs.json and at the identity JWKS', () => {
    const env = envOf(compose.services.gateway!);
    const subgraphs = Object.keys(
      JSON.parse(
        readFileSync(path.join(REPO_ROOT, 'gateway/src/subgraphs.json'), 'utf8'),
      ) as object,
    );
    expect(
      Object.fromEntries(Object.entries(env).filter(([key]) => key.endsWith('_GRAPHQL_URL'))),
    ).toEqual(
      Object.fromEntries(
        subgraphs.map((name) => [
          `${name.toUpperCase()}_GRAPHQL_URL`,
          `http://${name}:${APPS[name as AppName].port}/graphql`,
        ]),
      ),
    );
    expect(env.IDENTITY_JWKS_URL).toBe('http://identity:4001/.well-known/jwks.json');
    expect(env.INTERNAL_AUTH_SECRET).toBe(secrets.INTERNAL_AUTH_SECRET);
  });

  it('shares one internal secret and one database between the apps that need them', () => {
    const services = SERVICE_NAMES.map((name) => envOf(compose.services[name]!));
    expect(new Set(services.map((env) => env.INTERNAL_AUTH_SECRET))).toEqual(
      new Set([secrets.INTERNAL_AUTH_SECRET]),
    );
    const urls = new Set(
      [...services, envOf(compose.services.migrations!)].map((env) => env.DATABASE_URL),
    );
    expect([...urls]).toEqual([
      'postgresql://mission_control:mission_control@postgres:5432/mission_control',
    ]);
    expect(envOf(compose.services.web!).INTERNAL_AUTH_SECRET).toBeUndefined();
    // The web server vouches for browser addresses with it; the gateway checks them.
    expect(envOf(compose.services.web!).CLIENT_ADDRESS_SECRET).toBe(secrets.CLIENT_ADDRESS_SECRET);
    expect(envOf(compose.services.gateway!).CLIENT_ADDRESS_SECRET).toBe(
      secrets.CLIENT_ADDRESS_SECRET,
    );
  });

  it('starts everything in dependency order: engines, migrations, services, gateway, web', () => {
    const depends = (name: string) =>
      Object.fromEntries(
        Object.entries(dependsOf(compose.services[name]!)).map(([dep, d]) => [dep, d.condition]),
      );
    expect(depends('migrations')).toEqual({ postgres: 'service_healthy' });
    for (const service of SERVICE_NAMES) {
      expect(depends(service)).toEqual({
        migrations: 'service_completed_successfully',
        kafka: 'service_healthy',
        ...(service === 'analytics'
          ? { elasticsearch: 'service_healthy', influxdb: 'service_healthy' }
          : {}),
      });
    }
    const subgraphs = Object.keys(
      JSON.parse(
        readFileSync(path.join(REPO_ROOT, 'gateway/src/subgraphs.json'), 'utf8'),
      ) as object,
    );
    expect(depends('gateway')).toEqual({
      kafka: 'service_healthy',
      ...Object.fromEntries(subgraphs.map((name) => [name, 'service_healthy'])),
    });
    expect(depends('web')).toEqual({ gateway: 'service_healthy' });

    // And the graph has an order at all (no cycle), ending with the web app.
    const order: string[] = [];
    const visiting = new Set<string>();
    const visit = (name: string) => {
      if (order.includes(name)) {
        return;
      }
      expect(visiting.has(name)).toBe(false);
      visiting.add(name);
      for (const dep of Object.keys(dependsOf(compose.services[name]!))) {
        expect(compose.services[dep]).toBeDefined();
        visit(dep);
      }
      order.push(name);
    };
    Object.keys(compose.services).forEach(visit);
    expect(order.indexOf('migrations')).toBeLessThan(
      Math.min(...SERVICE_NAMES.map((s) => order.indexOf(s))),
    );
    expect(order.at(-1)).toBe('web');
  });

  it.each(APP_NAMES)(
    'runs %s as in Kubernetes: read-only root, writable /tmp, no capabilities, a readiness check',
    (app) => {
      const service = compose.services[app]!;
      expect(service.read_only).toBe(true);
      expect(service.tmpfs).toContain('/tmp');
      expect(service.cap_drop).toEqual(['ALL']);
      const probe = service.healthcheck?.test.join(' ') ?? '';
      expect(probe).toContain(app === 'web' ? '/health' : '/ready');
    },
  );

  it('publishes only the web app and the gateway', () => {
    const published = Object.entries(compose.services)
      .filter(([, service]) => service.ports?.length)
      .map(([name, service]) => [name, service.ports]);
    expect(published).toEqual([
      ['gateway', ['4000:4000']],
      ['web', ['3000:3000']],
    ]);
    expect(envOf(compose.services.web!).PUBLIC_GATEWAY_URL).toBe('http://localhost:4000');
    expect(envOf(compose.services.gateway!).CORS_ORIGINS).toContain('http://localhost:3000');
  });
});
