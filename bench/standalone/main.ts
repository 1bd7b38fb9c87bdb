// `npm run bench:standalone`: seconds from `npm start` to a usable UI, cold (empty data folder) and
// warm (a restart on the same folder), and the resident memory of the whole standalone process
// while the demo squad works. Baseline in the same run: the web app alone under `next start`.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@mission-control/testing';
import {
  elapsedSeconds,
  now,
  progress,
  round1,
  runBenchmark,
  sleep,
  table,
  waitFor,
} from '../support/harness';
import {
  alive,
  argv,
  CLOCK_TICKS_PER_SEC,
  descendants,
  procStat,
  pssMb,
  rssMb,
  treeOf,
  type ProcStat,
} from '../support/processes';

const root = path.resolve(__dirname, '..', '..', '..');
const RUNS = {
  cold: Math.max(1, Number(process.env.BENCH_COLD_RUNS ?? 2)),
  warm: Math.max(1, Number(process.env.BENCH_WARM_RUNS ?? 3)),
  nextAlone: 3,
};
const MEMORY = {
  settleMs: Number(process.env.BENCH_SETTLE_SEC ?? 45) * 1_000,
  sampleWindowMs: 30_000,
  tickMs: 2_500,
};
const TIMEOUT_MS = { cold: 120_000, warm: 60_000, stop: 20_000 };
const GOALS = { coldSec: 15, warmSec: 5, rssMb: 600 };
const POLL_MS = 50;
const STATUS_EVERY_MS = 2_000;
// USER_HZ: the unit of utime/stime in /proc/<pid>/stat on Linux.
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const fmtSec = (seconds: number) => `${seconds.toFixed(1)} s`;
const fmtLoad = () =>
  loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');

// ---- Launching ---------------------------------------------------------------------------------

type Line = { atSec: number; text: string };
type Exit = { code: number | null; signal: NodeJS.Signals | null };

type Launched = {
  name: string;
  child: ChildProcess;
  url: string;
  spawnedAt: number;
  lines: Line[];
  /** Prints what the process says as it says it, until set to false. */
  echo: boolean;
  exit: Exit | undefined;
  exited: Promise<Exit>;
  /** The node process running scripts/start.mjs, once found. */
  launcher?: number;
};

const running = new Set<Launched>();
const tempDirs: string[] = [];

/** Env without what `npm run` adds for its own scripts: the child sees what a person's shell has. */
function personEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'INIT_CWD'),
  );
  return { ...env, ...extra };
}

function launch(
  name: string,
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  url: string,
): Launched {
  const spawnedAt = now();
  // Own process group, so the whole tree can be signalled at once (and Ctrl-C here reaches only us).
  const child = spawn(command, args, {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const launched: Launched = {
    name,
    child,
    url,
    spawnedAt,
    lines: [],
    echo: true,
    exit: undefined,
    exited: new Promise<Exit>((resolve) =>
      child.once('exit', (code, signal) => {
        launched.exit = { code, signal };
        resolve(launched.exit);
      }),
    ),
  };
  running.add(launched);
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const text of parts.filter((part) => part.trim() !== '')) {
        const line = { atSec: (now() - spawnedAt) / 1000, text: text.trimEnd() };
        launched.lines.push(line);
        if (launched.echo) {
          progress(`  | +${line.atSec.toFixed(2)}s ${line.text}`);
        }
      }
    });
  }
  return launched;
}

function tempParent(): string {
  // Postgres runs as the `postgres` user when this runs as root: it must pass through the parent.
  const parent = mkdtempSync(path.join(tmpdir(), 'mc-bench-standalone-'));
  chmodSync(parent, 0o755);
  tempDirs.push(parent);
  return parent;
}

async function startStandalone(dataDir: string, args: string[]): Promise<Launched> {
  const port = await freePort();
  return launch(
    `npm start${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`,
    'npm',
    ['start', '--silent', '--', ...args],
    root,
    personEnv({ PORT: String(port), MC_DATA_DIR: dataDir }),
    `http://127.0.0.1:${port}`,
  );
}

/** The node process running scripts/start.mjs under npm (not the `sh -c` in between). */
function launcherPid(launched: Launched): number | undefined {
  launched.launcher ??= treeOf(launched.child.pid!).find((proc) =>
    argv(proc.pid).includes('scripts/start.mjs'),
  )?.pid;
  return launched.launcher;
}

const lastLines = (launched: Launched, count = 20): string =>
  launched.lines
    .slice(-count)
    .map((line) => `  +${line.atSec.toFixed(2)}s ${line.text}`)
    .join('\n');

// ---- Usable UI -------------------------------------------------------------------------------------

type Check = { name: string; passedAtSec?: number; last: string; probe: () => Promise<string> };

const failure = (error: unknown): string =>
  error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : 'error';

async function get(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5_000), ...init });
}

/** '' when it passes, or why not. */
const loginPage = (url: string) => async () => {
  const response = await get(`${url}/login`);
  const type = response.headers.get('content-type') ?? '';
  const body = await response.text();
  return response.status === 200 && type.includes('text/html') && body.includes('<html')
    ? ''
    : `${response.status} ${type}`;
};

const readyProbe = (url: string) => async () => {
  const response = await get(`${url}/ready`);
  await response.arrayBuffer();
  return response.status === 200 ? '' : String(response.status);
};

const graphqlProbe = (url: string) => async () => {
  const response = await get(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { data?: { __typename?: unknown } };
    return typeof body.data?.__typename === 'string' ? '' : `${response.status} no data`;
  } catch {
    return `${response.status} not JSON`;
  }
};

/** The checks still failing, grouped by why: `GET /login, GET /ready ✗ connect ECONNREFUSED`. */
function checkStates(checks: Check[]): string {
  const passed = checks.filter((check) => check.passedAtSec !== undefined);
  const why = new Map<string, string[]>();
  for (const check of checks.filter((check) => check.passedAtSec === undefined)) {
    why.set(check.last, [...(why.get(check.last) ?? []), check.name]);
  }
  return [
    ...(passed.length > 0 ? [`${passed.map((check) => check.name).join(', ')} ✓`] : []),
    ...[...why].map(([reason, names]) => `${names.join(', ')} ✗ ${reason}`),
  ].join('; ');
}

/**
 * Polls the checks every 50 ms from the spawn on; resolves the seconds since the spawn when the
 * last of them first passed. Fails when nothing of the spawn runs any more or the time runs out.
 */
async function waitUsable(launched: Launched, checks: Check[], timeoutMs: number): Promise<number> {
  let nextStatus = now() + STATUS_EVERY_MS;
  const sinceSpawn = () => (now() - launched.spawnedAt) / 1000;
  while (checks.some((check) => check.passedAtSec === undefined)) {
    if (launched.exit && treeOf(launched.child.pid!).length === 0) {
      throw new Error(
        `${launched.name} exited (${launched.exit.code ?? launched.exit.signal}) before it was usable:\n${lastLines(launched)}`,
      );
    }
    if (now() - launched.spawnedAt > timeoutMs) {
      throw new Error(
        `${launched.name} not usable after ${timeoutMs / 1000} s (${checkStates(checks)}):\n${lastLines(launched)}`,
      );
    }
    const tick = now();
    await Promise.all(
      checks
        .filter((check) => check.passedAtSec === undefined)
        .map(async (check) => {
          check.last = await check.probe().catch(failure);
          if (check.last === '') {
            check.passedAtSec = sinceSpawn();
          }
        }),
    );
    if (now() > nextStatus) {
      progress(`  waiting ${sinceSpawn().toFixed(1)}s: ${checkStates(checks)}`);
      nextStatus = now() + STATUS_EVERY_MS;
    }
    await sleep(Math.max(0, POLL_MS - (now() - tick)));
  }
  return Math.max(...checks.map((check) => check.passedAtSec!));
}

const standaloneChecks = (url: string): Check[] => [
  { name: 'GET /login', last: '', probe: loginPage(url) },
  { name: 'GET /ready', last: '', probe: readyProbe(url) },
  { name: 'POST /graphql', last: '', probe: graphqlProbe(url) },
];

// ---- Stopping ------------------------------------------------------------------------------------

/** Waits until every pid is gone; false when `timeoutMs` ran out first. */
async function allGone(pids: number[], timeoutMs: number, label: string): Promise<boolean> {
  const started = now();
  let nextStatus = now() + STATUS_EVERY_MS;
  while (pids.some(alive)) {
    if (now() - started > timeoutMs) {
      return false;
    }
    if (now() > nextStatus) {
      progress(`  ${label}: ${pids.filter(alive).length} process(es) still running`);
      nextStatus = now() + STATUS_EVERY_MS;
    }
    await sleep(50);
  }
  return true;
}

/** SIGTERM to the spawn's process group, SIGKILL by pid to whatever of its tree is left after 20 s. */
async function forceStop(launched: Launched): Promise<void> {
  const pgid = launched.child.pid!;
  const tree = treeOf(pgid).map((proc) => proc.pid);
  if (tree.length > 0) {
    try {
      process.kill(-pgid, 'SIGTERM');
    } catch {
      // no process left in the group; whatever runs below it still gets its SIGKILL
    }
    if (!(await allGone(tree, TIMEOUT_MS.stop, `stopping ${launched.name}`))) {
      progress(`  ${launched.name} still running after 20 s: SIGKILL`);
      for (const pid of tree.filter(alive)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
      await allGone(tree, 5_000, `killing ${launched.name}`);
    }
  }
  running.delete(launched);
}

type Stopped = { seconds: number; launcherLines: Line[] };

/**
 * The clean stop a person gets: SIGTERM to the launcher, whose exit code then comes back through
 * `sh` and npm (a SIGTERM to the whole group makes npm die of the signal itself, which says nothing
 * about the launcher). Then the tree and Postgres must be gone, and the postmaster.pid removed.
 */
async function stopCleanly(launched: Launched, dataDir: string): Promise<Stopped> {
  const launcher = launcherPid(launched);
  const tree = treeOf(launched.child.pid!).map((proc) => proc.pid);
  if (launcher === undefined || !alive(launcher)) {
    await forceStop(launched);
    throw new Error(`${launched.name}: no node process running scripts/start.mjs to stop`);
  }
  // npm may have been ended from outside; then the launcher's own last line stands for its exit.
  const npmGoneBefore = launched.exit;
  const from = launched.lines.length;
  const started = now();
  process.kill(launcher, 'SIGTERM');
  const gone = await allGone(tree, TIMEOUT_MS.stop, `stopping ${launched.name}`);
  const seconds = (now() - started) / 1000;
  const exit = await Promise.race([launched.exited, sleep(2_000).then(() => undefined)]);
  if (!gone || !exit) {
    await forceStop(launched);
    throw new Error(
      `${launched.name} did not stop within 20 s of SIGTERM:\n${lastLines(launched)}`,
    );
  }
  running.delete(launched);
  const postmasterPid = path.join(dataDir, 'postgres', 'postmaster.pid');
  const saidStopped = launched.lines.slice(from).some((line) => /\] stopped\b/.test(line.text));
  const problems = [
    npmGoneBefore || exit.code === 0 ? '' : `exit ${exit.code ?? exit.signal}`,
    npmGoneBefore && !saidStopped ? 'the launcher did not say "stopped"' : '',
    existsSync(postmasterPid) ? `${postmasterPid} is still there` : '',
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new Error(
      `${launched.name} did not stop cleanly: ${problems.join(', ')}\n${lastLines(launched)}`,
    );
  }
  const how = npmGoneBefore
    ? `npm had already gone (${npmGoneBefore.code ?? npmGoneBefore.signal}), the launcher said "stopped"`
    : 'exit 0';
  progress(
    `  stopped cleanly in ${fmtSec(seconds)}: ${how}, ${tree.length} processes gone, no postmaster.pid`,
  );
  return { seconds, launcherLines: launched.lines.slice(from) };
}

// ---- 1. Next alone -------------------------------------------------------------------------------

type NextAlone = { readySec: number; rssMb: number };

async function nextAlone(): Promise<NextAlone> {
  progress(
    `1. baseline: the web app alone, \`next start\` in web/ (NODE_ENV=production), ${RUNS.nextAlone} runs`,
  );
  const runs: NextAlone[] = [];
  for (let run = 1; run <= RUNS.nextAlone; run += 1) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const next = launch(
      'next start',
      process.execPath,
      [
        path.join(root, 'node_modules/next/dist/bin/next'),
        'start',
        '--port',
        String(port),
        '--hostname',
        '127.0.0.1',
      ],
      path.join(root, 'web'),
      personEnv({ NODE_ENV: 'production' }),
      url,
    );
    next.echo = run === 1;
    try {
      const readySec = await waitUsable(
        next,
        [{ name: 'GET /login', last: '', probe: loginPage(url) }],
        TIMEOUT_MS.warm,
      );
      // A few page views, as the standalone's figure comes after serving the UI too.
      for (let view = 0; view < 5; view += 1) {
        await loginPage(url)();
      }
      await sleep(1_000);
      const tree = treeOf(next.child.pid!).map((proc) => proc.pid);
      const rss = sum(tree.map(rssMb));
      progress(
        `  run ${run}: /login 200 after ${fmtSec(readySec)}; rss ${rss.toFixed(0)} MB (${tree.length} process)`,
      );
      runs.push({ readySec, rssMb: rss });
    } finally {
      await forceStop(next);
    }
  }
  return {
    readySec: median(runs.map((run) => run.readySec)),
    rssMb: Math.max(...runs.map((run) => run.rssMb)),
  };
}

// ---- 2./3. Cold and warm starts ------------------------------------------------------------------

type StartRun = {
  usableSec: number;
  /** When the launcher printed its first line, and when it said it was ready (since the spawn). */
  firstLineSec: number;
  launcherReadySec: number;
  stopSec: number;
  lines: Line[];
};

async function startAndStop(dataDir: string, timeoutMs: number): Promise<StartRun> {
  const standalone = await startStandalone(dataDir, []);
  try {
    const usableSec = await waitUsable(standalone, standaloneChecks(standalone.url), timeoutMs);
    standalone.echo = false;
    const lines = [...standalone.lines];
    const run = {
      usableSec,
      firstLineSec: lines.find((line) => line.text.startsWith('[mission-control]'))?.atSec ?? NaN,
      launcherReadySec: lines.find((line) => line.text.includes('] ready: open '))?.atSec ?? NaN,
      lines,
    };
    progress(
      `  usable after ${fmtSec(usableSec)} (launcher's first line at ${fmtSec(run.firstLineSec)}, "ready" at ${fmtSec(run.launcherReadySec)})`,
    );
    const stopped = await stopCleanly(standalone, dataDir);
    return { ...run, stopSec: stopped.seconds, lines: [...lines, ...stopped.launcherLines] };
  } finally {
    if (running.has(standalone)) {
      await forceStop(standalone);
    }
  }
}

// ---- 4. Memory under the demo squad --------------------------------------------------------------

type Memory = {
  demo: boolean;
  rssMb: number;
  nodeRssMb: number;
  postgresRssMb: number;
  postgresPssMb: number;
  postgresProcesses: number;
  npmAndShRssMb: number;
  otherRssMb: number;
  nodeCpuPct: number;
  postgresCpuPct: number;
  samples: number;
  usableSec: number;
};

type Sample = Omit<Memory, 'demo' | 'samples' | 'usableSec' | 'nodeCpuPct' | 'postgresCpuPct'>;

function sampleTree(
  launched: Launched,
  launcher: number,
): Sample & { ticks: Map<number, ProcStat> } {
  const tree = treeOf(launched.child.pid!);
  const mine = descendants(launcher);
  const postgres = mine.filter((proc) => proc.comm === 'postgres');
  const others = mine.filter((proc) => proc.comm !== 'postgres');
  // npm and `sh -c`: what a person runs, but no part of the product.
  const wrappers = tree
    .map((proc) => proc.pid)
    .filter((pid) => pid !== launcher && !mine.some((proc) => proc.pid === pid));
  const nodeRss = rssMb(launcher);
  const postgresRss = sum(postgres.map((proc) => rssMb(proc.pid)));
  const otherRss = sum(others.map((proc) => rssMb(proc.pid)));
  const ticks = new Map<number, ProcStat>(
    [procStat(launcher), ...postgres].filter((proc) => proc !== undefined).map((p) => [p.pid, p]),
  );
  return {
    rssMb: nodeRss + postgresRss + otherRss,
    nodeRssMb: nodeRss,
    postgresRssMb: postgresRss,
    postgresPssMb: sum(postgres.map((proc) => pssMb(proc.pid))),
    postgresProcesses: postgres.length,
    npmAndShRssMb: sum(wrappers.map(rssMb)),
    otherRssMb: otherRss,
    ticks,
  };
}

/** % of one core used between two samples, for the launcher and for Postgres. */
function cpuBetween(
  before: Map<number, ProcStat>,
  after: Map<number, ProcStat>,
  launcher: number,
  seconds: number,
): { node: number; postgres: number } {
  let node = 0;
  let postgres = 0;
  for (const [pid, proc] of after) {
    const used = proc.cpuTicks - (before.get(pid)?.cpuTicks ?? proc.cpuTicks);
    if (pid === launcher) {
      node += used;
    } else {
      postgres += used;
    }
  }
  const pct = (ticks: number) => (ticks / CLOCK_TICKS_PER_SEC / seconds) * 100;
  return { node: pct(node), postgres: pct(postgres) };
}

async function memoryUnderDemo(dataDir: string): Promise<Memory> {
  const totalMs = MEMORY.settleMs + MEMORY.sampleWindowMs;
  progress(
    `4. memory: \`npm start -- --demo\` on the warm folder; ${MEMORY.settleMs / 1000} s for the demo squad, then RSS every ${MEMORY.tickMs / 1000} s for ${MEMORY.sampleWindowMs / 1000} s`,
  );
  let demo = true;
  let standalone = await startStandalone(dataDir, ['--demo']);
  try {
    let usableSec: number;
    try {
      usableSec = await waitUsable(standalone, standaloneChecks(standalone.url), TIMEOUT_MS.cold);
    } catch (error) {
      progress(`  --demo failed (${failure(error).split('\n')[0]}): measuring without the demo`);
      await forceStop(standalone);
      demo = false;
      standalone = await startStandalone(dataDir, []);
      usableSec = await waitUsable(standalone, standaloneChecks(standalone.url), TIMEOUT_MS.cold);
    }
    const launcher = launcherPid(standalone);
    if (launcher === undefined) {
      throw new Error('no node process running scripts/start.mjs');
    }
    progress(`  usable after ${fmtSec(usableSec)}; launcher pid ${launcher}`);
    // The demo seeds its workspace after the port opens; its squad works once the launcher says ready.
    const said = await waitFor(
      () => standalone.lines.some((line) => line.text.includes('] ready: open ')),
      TIMEOUT_MS.warm,
      () => `waiting for the launcher to say "ready" (${standalone.lines.length} lines so far)`,
    );
    standalone.echo = false;
    if (said === undefined) {
      throw new Error(`the launcher never said "ready":\n${lastLines(standalone)}`);
    }
    const windowStart = now();
    const samples: Sample[] = [];
    const cpu = { node: [] as number[], postgres: [] as number[] };
    let previous = sampleTree(standalone, launcher);
    let previousAt = now();
    let npmGoneNoted = false;
    while (now() - windowStart < totalMs) {
      await sleep(MEMORY.tickMs);
      if (!alive(launcher)) {
        throw new Error(`the launcher (pid ${launcher}) exited:\n${lastLines(standalone)}`);
      }
      if (standalone.exit && !npmGoneNoted) {
        npmGoneNoted = true;
        progress(
          `  npm itself exited (${standalone.exit.code ?? standalone.exit.signal}) while the launcher runs on: measuring on`,
        );
      }
      const sample = sampleTree(standalone, launcher);
      const used = cpuBetween(previous.ticks, sample.ticks, launcher, (now() - previousAt) / 1000);
      [previous, previousAt] = [sample, now()];
      const at = (now() - windowStart) / 1000;
      const sampling = now() - windowStart > MEMORY.settleMs;
      if (sampling) {
        samples.push(sample);
        cpu.node.push(used.node);
        cpu.postgres.push(used.postgres);
      }
      progress(
        `  ${sampling ? 'sample' : 'settle'} ${at.toFixed(0).padStart(2)}s: rss ${sample.rssMb.toFixed(0)} MB ` +
          `(node ${sample.nodeRssMb.toFixed(0)}, postgres ${sample.postgresRssMb.toFixed(0)} in ${sample.postgresProcesses} processes, pss ${sample.postgresPssMb.toFixed(0)}); ` +
          `cpu node ${used.node.toFixed(0)}%, postgres ${used.postgres.toFixed(0)}%; load ${fmtLoad()}`,
      );
    }
    const max = (pick: (sample: Sample) => number) => Math.max(...samples.map(pick));
    const memory: Memory = {
      demo,
      rssMb: max((s) => s.rssMb),
      nodeRssMb: max((s) => s.nodeRssMb),
      postgresRssMb: max((s) => s.postgresRssMb),
      postgresPssMb: max((s) => s.postgresPssMb),
      postgresProcesses: max((s) => s.postgresProcesses),
      npmAndShRssMb: max((s) => s.npmAndShRssMb),
      otherRssMb: max((s) => s.otherRssMb),
      nodeCpuPct: sum(cpu.node) / Math.max(1, cpu.node.length),
      postgresCpuPct: sum(cpu.postgres) / Math.max(1, cpu.postgres.length),
      samples: samples.length,
      usableSec,
    };
    const demoLines = standalone.lines.filter((line) => /demo/i.test(line.text)).length;
    progress(
      `  max over ${samples.length} samples: rss ${memory.rssMb.toFixed(0)} MB; ${standalone.lines.length} lines printed (${demoLines} about the demo)`,
    );
    await stopCleanly(standalone, dataDir);
    return memory;
  } finally {
    if (running.has(standalone)) {
      await forceStop(standalone);
    }
  }
}

// ---- Setup, report, cleanup ----------------------------------------------------------------------

async function cleanUp(): Promise<void> {
  for (const launched of [...running]) {
    await forceStop(launched);
  }
  for (const dir of tempDirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  let cleaning: Promise<void> | undefined;
  const cleanUpOnce = () => (cleaning ??= cleanUp());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      progress(`${signal}: stopping what the benchmark started`);
      void cleanUpOnce().finally(() => process.exit(130));
    });
  }
  const missing = ['deploy/standalone/dist/main.js', 'web/.next/BUILD_ID'].filter(
    (file) => !existsSync(path.join(root, file)),
  );
  if (missing.length > 0) {
    // `npm start` would build first, and the build would be timed as the start.
    throw new Error(`no build: ${missing.join(', ')} missing (nx run standalone:build)`);
  }
  const loadBefore = fmtLoad();
  progress(
    `standalone benchmark: ${RUNS.cold} cold + ${RUNS.warm} warm starts of \`npm start\`, then memory under the demo squad; load average ${loadBefore}`,
  );
  try {
    const next = await nextAlone();

    progress(
      `2. cold: \`npm start\` on an empty data folder, ${RUNS.cold} run(s), each its own folder`,
    );
    const cold: StartRun[] = [];
    let dataDir = '';
    for (let run = 1; run <= RUNS.cold; run += 1) {
      dataDir = path.join(tempParent(), 'data');
      progress(`  cold run ${run}/${RUNS.cold}: MC_DATA_DIR=${dataDir}`);
      cold.push(await startAndStop(dataDir, TIMEOUT_MS.cold));
    }

    progress(`3. warm: \`npm start\` again on the last cold run's folder, ${RUNS.warm} runs`);
    const warm: StartRun[] = [];
    for (let run = 1; run <= RUNS.warm; run += 1) {
      progress(`  warm run ${run}/${RUNS.warm}`);
      warm.push(await startAndStop(dataDir, TIMEOUT_MS.warm));
    }

    const memory = await memoryUnderDemo(dataDir);
    await cleanUpOnce();
    progress(`cleaned up: processes and ${RUNS.cold} data folder(s); load average ${fmtLoad()}`);
    report(next, cold, warm, memory, loadBefore);
  } finally {
    await cleanUpOnce();
  }
}

function report(
  next: NextAlone,
  cold: StartRun[],
  warm: StartRun[],
  memory: Memory,
  loadBefore: string,
): void {
  const coldSec = median(cold.map((run) => run.usableSec));
  const warmSec = median(warm.map((run) => run.usableSec));
  const each = (runs: StartRun[]) => runs.map((run) => run.usableSec.toFixed(1)).join(', ');
  const launcherSays = (runs: StartRun[]) =>
    `first line at ${fmtSec(median(runs.map((run) => run.firstLineSec)))}, launcher "ready" at ${fmtSec(median(runs.map((run) => run.launcherReadySec)))}`;
  const mark = (met: boolean) => (met ? '✓' : '✗');
  const ratio = (value: number, base: number) => `${(value / base).toFixed(1)}×`;
  const goals = {
    cold: coldSec <= GOALS.coldSec,
    warm: warmSec <= GOALS.warmSec,
    rss: memory.rssMb <= GOALS.rssMb,
  };
  const rows = [
    [
      `cold start → usable UI (median of ${cold.length})`,
      `${fmtSec(coldSec)} (runs ${each(cold)})`,
      `next alone ${fmtSec(next.readySec)}`,
      ratio(coldSec, next.readySec),
      `≤ ${GOALS.coldSec} s ${mark(goals.cold)}`,
      launcherSays(cold),
    ],
    [
      `warm start → usable UI (median of ${warm.length})`,
      `${fmtSec(warmSec)} (runs ${each(warm)})`,
      `next alone ${fmtSec(next.readySec)}`,
      ratio(warmSec, next.readySec),
      `≤ ${GOALS.warmSec} s ${mark(goals.warm)}`,
      launcherSays(warm),
    ],
    [
      `clean stop (SIGTERM → exit 0)`,
      fmtSec(median([...cold, ...warm].map((run) => run.stopSec))),
      '',
      '',
      '',
      'median of all starts',
    ],
    [
      `rss, node + postgres${memory.demo ? ', demo squad' : ' (NO demo)'}`,
      `${memory.rssMb.toFixed(0)} MB (max of ${memory.samples})`,
      `next alone ${next.rssMb.toFixed(0)} MB`,
      ratio(memory.rssMb, next.rssMb),
      `≤ ${GOALS.rssMb} MB ${mark(goals.rss)}`,
      `cpu node ${memory.nodeCpuPct.toFixed(0)}%, postgres ${memory.postgresCpuPct.toFixed(0)}% of a core`,
    ],
    ['  node (launcher process)', `${memory.nodeRssMb.toFixed(0)} MB`, '', '', '', ''],
    [
      `  postgres (${memory.postgresProcesses} processes)`,
      `${memory.postgresRssMb.toFixed(0)} MB rss, ${memory.postgresPssMb.toFixed(0)} MB pss`,
      '',
      '',
      '',
      'rss counts shared buffers in every process',
    ],
    [
      '  not counted: npm + sh',
      `${memory.npmAndShRssMb.toFixed(0)} MB`,
      '',
      '',
      '',
      memory.otherRssMb > 0 ? `other children ${memory.otherRssMb.toFixed(0)} MB (counted)` : '',
    ],
  ];
  process.stdout.write(
    `\n${table(['measurement', 'result', 'baseline', 'ratio', 'goal', 'notes'], rows)}\n\n`,
  );
  if (!memory.demo) {
    process.stdout.write('`npm start -- --demo` failed: the memory figures are without the demo\n');
  }
  process.stdout.write(`load average: ${loadBefore} before, ${fmtLoad()} after\n`);
  const json = {
    coldStartToReadySec: round1(coldSec),
    startToReadySec: round1(warmSec),
    rssMb: round1(memory.rssMb),
    nodeRssMb: round1(memory.nodeRssMb),
    postgresRssMb: round1(memory.postgresRssMb),
    postgresPssMb: round1(memory.postgresPssMb),
    nextAloneReadySec: round1(next.readySec),
    nextAloneRssMb: round1(next.rssMb),
    coldRunsSec: cold.map((run) => round1(run.usableSec)),
    warmRunsSec: warm.map((run) => round1(run.usableSec)),
    demo: memory.demo,
    coldGoalMet: goals.cold,
    warmGoalMet: goals.warm,
    rssGoalMet: goals.rss,
    runSeconds: round1(elapsedSeconds()),
  };
  process.stdout.write(`${JSON.stringify(json)}\n`);
}

runBenchmark(main);
