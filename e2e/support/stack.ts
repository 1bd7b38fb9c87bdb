import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, testRunId } from '@mission-control/testing';

const root = path.resolve(__dirname, '..', '..');

export type Stack = {
  gatewayUrl: string;
  identityUrl: string;
  /** The Kafka topic identity's relay publishes to and the gateway pushes from. */
  identityTopic: string;
  stop(): Promise<void>;
};

type Running = { name: string; child: ChildProcess; output: string[] };

function start(name: string, dir: string, env: Record<string, string>): Running {
  const child = spawn(process.execPath, ['dist/main.js'], {
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

async function waitReady(app: Running, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!running(app)) {
      throw new Error(`${app.name} exited (${app.child.exitCode}):\n${app.output.join('')}`);
    }
    const status = await fetch(`${url}/ready`).then(
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

const running = (app: Running) => app.child.exitCode === null && app.child.signalCode === null;

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
 * The identity service and the gateway, built (`nx` builds them before this project's tests) and
 * started as they run in production, on free ports, against this test run's database and topics.
 */
export async function startStack(): Promise<Stack> {
  const [identityPort, gatewayPort] = [await freePort(), await freePort()];
  const identityUrl = `http://127.0.0.1:${identityPort}`;
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const identityTopic = `${testRunId()}.identity.events.v1`;
  const identity = start('identity', 'services/identity', {
    IDENTITY_PORT: String(identityPort),
    IDENTITY_EVENTS_TOPIC: identityTopic,
    // Written elsewhere than the repository: the committed SDL is checked by identity's own spec.
    IDENTITY_SCHEMA_FILE: path.join(mkdtempSync(path.join(tmpdir(), 'e2e-sdl-')), 'schema.graphql'),
  });
  const gateway = start('gateway', 'gateway', {
    GATEWAY_PORT: String(gatewayPort),
    IDENTITY_GRAPHQL_URL: `${identityUrl}/graphql`,
    IDENTITY_JWKS_URL: `${identityUrl}/.well-known/jwks.json`,
    LIVE_TOPICS: identityTopic,
  });
  const apps = [identity, gateway];
  try {
    await waitReady(identity, identityUrl);
    await waitReady(gateway, gatewayUrl);
  } catch (error) {
    await Promise.all(apps.map(stopApp));
    throw error;
  }
  return {
    gatewayUrl,
    identityUrl,
    identityTopic,
    stop: async () => {
      await Promise.all(apps.map(stopApp));
    },
  };
}
