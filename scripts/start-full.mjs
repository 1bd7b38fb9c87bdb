// `npm run start:full`: the real engines (Kafka, Elasticsearch, InfluxDB, Postgres) up, migrations,
// build, then every service, the gateway and the web app as their own processes, as deployed, with
// prefixed logs. Ctrl-C stops them all. `npm start` is the one-process standalone mode.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { devSecrets } from './dev-secrets.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const log = (message) =>
  console.log(`[start] ${message} (${((Date.now() - started) / 1000).toFixed(1)}s)`);

const apps = [
  { name: 'identity', dir: 'services/identity', port: 4001, portKey: 'IDENTITY_PORT' },
  { name: 'agent', dir: 'services/agent', port: 4002, portKey: 'AGENT_PORT' },
  { name: 'mission', dir: 'services/mission', port: 4003, portKey: 'MISSION_PORT' },
  { name: 'integration', dir: 'services/integration', port: 4004, portKey: 'INTEGRATION_PORT' },
  { name: 'analytics', dir: 'services/analytics', port: 4005, portKey: 'ANALYTICS_PORT' },
  { name: 'gateway', dir: 'gateway', port: 4000, portKey: 'GATEWAY_PORT' },
].map((app) => ({ ...app, port: Number(process.env[app.portKey] ?? app.port), probe: '/ready' }));
const webPort = Number(process.env.WEB_PORT ?? 3000);
apps.push({ name: 'web', dir: 'web', port: webPort, probe: '/health' });

function step(name, command, args) {
  log(`${name}…`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    console.error(`[start] ${name} failed`);
    process.exit(result.status ?? 1);
  }
}

step('engines', 'bash', ['deploy/local/infra.sh', 'up']);
step('migrations', process.execPath, ['scripts/db-migrate.mjs']);
step('build', path.join(root, 'node_modules/.bin/nx'), [
  'run-many',
  '-t',
  'build',
  '--outputStyle=static',
]);

const secrets = await devSecrets(root);
log('secrets: .data/dev-secrets.json');

const children = apps.map((app) => {
  const [command, args] =
    app.name === 'web'
      ? [
          path.join(root, 'node_modules/.bin/next'),
          ['start', '--port', String(app.port), '--hostname', '127.0.0.1'],
        ]
      : [process.execPath, ['dist/main.js']];
  const child = spawn(command, args, {
    cwd: path.join(root, app.dir),
    env: {
      ...process.env,
      ...secrets,
      ...(app.portKey ? { [app.portKey]: String(app.port) } : {}),
      NEXT_TELEMETRY_DISABLED: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        console.log(`${app.name.padEnd(11)}| ${line}`);
      }
    });
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[start] ${app.name} exited (${code ?? signal}); stopping everything`);
      void stop(1);
    }
  });
  return child;
});

let stopping = false;
/** SIGTERM to every app, then exit once all are gone; one still running after 15 s is killed. */
async function stop(code = 0) {
  if (stopping) {
    return;
  }
  stopping = true;
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  const killer = setTimeout(() => running.forEach((child) => child.kill('SIGKILL')), 15_000);
  await Promise.all(
    running.map((child) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return exited;
    }),
  );
  clearTimeout(killer);
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

async function waitUntilReady(app, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${app.port}${app.probe}`);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${app.name} was not ready on port ${app.port} within ${timeoutMs / 1000}s`);
}

try {
  await Promise.all(
    apps.map((app) => waitUntilReady(app).then(() => log(`${app.name} ready on :${app.port}`))),
  );
  log(
    `Mission Control is up: web http://127.0.0.1:${webPort}  gateway http://127.0.0.1:${apps.find((a) => a.name === 'gateway').port}`,
  );
} catch (error) {
  console.error(`[start] ${error.message}`);
  void stop(1);
}
