import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';
import { workspaceRoot as root } from './infra';
import { testRunId } from './test-env';

export type Stack = {
  gatewayUrl: string;
  /** The web app's origin, when the stack was started with it. */
  webUrl?: string;
  /** Each subgraph service's base URL, by name. */
  serviceUrls: Record<string, string>;
  /** The Kafka topics the services' relays publish to and the gateway pushes from, by service. */
  topics: Record<string, string>;
  /** Each process's pid by app name (the services, `gateway`, `web`). */
  pids: Record<string, number>;
  stop(): Promise<void>;
};

type Running = { name: string; child: ChildProcess; output: string[] };

const running = (app: Running) => app.child.exitCode === null && app.child.signalCode === null;

export type StackOptions = {
  /** Also the web app's production build, served as `next start` serves it. */
  web?: boolean;
  gatewayEnv?: Record<string, string>;
  /** What every process gets on top of this one's environment (e.g. DATABASE_URL, limits). */
  env?: Record<string, string>;
  /** Prefixes topics and consumer groups; the test run's id by default. */
  runId?: string;
  /** `test` by default; benchmarks run `production`. */
  nodeEnv?: string;
};

function start(
  name: string,
  dir: string,
  env: Record<string, string>,
  args = ['dist/main.js'],
): Running {
  const child = spawn(process.execPath, args, {
    cwd: path.join(root, dir),
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  }
  return { name, child, output };
}

async function waitReady(
  app: Running,
  url: string,
  probe = '/ready',
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!running(app)) {
      throw new Error(`${app.name} exited (${app.child.exitCode}):\n${app.output.join('')}`);
    }
    const status = await fetch(`${url}${probe}`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${app.name} not ready at ${url} after ${timeoutMs} ms:\n${app.output.join('')}`);
}

async function stopApp(app: Running): Promise<void> {
  if (!running(app)) {
    return;
  }
  const exited = new Promise((resolve) => app.child.once('exit', resolve));
  app.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise((resolve) => (timer = setTimeout(resolve, 10_000)));
  await Promise.race([exited, late]);
  clearTimeout(timer);
  if (running(app)) {
    app.child.kill('SIGKILL');
  }
}

/**
 * Every subgraph service the gateway composes (gateway/src/subgraphs.json) and the gateway itself,
 * built (`nx` builds them before this project's tests) and started as they run in production, on
 * free ports, against this test run's database and topics.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const subgraphs = JSON.parse(
    readFileSync(path.join(root, 'gateway/src/subgraphs.json'), 'utf8'),
  ) as Record<string, unknown>;
  const names = Object.keys(subgraphs);
  const runId = options.runId ?? testRunId();
  const common = { ...(options.nodeEnv ? { NODE_ENV: options.nodeEnv } : {}), ...options.env };
  const serviceUrls: Record<string, string> = {};
  const topics: Record<string, string> = {};
  const services: Running[] = [];
  for (const name of names) {
    topics[name] = `${runId}.${name}.events.v1`;
  }
  // One name means one topic everywhere: a producer's relay and its consumers read the same key.
  const topicEnv = Object.fromEntries(
    names.map((name) => [`${name.toUpperCase()}_EVENTS_TOPIC`, topics[name]!]),
  );
  for (const name of names) {
    const port = await freePort();
    const key = name.toUpperCase();
    serviceUrls[name] = `http://127.0.0.1:${port}`;
    services.push(
      start(name, `services/${name}`, {
        ...common,
        ...topicEnv,
        [`${key}_PORT`]: String(port),
        // This run's own consumer group: runs on other topics must not share (and rebalance) it.
        ANALYTICS_CONSUMER_GROUP: `${runId}.analytics`,
        // Written elsewhere than the repository: the committed SDL is checked by the service's spec.
        [`${key}_SCHEMA_FILE`]: path.join(
          mkdtempSync(path.join(tmpdir(), 'e2e-sdl-')),
          'schema.graphql',
        ),
      }),
    );
  }
  const gatewayPort = await freePort();
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const webUrl = options.web ? `http://127.0.0.1:${await freePort()}` : undefined;
  // The web server signs each browser's address with it; the gateway believes only that.
  const clientAddressSecret = randomBytes(32).toString('base64url');
  const gateway = start('gateway', 'gateway', {
    ...common,
    GATEWAY_PORT: String(gatewayPort),
    ...Object.fromEntries(
      names.map((name) => [`${name.toUpperCase()}_GRAPHQL_URL`, `${serviceUrls[name]}/graphql`]),
    ),
    IDENTITY_JWKS_URL: `${serviceUrls.identity}/.well-known/jwks.json`,
    LIVE_TOPICS: Object.values(topics).join(','),
    ...(webUrl ? { CORS_ORIGINS: webUrl } : {}),
    CLIENT_ADDRESS_SECRET: clientAddressSecret,
    ...options.gatewayEnv,
  });
  // The production build (`next build`), served as `next start` serves it.
  const web = webUrl
    ? start(
        'web',
        'web',
        {
          ...options.env,
          NODE_ENV: 'production',
          GATEWAY_URL: gatewayUrl,
          PUBLIC_GATEWAY_URL: gatewayUrl,
          CLIENT_ADDRESS_SECRET: clientAddressSecret,
          // The spec stands in for the proxy in front: its X-Forwarded-For entry is the browser.
          TRUST_PROXY_HOPS: '1',
        },
        [
          require.resolve('next/dist/bin/next', { paths: [path.join(root, 'web')] }),
          'start',
          '--hostname',
          '127.0.0.1',
          '--port',
          new URL(webUrl).port,
        ],
      )
    : undefined;
  const apps = [...services, gateway, ...(web ? [web] : [])];
  try {
    await Promise.all(services.map((app, index) => waitReady(app, serviceUrls[names[index]!]!)));
    await waitReady(gateway, gatewayUrl);
    if (web && webUrl) {
      await waitReady(web, webUrl, '/health');
    }
  } catch (error) {
    await Promise.all(apps.map(stopApp));
    throw error;
  }
  return {
    gatewayUrl,
    webUrl,
    serviceUrls,
    topics,
    pids: Object.fromEntries(apps.map((app) => [app.name, app.child.pid!])),
    stop: async () => {
      await Promise.all(apps.map(stopApp));
    },
  };
}
