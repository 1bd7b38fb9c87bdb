// `npm run bench:api`: the everyday requests (create, board, search, heartbeat) and the live frame a
// change sends, under load, against `npm start` and against the full stack on Kafka; with the CPU of
// every process, memory, and a same-run floor (a trivial query through the same front door).
import {
  cpuMeter,
  elapsedSeconds,
  percentiles,
  progress,
  round1,
  runBenchmark,
  sleep,
  table,
} from '../support/harness';
import { CLOCK_TICKS_PER_SEC, procStat } from '../support/processes';
import {
  memoryOf,
  startFullInstance,
  startStandaloneInstance,
  type Instance,
  type Memory,
  type Mode,
} from './instance';
import { createDbFloor, type DbFloor } from './db-floor';
import { attachProfiler, type Profiler } from './profiler';
import { summarise } from './profile-summary';
import {
  graphql,
  liveLatencies,
  makeActors,
  missionInput,
  QUERIES,
  runLoad,
  seedBoard,
  waitSearchable,
  watchLive,
  type Actors,
  type Load,
  type LoadResult,
} from './workload';

const SETTINGS = {
  /** Where CPU profiles of each shape go (standalone only); figures taken while profiling are slower. */
  profileDir: process.env.BENCH_PROFILE_DIR,
  seconds: Number(process.env.BENCH_SECONDS ?? 20),
  warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 3),
  missions: Number(process.env.BENCH_MISSIONS ?? 1_000),
  modes: (process.env.BENCH_MODES ?? 'standalone,full').split(',') as Mode[],
  /** Only the request shapes whose names contain one of these (e.g. `create,board`); all by default. */
  shapes: process.env.BENCH_SHAPES?.split(',').filter(Boolean),
  /** One live probe every this many ms. */
  liveEveryMs: 50,
};

const GOALS = {
  createC16Rps: ['≥', 300],
  createC16P99Ms: ['≤', 150],
  createC1P50Ms: ['≤', 5],
  boardPageC16Rps: ['≥', 600],
  boardPageC16P99Ms: ['≤', 100],
  boardFullC16Rps: ['≥', 100],
  searchC16Rps: ['≥', 400],
  searchC16P99Ms: ['≤', 100],
  heartbeatC16Rps: ['≥', 500],
  liveIdleP99Ms: ['≤', 50],
  liveUnderLoadP99Ms: ['≤', 150],
  rssIdleMb: ['≤', 300],
} as const;
type Figures = Record<string, number | null>;

type Shape = { name: string; c: number; load: Load };
type ShapeRow = { shape: string; c: number; result: LoadResult; cpu: string };

/** Each product process's and engine's share of a core over a stretch, e.g. "node 187%, postgres 12%". */
function processCpu(instance: Instance): () => string {
  const ticksOf = (pids: number[]) =>
    new Map(pids.map((pid) => [pid, procStat(pid)?.cpuTicks ?? 0]));
  const before = instance.groups.map((group) => ticksOf(group.pids()));
  const bench = cpuMeter();
  const started = performance.now();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const parts = instance.groups.map((group, i) => {
      // A process that ended meanwhile (a Postgres backend) took its ticks with it: not counted.
      let used = 0;
      for (const [pid, ticks] of ticksOf(group.pids())) {
        used += ticks - (before[i]!.get(pid) ?? 0);
      }
      return `${group.name} ${Math.round((used / CLOCK_TICKS_PER_SEC / seconds) * 100)}%`;
    });
    return [...parts, `load generator ${bench().node}%`].join(', ');
  };
}

async function measure(
  instance: Instance,
  shape: Shape,
  profiler: Profiler | undefined,
): Promise<ShapeRow> {
  await runLoad(instance.url, shape.load, shape.c, SETTINGS.warmupSeconds);
  const cpu = processCpu(instance);
  const stopProfile = await profiler?.record(`${instance.mode} ${shape.name} c${shape.c}`);
  const result = await runLoad(instance.url, shape.load, shape.c, SETTINGS.seconds);
  const row = { shape: shape.name, c: shape.c, result, cpu: cpu() };
  if (stopProfile) {
    const summary = summarise(await stopProfile());
    progress(
      `    profile: ${summary.layers
        .slice(0, 8)
        .map((l) => `${l.layer} ${l.share}%`)
        .join(', ')}`,
    );
  }
  progress(
    `  ${shape.name} c=${shape.c}: ${result.rps} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ` +
      `${result.errors} errors of ${result.requests}${result.firstError ? ` (${result.firstError})` : ''}`,
  );
  progress(`    CPU: ${row.cpu}`);
  return row;
}

type ModeReport = {
  mode: Mode;
  rows: ShapeRow[];
  liveIdle: ReturnType<typeof percentiles> & {
    lost: number;
    /** The creates' own answers, from the same probes. */
    answered: ReturnType<typeof percentiles>;
  };
  /** Under the whole board's load, and under the first pages' (when the board pages). */
  liveLoaded: ModeReport['liveIdle'] & { loadRps: number; cpu: string };
  livePageLoaded?: ModeReport['liveLoaded'];
  createFloor?: DbFloor;
  memoryIdle: Memory;
  memoryAfter: Memory;
  boardPaging: boolean;
};

async function boardPagingAvailable(url: string, actors: Actors): Promise<boolean> {
  return graphql(
    url,
    QUERIES.boardPage,
    { workspaceId: actors.boardWorkspace },
    actors.boardToken,
  ).then(
    () => true,
    () => false,
  );
}

async function benchMode(mode: Mode): Promise<ModeReport> {
  progress(`== ${mode}: starting`);
  const instance =
    mode === 'standalone' ? await startStandaloneInstance() : await startFullInstance();
  try {
    progress(`  ready at ${instance.url}; people, workspaces and 16 agents`);
    const actors = await makeActors(instance.url, 16);
    progress(`  seeding a board of ${SETTINGS.missions} missions`);
    await seedBoard(instance.url, actors, SETTINGS.missions);
    await waitSearchable(instance.url, actors, SETTINGS.missions);
    progress('  search has every seeded mission; 5 s idle, then memory');
    await sleep(5_000);
    const memoryIdle = memoryOf(instance);
    progress(`  idle: ${JSON.stringify(memoryIdle)}`);

    const board = { workspaceId: actors.boardWorkspace };
    const boardPaging = await boardPagingAvailable(instance.url, actors);
    let created = SETTINGS.missions;
    const create: Load = {
      query: QUERIES.create,
      token: actors.loadToken,
      variables: { workspaceId: actors.loadWorkspace },
      vary: () => ({ input: missionInput(created++) }),
    };
    const shapes: Shape[] = [
      {
        name: 'floor { __typename }',
        c: 16,
        load: { query: QUERIES.floor, token: actors.boardToken },
      },
      { name: 'create a mission', c: 1, load: create },
      { name: 'create a mission', c: 16, load: create },
      {
        name: `whole board (${SETTINGS.missions})`,
        c: 1,
        load: { query: QUERIES.boardFull, token: actors.boardToken, variables: board },
      },
      {
        name: `whole board (${SETTINGS.missions})`,
        c: 16,
        load: { query: QUERIES.boardFull, token: actors.boardToken, variables: board },
      },
      ...(boardPaging
        ? [1, 16].map((c) => ({
            name: 'board first page (20 a column)',
            c,
            load: { query: QUERIES.boardPage, token: actors.boardToken, variables: board },
          }))
        : []),
      {
        name: 'search "deploy"',
        c: 16,
        load: {
          query: QUERIES.search,
          token: actors.boardToken,
          variables: { ...board, query: 'deploy' },
        },
      },
      // An agent per connection: one agent's heartbeats, back to back, would each wait for the
      // previous one's row lock, which no agent's do.
      ...[1, 16].map((c) => ({
        name: 'heartbeat',
        c,
        load: {
          query: QUERIES.heartbeat,
          token: actors.agentTokens[0]!,
          tokens: actors.agentTokens.slice(0, c),
        },
      })),
    ];
    if (!boardPaging) {
      progress('  the board does not page per column here: that shape is left out');
    }
    const profiler =
      SETTINGS.profileDir && instance.servingPid
        ? await attachProfiler(instance.servingPid, SETTINGS.profileDir)
        : undefined;
    const rows: ShapeRow[] = [];
    const chosen = shapes.filter(
      (shape) => !SETTINGS.shapes || SETTINGS.shapes.some((name) => shape.name.includes(name)),
    );
    for (const shape of chosen) {
      rows.push(await measure(instance, shape, profiler));
    }
    profiler?.close();
    let createFloor: DbFloor | undefined;
    if (chosen.some((shape) => shape.name.startsWith('create'))) {
      createFloor = await createDbFloor(instance.databaseUrl(), Math.min(SETTINGS.seconds, 5));
      progress(
        `  create's database floor (its statements straight through pg): c=1 p50 ${createFloor.c1P50Ms} ms; c=16 ${createFloor.c16Rps} req/s, p99 ${createFloor.c16P99Ms} ms`,
      );
    }

    progress(`  live: a create every ${SETTINGS.liveEveryMs} ms for ${SETTINGS.seconds} s, idle`);
    const watch = await watchLive(instance.url, actors.loadToken);
    const idle = await liveLatencies(
      instance.url,
      actors,
      watch,
      SETTINGS.seconds,
      SETTINGS.liveEveryMs,
    );
    const liveIdle = {
      ...percentiles(idle.latencies),
      lost: idle.lost,
      answered: percentiles(idle.answered),
    };
    progress(
      `  live idle: p50 ${liveIdle.p50} / p99 ${liveIdle.p99} / max ${liveIdle.max} ms, ${idle.lost} lost`,
    );

    // Under 16 clients reading the board: the whole of it (the issue's measure), and the first
    // pages the web board asks for now.
    const liveUnder = async (what: string, query: string) => {
      progress(`  live under the ${what} load at c=16`);
      const cpu = processCpu(instance);
      const loading = runLoad(
        instance.url,
        { query, token: actors.boardToken, variables: board },
        16,
        SETTINGS.seconds + 4,
      );
      await sleep(2_000);
      const loaded = await liveLatencies(
        instance.url,
        actors,
        watch,
        SETTINGS.seconds,
        SETTINGS.liveEveryMs,
      );
      const load = await loading;
      const live = {
        ...percentiles(loaded.latencies),
        lost: loaded.lost,
        answered: percentiles(loaded.answered),
        loadRps: load.rps,
        cpu: cpu(),
      };
      progress(
        `  live under the ${what} load (${load.rps} req/s): p50 ${live.p50} / p99 ${live.p99} / max ${live.max} ms, ${loaded.lost} lost`,
      );
      progress(`    CPU: ${live.cpu}`);
      return live;
    };
    const liveLoaded = await liveUnder('whole-board', QUERIES.boardFull);
    const livePageLoaded = boardPaging
      ? await liveUnder('first-page', QUERIES.boardPage)
      : undefined;
    watch.close();
    await sleep(5_000);
    const memoryAfter = memoryOf(instance);
    progress(`  after the load: ${JSON.stringify(memoryAfter)}`);
    return {
      mode,
      rows,
      liveIdle,
      liveLoaded,
      livePageLoaded,
      createFloor,
      memoryIdle,
      memoryAfter,
      boardPaging,
    };
  } finally {
    progress(`  stopping ${mode}`);
    await instance.stop();
  }
}

function figuresOf(report: ModeReport): Figures {
  const row = (prefix: string, c: number) =>
    report.rows.find((r) => r.shape.startsWith(prefix) && r.c === c)?.result;
  return {
    floorC16Rps: row('floor', 16)?.rps ?? null,
    floorC16P99Ms: row('floor', 16)?.p99 ?? null,
    createC1P50Ms: row('create', 1)?.p50 ?? null,
    createC1Rps: row('create', 1)?.rps ?? null,
    createC16Rps: row('create', 16)?.rps ?? null,
    createC16P99Ms: row('create', 16)?.p99 ?? null,
    createDbFloorC1P50Ms: report.createFloor?.c1P50Ms ?? null,
    createDbFloorC16Rps: report.createFloor?.c16Rps ?? null,
    boardFullC1P50Ms: row('whole board', 1)?.p50 ?? null,
    boardFullC16Rps: row('whole board', 16)?.rps ?? null,
    boardFullC16P99Ms: row('whole board', 16)?.p99 ?? null,
    boardPageC1P50Ms: row('board first page', 1)?.p50 ?? null,
    boardPageC16Rps: row('board first page', 16)?.rps ?? null,
    boardPageC16P99Ms: row('board first page', 16)?.p99 ?? null,
    searchC16Rps: row('search', 16)?.rps ?? null,
    searchC16P99Ms: row('search', 16)?.p99 ?? null,
    heartbeatC1P50Ms: row('heartbeat', 1)?.p50 ?? null,
    heartbeatC16Rps: row('heartbeat', 16)?.rps ?? null,
    heartbeatC16P99Ms: row('heartbeat', 16)?.p99 ?? null,
    liveIdleP50Ms: report.liveIdle.p50,
    liveIdleP99Ms: report.liveIdle.p99,
    liveUnderLoadP50Ms: report.liveLoaded.p50,
    liveUnderLoadP99Ms: report.liveLoaded.p99,
    liveUnderPageLoadP50Ms: report.livePageLoaded?.p50 ?? null,
    liveUnderPageLoadP99Ms: report.livePageLoaded?.p99 ?? null,
    liveLost: report.liveIdle.lost + report.liveLoaded.lost + (report.livePageLoaded?.lost ?? 0),
    rssIdleMb: report.memoryIdle.totalMb,
    rssAfterLoadMb: report.memoryAfter.totalMb,
    errors: report.rows.reduce((total, r) => total + r.result.errors, 0),
  };
}

function printReport(report: ModeReport): void {
  console.log(
    `\n${report.mode}: ${SETTINGS.seconds} s a run after ${SETTINGS.warmupSeconds} s of warm-up`,
  );
  console.log(
    table(
      ['request', 'c', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'CPU (% of one core)'],
      report.rows.map((r) => [
        r.shape,
        String(r.c),
        String(r.result.rps),
        String(r.result.p50),
        String(r.result.p99),
        String(r.result.max),
        `${r.result.errors}/${r.result.requests}`,
        r.cpu,
      ]),
    ),
  );
  const live = (name: string, p: ModeReport['liveIdle']) =>
    `${name}: p50 ${p.p50} / p99 ${p.p99} / max ${p.max} ms over ${p.count} frames, ${p.lost} lost ` +
    `(the creates answered in p50 ${p.answered.p50} / p99 ${p.answered.p99} ms)`;
  if (report.createFloor) {
    const floor = report.createFloor;
    console.log(
      `create's database floor (the same statements through pg, no GraphQL, HTTP or ORM): c=1 p50 ${floor.c1P50Ms} ms; c=16 ${floor.c16Rps} req/s, p99 ${floor.c16P99Ms} ms`,
    );
  }
  console.log(live('create → live frame, idle', report.liveIdle));
  const underLoad = (what: string, p: ModeReport['liveLoaded']) =>
    console.log(
      `${live(`create → live frame, under the ${what} load (${p.loadRps} req/s)`, p)}\n  CPU: ${p.cpu}`,
    );
  underLoad('whole-board', report.liveLoaded);
  if (report.livePageLoaded) {
    underLoad('first-page', report.livePageLoaded);
  }
  const memory = (m: Memory) =>
    `${m.totalMb} MB (RSS: ${Object.entries(m.byGroup)
      .map(([name, mb]) => `${name} ${mb}`)
      .join(', ')}${m.postgresPssMb ? `; counting Postgres by its PSS, ${m.postgresPssMb}` : ''})`;
  console.log(`memory idle with ${SETTINGS.missions} missions: ${memory(report.memoryIdle)}`);
  console.log(`memory after the load: ${memory(report.memoryAfter)}`);
}

function printGoals(figures: Figures): Record<string, boolean> {
  const met: Record<string, boolean> = {};
  const rows = Object.entries(GOALS).map(([key, [sign, goal]]) => {
    const value = figures[key];
    met[key] =
      value !== null && value !== undefined && (sign === '≥' ? value >= goal : value <= goal);
    return [key, `${sign} ${goal}`, String(value ?? 'n/a'), met[key] ? 'met' : 'missed'];
  });
  console.log(`\ngoals (standalone)\n${table(['figure', 'goal', 'measured', ''], rows)}`);
  return met;
}

async function main(): Promise<void> {
  progress(
    `api benchmark: ${SETTINGS.modes.join(' and ')}, ${SETTINGS.missions} missions, ${SETTINGS.seconds} s a run`,
  );
  const reports: ModeReport[] = [];
  for (const mode of SETTINGS.modes) {
    reports.push(await benchMode(mode));
  }
  reports.forEach(printReport);
  const byMode = Object.fromEntries(reports.map((report) => [report.mode, figuresOf(report)]));
  const headline = byMode.standalone ?? byMode.full ?? {};
  const met = printGoals(headline);
  console.log(`\ntook ${round1(elapsedSeconds())} s`);
  console.log(
    JSON.stringify({
      benchmark: 'api',
      ...headline,
      missions: SETTINGS.missions,
      seconds: SETTINGS.seconds,
      modes: byMode,
      goalsMet: met,
    }),
  );
}

runBenchmark(main);
