// `npm run bench:federation`: the same board reads through each federation engine in front of the
// same running subgraphs, against the subgraph asked directly (the floor no gateway can beat), so
// the choice of gateway rests on figures from this machine. ADR 0008 holds the result.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Principal } from '@mission-control/auth';
import {
  freePort,
  gatewayHeaders,
  setUpTestRun,
  startStack,
  tearDownTestRun,
  workspaceRoot,
} from '@mission-control/testing';
import { progress, round1, runBenchmark, table } from '../support/harness';
import { CLOCK_TICKS_PER_SEC, procStat } from '../support/processes';
import { UNLIMITED } from '../api/instance';
import { attachProfiler } from '../api/profiler';
import { summarise } from '../api/profile-summary';
import { makeActors, QUERIES, runLoad, seedBoard, type LoadResult } from '../api/workload';
import type { Engine } from './engine-server';

const SETTINGS = {
  seconds: Number(process.env.BENCH_SECONDS ?? 10),
  warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 3),
  missions: Number(process.env.BENCH_MISSIONS ?? 1_000),
  connections: 16,
  /** Each target is measured this many times, the targets taking turns (this machine drifts). */
  rounds: Number(process.env.BENCH_ROUNDS ?? 2),
  /** Only these targets (subgraph, product, apollo, hive, hive-router, hive-router-dedupe); all by default. */
  targets: process.env.BENCH_TARGETS?.split(',').filter(Boolean),
  /** CPU profiles of the mission subgraph, one per shape and target (slower figures). */
  profileDir: process.env.BENCH_PROFILE_DIR,
};

const ENGINES: { engine: Engine; name: string }[] = [
  { engine: 'apollo', name: 'Apollo Gateway 2 (bare)' },
  { engine: 'hive', name: 'Hive Gateway (bare)' },
  { engine: 'hive-router', name: 'Hive Gateway + Rust planner (bare)' },
  { engine: 'hive-router-dedupe', name: 'same, identical queries in flight shared' },
];

type Target = {
  name: string;
  key: string;
  url: string;
  /** The process whose CPU is the target's own (none for the subgraph, measured on its own row). */
  pid?: number;
  /** Signed-in the product's way, or with the subgraph headers the gateway would add. */
  auth: 'token' | 'signed';
};

/** The person's principal as their access token states it (what the gateway would sign). */
function principalOf(token: string): Principal {
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
    string,
    unknown
  >;
  return {
    kind: claims.knd as Principal['kind'],
    subject: claims.sub as string,
    workspaceId: claims.wid as string | null,
    role: claims.rol as Principal['role'],
    scopes: claims.scp as Principal['scopes'],
    ...(typeof claims.sid === 'string' ? { sessionId: claims.sid } : {}),
  };
}

async function startEngine(engine: Engine, subgraphUrls: Record<string, string>) {
  const port = await freePort();
  const child: ChildProcess = fork(
    path.join(__dirname, 'engine-server.js'),
    [engine, String(port)],
    {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        SUPERGRAPH_SDL_PATH: path.join(workspaceRoot, 'gateway', 'supergraph.graphql'),
        SUBGRAPH_URLS: JSON.stringify(
          Object.fromEntries(
            Object.entries(subgraphUrls).map(([name, url]) => [name, `${url}/graphql`]),
          ),
        ),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`${engine} exited (${code}) before listening`)));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill('SIGKILL') };
}

const ticks = (pid: number | undefined) => (pid === undefined ? 0 : (procStat(pid)?.cpuTicks ?? 0));

type Row = {
  target: Target;
  shape: string;
  result: LoadResult;
  targetCpu: number;
  subgraphCpu: number;
};

runBenchmark(async () => {
  progress(
    `federation engines: board reads at c=${SETTINGS.connections}, ${SETTINGS.rounds} rounds of ${SETTINGS.seconds} s, ${SETTINGS.missions} missions`,
  );
  progress('full stack up (engines, a database of this run, every service and the gateway)');
  await setUpTestRun({ services: ['identity', 'agent', 'mission', 'integration', 'analytics'] });
  const stack = await startStack({ nodeEnv: 'production', env: UNLIMITED });
  const engines: { stop(): void }[] = [];
  try {
    const actors = await makeActors(stack.gatewayUrl, 1);
    progress(`seeding ${SETTINGS.missions} missions`);
    await seedBoard(stack.gatewayUrl, actors, SETTINGS.missions);
    const principal = principalOf(actors.boardToken);
    const secret = process.env.INTERNAL_AUTH_SECRET!;
    const { mission, ...others } = stack.serviceUrls;
    const targets: Target[] = [
      {
        name: 'mission subgraph, asked directly (floor)',
        key: 'subgraph',
        url: mission!,
        auth: 'signed',
      },
      {
        name: 'product gateway (Apollo Gateway 2 + the edge)',
        key: 'product',
        url: stack.gatewayUrl,
        pid: stack.pids.gateway,
        auth: 'token',
      },
    ];
    for (const { engine, name } of ENGINES.filter(
      ({ engine }) => !SETTINGS.targets || SETTINGS.targets.includes(engine),
    )) {
      progress(`starting ${name}`);
      const started = await startEngine(engine, { mission: mission!, ...others });
      engines.push(started);
      targets.push({ name, key: engine, url: started.url, pid: started.pid, auth: 'signed' });
    }

    if (SETTINGS.targets) {
      targets.splice(
        0,
        targets.length,
        ...targets.filter((target) => SETTINGS.targets!.includes(target.key)),
      );
    }

    const shapes = [
      { name: 'board first page (20 a column)', key: 'boardPage', query: QUERIES.boardPage },
      { name: `whole board (${SETTINGS.missions})`, key: 'boardFull', query: QUERIES.boardFull },
    ];
    const variables = { workspaceId: actors.boardWorkspace };
    const loadFor = async (target: Target, query: string) =>
      target.auth === 'token'
        ? { query, variables, token: actors.boardToken }
        : { query, variables, headers: await gatewayHeaders(secret, { principal }) };

    progress('each engine gives the subgraph’s own answer');
    for (const shape of shapes) {
      const answers = await Promise.all(
        targets.map(async (target) => {
          const load = await loadFor(target, shape.query);
          const response = await fetch(`${target.url}/graphql`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              ...(load.token ? { authorization: `Bearer ${load.token}` } : {}),
              ...load.headers,
            },
            body: JSON.stringify({ query: shape.query, variables }),
          });
          return (await response.text()).trim();
        }),
      );
      targets.forEach((target, index) => {
        if (answers[index] !== answers[0]) {
          throw new Error(
            `${target.name} answered ${shape.name} otherwise: ${answers[index]!.slice(0, 300)}`,
          );
        }
      });
    }

    const profiler = SETTINGS.profileDir
      ? await attachProfiler(stack.pids.mission!, SETTINGS.profileDir)
      : undefined;
    const rows: Row[] = [];
    for (const shape of shapes) {
      for (let round = 1; round <= SETTINGS.rounds; round += 1) {
        for (const target of targets) {
          const load = await loadFor(target, shape.query);
          await runLoad(target.url, load, SETTINGS.connections, SETTINGS.warmupSeconds);
          const before = { target: ticks(target.pid), subgraph: ticks(stack.pids.mission) };
          const stopProfile = await profiler?.record(
            `subgraph ${shape.key} ${target.key} ${round}`,
          );
          const result = await runLoad(target.url, load, SETTINGS.connections, SETTINGS.seconds);
          const profile = await stopProfile?.();
          const cpu = (pid: number | undefined, from: number) =>
            round1(((ticks(pid) - from) / CLOCK_TICKS_PER_SEC / SETTINGS.seconds) * 100);
          const row: Row = {
            target,
            shape: shape.name,
            result,
            targetCpu: cpu(target.pid, before.target),
            subgraphCpu: cpu(stack.pids.mission, before.subgraph),
          };
          rows.push(row);
          if (profile) {
            const layers = summarise(profile).layers.slice(0, 8);
            progress(
              `    the subgraph's profile (${profile}): ${layers.map((l) => `${l.layer} ${l.share}%`).join(', ')}`,
            );
          }
          progress(
            `  ${shape.name} · round ${round} · ${target.name}: ${result.rps}/s p50 ${result.p50} ms p99 ${result.p99} ms, errors ${result.errors}${result.firstError ? ` (${result.firstError})` : ''}; CPU gateway ${row.targetCpu}%, subgraph ${row.subgraphCpu}%`,
          );
        }
      }
    }

    const figures: Record<string, number> = {};
    const tableRows = rows.map((row) => {
      const perRequestMs = row.target.pid
        ? round1((row.targetCpu * 10) / Math.max(row.result.rps, 1))
        : NaN;
      const shapeKey = shapes.find((shape) => shape.name === row.shape)!.key;
      const key = `${shapeKey}${row.target.key.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}Rps`;
      figures[key] = Math.max(figures[key] ?? 0, row.result.rps);
      return [
        row.shape,
        row.target.name,
        String(row.result.rps),
        `${row.result.p50} / ${row.result.p99}`,
        String(row.result.errors),
        row.target.pid ? `${row.targetCpu}%` : '—',
        Number.isNaN(perRequestMs) ? '—' : `${perRequestMs} ms`,
        `${row.subgraphCpu}%`,
      ];
    });
    process.stdout.write(
      `\n${table(
        [
          'shape',
          'target',
          'req/s',
          'p50 / p99 ms',
          'errors',
          'gateway CPU',
          'gateway CPU a request',
          'subgraph CPU',
        ],
        tableRows,
      )}\n\n`,
    );
    process.stdout.write(
      `${JSON.stringify({ benchmark: 'federation', ...figures, missions: SETTINGS.missions, seconds: SETTINGS.seconds, rounds: SETTINGS.rounds })}\n`,
    );
    profiler?.close();
  } finally {
    for (const engine of engines) {
      engine.stop();
    }
    await stack.stop();
    await tearDownTestRun();
  }
});
