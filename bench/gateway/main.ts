// `npm run bench:gateway`: what the gateway adds to a query (the same query direct to the identity
// subgraph, in the same run), and how fast one gateway process fans an event out to N sockets.
// Runs the built identity service and gateway as processes, on a database and topics of its own.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { AccessTokenVerifier, generateSigningKey } from '@mission-control/auth';
import { migrateDatabase } from '@mission-control/database';
import { KafkaTransport, silentLogger } from '@mission-control/eventing';
import { createEnvelope, encodeEvent, toKafkaHeaders } from '@mission-control/proto';
import {
  createDatabase,
  dropDatabase,
  engineEnv,
  ensureEngines,
  freePort,
  gatewayHeaders,
} from '@mission-control/testing';
import { rawWriteLoop } from './raw-fanout';
import {
  cpuMeter,
  elapsedSeconds,
  fmtCpu,
  fmtMs,
  now,
  percentiles,
  progress,
  round1,
  round2,
  runBenchmark,
  sleep,
  table,
  type CpuUse,
  type Percentiles,
} from '../support/harness';

const root = path.resolve(__dirname, '..', '..', '..');
const QUERY = { warmup: 300, samples: 3_000, round: 100 };
const FANOUT = {
  sockets: Number(process.env.BENCH_SOCKETS ?? 10_000),
  workers: 4,
  events: 20,
  intervalMs: 500,
};
const GOALS = { addedP50Ms: 1.5, fanoutP99Ms: 100, sockets: 10_000 };
const ME = '{ me { id email } }';

type App = { name: string; child: ChildProcess; url: string; log: string[] };

async function startApp(
  name: string,
  dir: string,
  port: number,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<App> {
  const child = spawn(process.execPath, [...nodeArgs, 'dist/main.js'], {
    cwd: path.join(root, dir),
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = now() + 60_000;
  while (now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited (${child.exitCode}):\n${log.join('')}`);
    }
    const status = await fetch(`${url}/ready`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) {
      progress(`  ${name} ready on ${url} (pid ${child.pid})`);
      return { name, child, url, log };
    }
    await sleep(250);
  }
  child.kill('SIGKILL');
  throw new Error(`${name} not ready after 60 s:\n${log.join('')}`);
}

async function graphql<T>(
  url: string,
  query: string,
  headers: Record<string, string> = {},
  variables: Record<string, unknown> = {},
): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!body.data || body.errors) {
    throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
  }
  return body.data;
}

const rssMb = (pid: number): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
};

// ---- 1. What the gateway adds to a query -----------------------------------------------------

type QueryResult = { direct: Percentiles; gateway: Percentiles; cpu: CpuUse };

async function queryOverhead(
  identity: App,
  gateway: App,
  token: string,
  secret: string,
): Promise<QueryResult> {
  progress(
    `1. { me } direct to identity vs through the gateway: ${QUERY.samples} each, sequential, interleaved in rounds of ${QUERY.round}`,
  );
  const verifier = new AccessTokenVerifier({
    issuer: 'mission-control',
    audience: 'mission-control',
    jwksUrl: `${identity.url}/.well-known/jwks.json`,
  });
  const principal = await verifier.verify(token);
  // Direct calls carry what the gateway would have signed; signing is the gateway's cost, not theirs.
  let headers = await gatewayHeaders(secret, { principal });
  let signedAt = now();
  const direct = async () => {
    if (now() - signedAt > 30_000) {
      headers = await gatewayHeaders(secret, { principal });
      signedAt = now();
    }
    await graphql(identity.url, ME, headers);
  };
  const through = () => graphql(gateway.url, ME, { authorization: `Bearer ${token}` });
  for (let i = 0; i < QUERY.warmup; i += 1) {
    await direct();
    await through();
  }
  const times = { direct: [] as number[], gateway: [] as number[] };
  const cpu = cpuMeter();
  for (let done = 0; done < QUERY.samples; done += QUERY.round) {
    for (const [kind, call] of [
      ['direct', direct],
      ['gateway', through],
    ] as const) {
      for (let i = 0; i < QUERY.round; i += 1) {
        const started = now();
        await call();
        times[kind].push(now() - started);
      }
    }
    if ((done / QUERY.round) % 10 === 9) {
      progress(`  ${done + QUERY.round}/${QUERY.samples} of each`);
    }
  }
  const result = {
    direct: percentiles(times.direct),
    gateway: percentiles(times.gateway),
    cpu: cpu(),
  };
  progress(`  direct ${fmtMs(result.direct)}`);
  progress(`  gateway ${fmtMs(result.gateway)}`);
  return result;
}

// ---- 2. Fan-out to N sockets ---------------------------------------------------------------------

type FanoutResult = {
  sockets: number;
  connectErrors: number;
  expected: number;
  delivered: number;
  latency: Percentiles;
  connectSeconds: number;
  gatewayRssMb: number;
  gatewayRssBeforeMb: number;
};

async function fanout(
  gateway: App,
  token: string,
  workspaceId: string,
  kafka: Kafka,
  topic: string,
): Promise<FanoutResult> {
  const perWorker = Math.ceil(FANOUT.sockets / FANOUT.workers);
  progress(
    `2. fan-out: ${FANOUT.sockets.toLocaleString('en-US')} socket.io clients in ${FANOUT.workers} processes, ${FANOUT.events} events ${FANOUT.intervalMs} ms apart`,
  );
  const rssBefore = rssMb(gateway.child.pid!);
  const started = now();
  const connected = new Map<number, number>();
  let connectErrors = 0;
  const workers = Array.from({ length: FANOUT.workers }, (_, index) =>
    fork(path.join(__dirname, 'socket-worker.js'), [gateway.url, token, String(perWorker)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }).on('message', (message: { type: string; connected?: number; connectErrors?: number }) => {
      if (message.type === 'progress' || message.type === 'ready') {
        connected.set(index, message.connected ?? 0);
      }
      if (message.type === 'ready') {
        connectErrors += message.connectErrors ?? 0;
      }
    }),
  );
  const ready = workers.map(
    (worker) =>
      new Promise<void>((resolve) =>
        worker.on('message', (message: { type: string }) => message.type === 'ready' && resolve()),
      ),
  );
  let allReady = false;
  void Promise.all(ready).then(() => (allReady = true));
  let lastLine = now();
  while (!allReady) {
    if (now() - lastLine > 2_000) {
      const total = [...connected.values()].reduce((a, b) => a + b, 0);
      progress(
        `  connected ${total.toLocaleString('en-US')} (gateway rss ${rssMb(gateway.child.pid!)} MB)`,
      );
      lastLine = now();
    }
    await sleep(50);
  }
  const sockets = [...connected.values()].reduce((a, b) => a + b, 0);
  const connectSeconds = round1((now() - started) / 1000);
  const rssConnected = rssMb(gateway.child.pid!);
  progress(
    `  ${sockets.toLocaleString('en-US')} connected in ${connectSeconds}s (${connectErrors} refused); gateway rss ${rssConnected} MB`,
  );

  const transport = new KafkaTransport(kafka, { logger: silentLogger });
  for (let n = 1; n <= FANOUT.events; n += 1) {
    const sentAt = performance.timeOrigin + performance.now();
    const envelope = createEnvelope({
      type: 'mission.v1.MissionMoved',
      source: '//mission-control/mission',
      subject: 'mission-bench',
      workspaceId,
      actor: { kind: 'system', id: 'bench' },
      correlationId: 'bench',
      causationId: null,
      streamVersion: n,
    });
    await transport.publish([
      {
        topic,
        key: 'mission-bench',
        value: Buffer.from(
          encodeEvent('mission.v1.MissionMoved', {
            missionId: 'mission-bench',
            rank: String(sentAt),
          }),
        ),
        headers: toKafkaHeaders(envelope),
      },
    ]);
    await sleep(FANOUT.intervalMs);
  }
  await transport.close();
  await sleep(3_000); // the last event's stragglers
  const reports = await Promise.all(
    workers.map(
      (worker) =>
        new Promise<number[]>((resolve) => {
          worker.on('message', (message: { type: string; latencies?: number[] }) => {
            if (message.type === 'latencies') {
              resolve(message.latencies ?? []);
            }
          });
          worker.send({ type: 'report' });
        }),
    ),
  );
  const latencies = reports.flat();
  workers.forEach((worker) => worker.send({ type: 'close' }));
  await Promise.all(
    workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve))),
  );
  const result: FanoutResult = {
    sockets,
    connectErrors,
    expected: sockets * FANOUT.events,
    delivered: latencies.length,
    latency: percentiles(latencies),
    connectSeconds,
    gatewayRssMb: rssConnected,
    gatewayRssBeforeMb: rssBefore,
  };
  progress(
    `  delivered ${result.delivered.toLocaleString('en-US')}/${result.expected.toLocaleString('en-US')}: ${fmtMs(result.latency)}`,
  );
  return result;
}

// ---- Setup, report, cleanup ----------------------------------------------------------------------

async function main(): Promise<void> {
  const runId = `mc_bench_${Date.now().toString(36)}_${process.pid}`;
  progress(`gateway benchmark ${runId}: engines`);
  ensureEngines(['postgres', 'kafka']);
  const env = engineEnv();
  const databaseUrl = await createDatabase(env.DATABASE_URL, runId);
  const kafka = new Kafka({
    clientId: runId,
    brokers: env.KAFKA_BROKERS,
    logLevel: logLevel.NOTHING,
  });
  const liveTopic = `${runId}.live.events.v1`;
  const apps: App[] = [];
  const cleanUp = async () => {
    for (const app of apps) {
      app.child.kill('SIGTERM');
    }
    await sleep(1_500);
    apps.forEach((app) => app.child.kill('SIGKILL'));
    const admin = kafka.admin();
    try {
      await admin.connect();
      const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(runId));
      if (topics.length > 0) {
        await admin.deleteTopics({ topics });
      }
      const { groups } = await admin.listGroups();
      const mine = groups.map((group) => group.groupId).filter((id) => id.startsWith(runId));
      if (mine.length > 0) {
        await admin.deleteGroups(mine).catch(() => undefined);
      }
    } finally {
      await admin.disconnect();
    }
    await dropDatabase(env.DATABASE_URL, runId);
    progress(`cleaned up: processes, topics and database ${runId}`);
  };
  let cleaning: Promise<void> | undefined;
  const cleanUpOnce = () => (cleaning ??= cleanUp());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanUpOnce().finally(() => process.exit(130)));
  }
  try {
    progress('database: migrating the identity schema');
    await migrateDatabase(databaseUrl, { services: ['identity'] });
    const secret = randomBytes(32).toString('base64url');
    const [identityPort, gatewayPort] = [await freePort(), await freePort()];
    progress('starting the built identity service and gateway (NODE_ENV=production)');
    const identity = await startApp('identity', 'services/identity', identityPort, {
      DATABASE_URL: databaseUrl,
      IDENTITY_PORT: String(identityPort),
      IDENTITY_SIGNING_KEY: JSON.stringify(await generateSigningKey()),
      INTERNAL_AUTH_SECRET: secret,
      IDENTITY_EVENTS_TOPIC: `${runId}.identity.events.v1`,
      KAFKA_CLIENT_ID: `${runId}-identity`,
    });
    apps.push(identity);
    const gateway = await startApp(
      'gateway',
      'gateway',
      gatewayPort,
      {
        GATEWAY_PORT: String(gatewayPort),
        IDENTITY_GRAPHQL_URL: `${identity.url}/graphql`,
        IDENTITY_JWKS_URL: `${identity.url}/.well-known/jwks.json`,
        INTERNAL_AUTH_SECRET: secret,
        LIVE_TOPICS: liveTopic,
        KAFKA_CLIENT_ID: `${runId}-gateway`,
        RATE_LIMIT_PER_PRINCIPAL_PER_MINUTE: '1000000',
      },
      // BENCH_CPU_PROFILE_DIR=<dir>: the gateway writes a V8 CPU profile there when it stops.
      process.env.BENCH_CPU_PROFILE_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE_DIR}`]
        : [],
    );
    apps.push(gateway);

    const { signUp } = await graphql<{ signUp: { accessToken: string } }>(
      gateway.url,
      'mutation ($email: String!) { signUp(email: $email, password: "bench password 123", name: "Bench") { accessToken } }',
      {},
      { email: `bench-${runId}@example.com` },
    );
    const auth = { authorization: `Bearer ${signUp.accessToken}` };
    const { createWorkspace } = await graphql<{ createWorkspace: { id: string } }>(
      gateway.url,
      'mutation { createWorkspace(name: "Bench") { id } }',
      auth,
    );
    const { switchWorkspace } = await graphql<{ switchWorkspace: { accessToken: string } }>(
      gateway.url,
      'mutation ($id: String!) { switchWorkspace(workspaceId: $id) { accessToken } }',
      auth,
      { id: createWorkspace.id },
    );
    const token = switchWorkspace.accessToken;

    const query = await queryOverhead(identity, gateway, token, secret);
    const fan = await fanout(gateway, token, createWorkspace.id, kafka, liveTopic);
    progress(
      `3. baseline: one 200-byte write to each of ${FANOUT.sockets.toLocaleString('en-US')} plain TCP sockets, 10 rounds`,
    );
    const raw = await rawWriteLoop(FANOUT.sockets, FANOUT.workers);
    progress(`  ${raw.accepted} sockets: write loop ${fmtMs(raw.loop)}`);
    await cleanUpOnce();
    report(query, fan, raw);
  } finally {
    await cleanUpOnce();
  }
}

function report(
  query: QueryResult,
  fan: FanoutResult,
  raw: Awaited<ReturnType<typeof rawWriteLoop>>,
): void {
  const added = round2(query.gateway.p50 - query.direct.p50);
  const rows = [
    ['{ me } direct to identity', fmtMs(query.direct), '', '', fmtCpu(query.cpu)],
    [
      '{ me } through the gateway',
      fmtMs(query.gateway),
      `direct p50 ${query.direct.p50} ms`,
      `+${added} ms (p50)`,
      '',
    ],
    [
      `fan-out to ${fan.sockets.toLocaleString('en-US')} sockets`,
      fmtMs(fan.latency),
      `${fan.delivered.toLocaleString('en-US')}/${fan.expected.toLocaleString('en-US')} delivered`,
      '',
      `gateway rss ${fan.gatewayRssBeforeMb} → ${fan.gatewayRssMb} MB`,
    ],
    [
      `  plain TCP write loop, ${raw.accepted.toLocaleString('en-US')} sockets`,
      fmtMs(raw.loop),
      `fan-out p99 ${fan.latency.p99} ms`,
      `${round2(fan.latency.p99 / raw.loop.p50)}× (fan-out p99 / loop p50)`,
      '',
    ],
  ];
  process.stdout.write(
    `\n${table(['measurement', 'result', 'baseline', 'added', 'resources'], rows)}\n\n`,
  );
  const goals = {
    added: added <= GOALS.addedP50Ms,
    fanout:
      fan.sockets >= GOALS.sockets &&
      fan.latency.p99 <= GOALS.fanoutP99Ms &&
      fan.delivered === fan.expected,
  };
  process.stdout.write(
    `goal ≤ ${GOALS.addedP50Ms} ms added at p50: ${goals.added ? 'met' : 'NOT met'} (+${added} ms)\n` +
      `goal ${GOALS.sockets.toLocaleString('en-US')} sockets, p99 ≤ ${GOALS.fanoutP99Ms} ms: ${goals.fanout ? 'met' : 'NOT met'} (${fan.sockets} sockets, p99 ${fan.latency.p99} ms, ${fan.delivered}/${fan.expected} delivered)\n`,
  );
  const json = {
    directP50Ms: query.direct.p50,
    gatewayP50Ms: query.gateway.p50,
    addedP50Ms: added,
    sockets: fan.sockets,
    fanoutP99Ms: fan.latency.p99,
    directP99Ms: query.direct.p99,
    gatewayP99Ms: query.gateway.p99,
    fanoutP50Ms: fan.latency.p50,
    fanoutMaxMs: fan.latency.max,
    fanoutDelivered: fan.delivered,
    fanoutExpected: fan.expected,
    connectSeconds: fan.connectSeconds,
    gatewayRssMb: fan.gatewayRssMb,
    rawWriteLoopP50Ms: raw.loop.p50,
    addedGoalMet: goals.added,
    fanoutGoalMet: goals.fanout,
    runSeconds: round1(elapsedSeconds()),
  };
  process.stdout.write(`${JSON.stringify(json)}\n`);
}

runBenchmark(main);
