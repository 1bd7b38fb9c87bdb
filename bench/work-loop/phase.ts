// What every phase of the work-loop benchmark is handed, and what it gives back. A phase is a
// module of its own (claim-phase, loop-phase, log-phase…): main runs them in order on one instance.
import type { Instance } from '../api/instance';
import { attachProfiler, type Profiler } from '../api/profiler';
import { summarise } from '../api/profile-summary';
import { progress } from '../support/harness';
import { CLOCK_TICKS_PER_SEC, procStat } from '../support/processes';
import { cpuMeter } from '../support/harness';
import { AgentClient, type Squad } from './agents';

/** A phase's figures by name (the JSON line's keys); null when not measured. */
export type Figures = Record<string, number | null>;

export type PhaseContext = {
  instance: Instance;
  squad: Squad;
  /** What the phases before found (e.g. the burst's claims/s, which sets the loop's pace). */
  measured: Figures;
  /** Missions seeded (all in To do before each phase). */
  missions: number;
  /** Seconds each measured stretch runs. */
  seconds: number;
  /** One client per agent, timing every call into `times` by operation. */
  clients(times: Map<string, number[]>): AgentClient[];
  /** Starts measuring CPU; the function gives each process's share of a core since. */
  cpu(): () => string;
};

export type Phase = { name: string; run(context: PhaseContext): Promise<Figures> };

let profiler: Promise<Profiler> | undefined;

/**
 * Runs `work`, and with BENCH_PROFILE_DIR a CPU profile of the serving process meanwhile (standalone
 * only; its main thread, or everything with MC_SERVICES_THREAD=0), printed by layer and function.
 * A profiled stretch is slower: its figures are not the benchmark's.
 */
export async function profiled<T>(
  context: PhaseContext,
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  const dir = process.env.BENCH_PROFILE_DIR;
  const pid = context.instance.servingPid;
  if (!dir || pid === undefined) {
    return work();
  }
  profiler ??= attachProfiler(pid, dir);
  const stop = await (await profiler).record(`${context.instance.mode} ${name}`);
  const result = await work();
  const summary = summarise(await stop(), 12);
  progress(
    `    profile (${summary.busyMs} ms busy): ${summary.layers
      .slice(0, 10)
      .map((l) => `${l.layer} ${l.share}%`)
      .join(', ')}`,
  );
  for (const f of summary.functions) {
    progress(`      ${String(f.ms).padStart(6)} ms  ${f.name}`);
  }
  return result;
}

/** Each product process's and engine's share of a core over a stretch, e.g. "node 187%, postgres 12%". */
export function processCpu(instance: Instance): () => string {
  const ticksOf = (pids: number[]) =>
    new Map(pids.map((pid) => [pid, procStat(pid)?.cpuTicks ?? 0]));
  const before = instance.groups.map((group) => ticksOf(group.pids()));
  const bench = cpuMeter();
  const started = performance.now();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const parts = instance.groups.map((group, i) => {
      let used = 0;
      for (const [pid, ticks] of ticksOf(group.pids())) {
        used += ticks - (before[i]!.get(pid) ?? 0);
      }
      return `${group.name} ${Math.round((used / CLOCK_TICKS_PER_SEC / seconds) * 100)}%`;
    });
    return [...parts, `load generator ${bench().node}%`].join(', ');
  };
}
