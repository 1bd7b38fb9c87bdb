// `npm run bench:runner`: one runner (in this process) driving BENCH_CONCURRENCY (50) fake-agent
// runs at once through the command adapter, against `npm start`: runs/s, CPU per run, log lines/s
// end to end (lines the server took in), and cancel latency (a budget's hard stop → every process
// of the run's tree gone), each beside a same-run baseline: the same fake executables run directly,
// without the runner or a server.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ProcessTree, type RunnerEvent, startRunner } from '@mission-control/runner';
import { workspaceRoot } from '@mission-control/testing';
import { type Mode, startFullInstance, startStandaloneInstance } from '../api/instance';
import { graphql } from '../support/graphql';
import {
  cpuMeter,
  fmtCpu,
  now,
  percentiles,
  progress,
  round1,
  round2,
  runBenchmark,
  sleep,
  table,
  waitFor,
} from '../support/harness';
import { CLOCK_TICKS_PER_SEC, procStat } from '../support/processes';
import { inParallel, makeAgent, makeWorkspace, moveAll, seed } from './world';

const SETTINGS = {
  runs: Number(process.env.BENCH_RUNS ?? 100),
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 50),
  lines: Number(process.env.BENCH_LINES ?? 20),
  intervalMs: Number(process.env.BENCH_INTERVAL_MS ?? 50),
  cancelRounds: Number(process.env.BENCH_CANCEL_ROUNDS ?? 1),
  killGraceMs: Number(process.env.BENCH_KILL_GRACE_MS ?? 1_000),
  logFlushMs: Number(process.env.BENCH_LOG_FLUSH_MS ?? 500),
  /** `npm start` (standalone), or each service and the gateway a process of its own on Kafka (full). */
  mode: (process.env.BENCH_MODE ?? 'standalone') as Mode,
};

const FAKE = path.join(workspaceRoot, 'clients/runner/test/fixtures/bin/steady-agent');
const FAKE_ENV = {
  FAKE_LINES: String(SETTINGS.lines),
  FAKE_INTERVAL_MS: String(SETTINGS.intervalMs),
  FAKE_PID_FILE: 'pids.json',
};

/** CPU (ms) of this process's reaped children: the fake agents, once they ended. */
function childrenCpuMs(): number {
  const text = readFileSync('/proc/self/stat', 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // cutime and cstime, fields 16 and 17 of stat (13 and 14 after the command name).
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS_PER_SEC;
}

function alive(pid: number): boolean {
  const stat = procStat(pid);
  if (!stat) {
    return false;
  }
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2)[0] !== 'Z';
}

type Direct = { runsPerSec: number; linesPerSec: number; cpuMsPerRun: number; cancel: number[] };

/** The fake agents run directly, `concurrency` at a time, then `concurrency` held ones stopped. */
async function baseline(dir: string): Promise<Direct> {
  let lines = 0;
  const one = async (n: number, hold: boolean) => {
    const cwd = path.join(dir, `direct-${hold ? 'hold' : 'run'}-${n}`);
    await import('node:fs/promises').then((fs) => fs.mkdir(cwd, { recursive: true }));
    const tree = new ProcessTree(FAKE, [], {
      cwd,
      env: { ...process.env, ...FAKE_ENV, ...(hold ? { FAKE_HOLD: '1', FAKE_CHILD: '1' } : {}) },
    });
    tree.child.stdin.end(`Direct run ${n}\n`);
    let first: () => void = () => undefined;
    const printed = new Promise<void>((resolve) => (first = resolve));
    for (const stream of [tree.child.stdout, tree.child.stderr]) {
      createInterface({ input: stream }).on('line', () => {
        lines += 1;
        first();
      });
    }
    return { tree, printed };
  };
  const cpuBefore = childrenCpuMs();
  const started = now();
  await inParallel(
    Array.from({ length: SETTINGS.runs }, (_, n) => n),
    SETTINGS.concurrency,
    async (n) => {
      const { tree } = await one(n, false);
      await tree.exited;
    },
  );
  const elapsed = now() - started;
  const cpuMs = childrenCpuMs() - cpuBefore;
  const held = await Promise.all(
    Array.from({ length: SETTINGS.concurrency }, (_, n) => one(n, true)),
  );
  await Promise.all(held.map((each) => each.printed));
  await sleep(500);
  const cancel = await Promise.all(
    held.map(async ({ tree }) => {
      const t0 = now();
      await tree.stop(SETTINGS.killGraceMs);
      return now() - t0;
    }),
  );
  return {
    runsPerSec: round1((SETTINGS.runs * 1000) / elapsed),
    linesPerSec: Math.round((lines * 1000) / elapsed),
    cpuMsPerRun: round1(cpuMs / SETTINGS.runs),
    cancel,
  };
}

type RunRead = { run: { logLines: number; status: string } };

/** The workspace's token budget (made when `budgetId` is null) with `tokenLimit`; its id. */
async function setLimit(
  url: string,
  admin: { workspaceId: string; token: string },
  budgetId: string | null,
  tokenLimit: number,
): Promise<string> {
  const { setBudget } = await graphql<{ setBudget: { id: string } }>(
    url,
    `
      mutation ($ws: ID!, $id: ID, $limit: Float!) {
        setBudget(
          workspaceId: $ws
          input: { budgetId: $id, name: "Runner bench", period: TOTAL, tokenLimit: $limit }
        ) {
          id
        }
      }
    `,
    { ws: admin.workspaceId, id: budgetId, limit: tokenLimit },
    admin.token,
  );
  return setBudget.id;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mc-bench-runner-'));
  progress(
    `== baseline: the fake agent run directly, ${SETTINGS.runs} runs ${SETTINGS.concurrency} at a time (${SETTINGS.lines} lines every ${SETTINGS.intervalMs} ms), then ${SETTINGS.concurrency} held ones stopped`,
  );
  const direct = await baseline(dir);
  const directCancel = percentiles(direct.cancel);
  progress(
    `  ${direct.runsPerSec} runs/s, ${direct.linesPerSec} lines/s, ${direct.cpuMsPerRun} ms CPU a run; stop → tree gone p50 ${directCancel.p50} / p99 ${directCancel.p99} ms`,
  );

  progress(`== ${SETTINGS.mode}: starting`);
  const instance =
    SETTINGS.mode === 'full' ? await startFullInstance() : await startStandaloneInstance();
  const events: RunnerEvent[] = [];
  let runner: Awaited<ReturnType<typeof startRunner>> | undefined;
  // Interrupted, it still stops its runs and the instance (a detached process group).
  const interrupted = () => {
    void Promise.resolve(runner?.stop())
      .then(() => instance.stop())
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const admin = await makeWorkspace(instance.url);
    const key = await makeAgent(instance.url, admin, 'runner-bench');
    // The runs' usage counts against it; lowering its limit below what was spent stops work at once.
    const budgetId = await setLimit(instance.url, admin, null, 1e12);
    progress(`  seeding ${SETTINGS.runs} missions in To do`);
    const missions = await seed(instance.url, admin, SETTINGS.runs, () => '');

    progress(`== throughput: one runner, one agent, ${SETTINGS.concurrency} runs at once`);
    const ended = () => events.filter((event) => event.type === 'run-ended').length;
    const meter = cpuMeter();
    const cpuStart = process.cpuUsage();
    const childrenStart = childrenCpuMs();
    let busiest = 0;
    const started = now();
    runner = await startRunner(
      {
        gatewayUrl: instance.url,
        workRoot: path.join(dir, 'runs'),
        killGraceMs: SETTINGS.killGraceMs,
        logFlushMs: SETTINGS.logFlushMs,
        pollIntervalMs: 1_000,
        agents: [
          {
            name: 'bench',
            key,
            adapter: 'command',
            concurrency: SETTINGS.concurrency,
            onSuccess: 'DONE',
            options: {
              command: FAKE,
              env: FAKE_ENV,
              model: 'claude-sonnet-4-5',
              provider: 'anthropic',
            },
          },
        ],
      },
      { handleSignals: false, onEvent: (event) => events.push(event) },
    );
    const active = runner;
    const done = await waitFor(
      () => {
        busiest = Math.max(busiest, active.running);
        return ended() >= SETTINGS.runs;
      },
      120_000,
      () => `${ended()}/${SETTINGS.runs} runs ended, ${active.running} running`,
    );
    const elapsed = (done ?? now()) - started;
    const cpu = meter();
    const used = process.cpuUsage(cpuStart);
    const runnerCpuMs = (used.user + used.system) / 1000;
    const agentsCpuMs = childrenCpuMs() - childrenStart;
    const reports = events
      .filter(
        (event): event is Extract<RunnerEvent, { type: 'run-ended' }> => event.type === 'run-ended',
      )
      .map((event) => event.report);
    const outcomes = new Map<string, number>();
    for (const report of reports) {
      outcomes.set(report.outcome, (outcomes.get(report.outcome) ?? 0) + 1);
    }
    let logLines = 0;
    await inParallel(reports, 8, async (report) => {
      const { run } = await graphql<RunRead>(
        instance.url,
        'query ($ws: ID!, $id: ID!) { run(workspaceId: $ws, id: $id) { logLines status } }',
        { ws: admin.workspaceId, id: report.runId },
        admin.token,
      );
      logLines += run.logLines;
    });
    const runsPerSec = round1((reports.length * 1000) / elapsed);
    const logLinesPerSec = Math.round((logLines * 1000) / elapsed);
    progress(
      `  ${reports.length} runs in ${round1(elapsed / 1000)} s (${[...outcomes].map(([o, n]) => `${n} ${o}`).join(', ')}), at most ${busiest} at once: ${runsPerSec} runs/s, ${logLinesPerSec} log lines/s taken in by the server`,
    );
    progress(
      `  CPU: runner ${round1(runnerCpuMs / reports.length)} ms a run, the fake agents ${round1(agentsCpuMs / reports.length)} ms a run; ${fmtCpu(cpu)}`,
    );
    await moveAll(instance.url, admin, missions, 'DONE');

    const latencies: number[] = [];
    const runnerPart: number[] = [];
    let survivors = 0;
    let cancelled = 0;
    for (let round = 1; round <= SETTINGS.cancelRounds; round++) {
      progress(
        `== cancel round ${round}/${SETTINGS.cancelRounds}: ${SETTINGS.concurrency} held runs (a child each), then a budget's hard stop`,
      );
      const before = events.length;
      const held = await seed(
        instance.url,
        admin,
        SETTINGS.concurrency,
        () => 'fake-hold: 1\nfake-child: 1',
      );
      const heldSet = new Set(held);
      const startedRuns = () =>
        events
          .slice(before)
          .filter(
            (event): event is Extract<RunnerEvent, { type: 'run-started' }> =>
              event.type === 'run-started' && heldSet.has(event.missionId),
          );
      await waitFor(
        () => startedRuns().length >= held.length,
        60_000,
        () => `${startedRuns().length}/${held.length} held runs started`,
      );
      // Each has printed its lines and holds on.
      await sleep(SETTINGS.lines * SETTINGS.intervalMs + 500);
      const stopAt = Date.now();
      await setLimit(instance.url, admin, budgetId, 1);
      const endedRuns = () =>
        events
          .slice(before)
          .filter(
            (event): event is Extract<RunnerEvent, { type: 'run-ended' }> =>
              event.type === 'run-ended' && heldSet.has(event.report.missionId),
          )
          .map((event) => event.report);
      await waitFor(
        () => endedRuns().length >= held.length,
        30_000,
        () => `${endedRuns().length}/${held.length} held runs ended`,
      );
      for (const report of endedRuns()) {
        if (report.outcome === 'CANCELLED' && report.treeGoneAt !== undefined) {
          cancelled += 1;
          latencies.push(report.treeGoneAt - stopAt);
          runnerPart.push(report.treeGoneAt - (report.cancelledAt ?? report.treeGoneAt));
        }
      }
      for (const run of startedRuns()) {
        const file = path.join(run.workFolder, 'pids.json');
        if (existsSync(file)) {
          const pids = JSON.parse(readFileSync(file, 'utf8')) as {
            pid: number;
            childPid: number | null;
          };
          survivors += [pids.pid, pids.childPid].filter((pid) => pid !== null && alive(pid)).length;
        }
      }
      const round_ = percentiles(latencies.slice(-endedRuns().length));
      progress(`  budget stop → tree gone: p50 ${round_.p50} / p99 ${round_.p99} ms`);
      await moveAll(instance.url, admin, held, 'DONE');
      await setLimit(instance.url, admin, budgetId, 1e12);
    }
    const cancel = percentiles(latencies);
    const own = percentiles(runnerPart);
    const cancelSamples = cancel.count;

    console.log(
      `\nOne runner, ${SETTINGS.concurrency} runs at once, ${SETTINGS.lines} lines a run every ${SETTINGS.intervalMs} ms (${SETTINGS.mode}, ${instance.url})`,
    );
    console.log(
      table(
        ['figure', 'through the runner', 'baseline (fake agents run directly)'],
        [
          ['runs/s', String(runsPerSec), String(direct.runsPerSec)],
          [
            'log lines/s end to end',
            String(logLinesPerSec),
            `${direct.linesPerSec} (read from the pipes)`,
          ],
          [
            'CPU per run',
            `runner ${round1(runnerCpuMs / reports.length)} ms + agent ${round1(agentsCpuMs / reports.length)} ms`,
            `agent ${direct.cpuMsPerRun} ms`,
          ],
          [
            `cancel → tree gone p50 / p99 (${cancelSamples} runs)`,
            `${cancel.p50} / ${cancel.p99} ms from the budget stop; runner's part ${own.p50} / ${own.p99} ms`,
            `${directCancel.p50} / ${directCancel.p99} ms (SIGTERM to the group)`,
          ],
          ['processes left after a cancel', String(survivors), '—'],
        ],
      ),
    );
    console.log(
      JSON.stringify({
        benchmark: 'runner',
        mode: SETTINGS.mode,
        concurrentRuns: busiest,
        runs: reports.length,
        runsPerSec,
        logLinesPerSec,
        runnerCpuMsPerRun: round1(runnerCpuMs / reports.length),
        agentCpuMsPerRun: round1(agentsCpuMs / reports.length),
        cancelP50Ms: cancel.p50,
        cancelP99Ms: cancel.p99,
        cancelRuns: cancelled,
        runnerCancelP99Ms: own.p99,
        survivors,
        baseline: {
          runsPerSec: direct.runsPerSec,
          linesPerSec: direct.linesPerSec,
          cpuMsPerRun: direct.cpuMsPerRun,
          cancelP50Ms: directCancel.p50,
          cancelP99Ms: directCancel.p99,
        },
        settings: SETTINGS,
        goalsMet: {
          cancelP99Within2s: cancel.p99 <= 2_000,
          cancelP99Within500ms: cancel.p99 <= 500,
        },
        seconds: round2((now() - started) / 1000),
      }),
    );
  } finally {
    await runner?.stop();
    progress(`  stopping ${SETTINGS.mode}`);
    await instance.stop();
  }
}

runBenchmark(main);
