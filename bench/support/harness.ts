// Timing, progress and reporting helpers for the benchmark: no engine code here.
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';

const started = performance.now();

/** Milliseconds on the process's monotonic clock. */
export const now = (): number => performance.now();

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** One progress line, stamped with the seconds since the benchmark started. */
export function progress(line: string): void {
  const at = ((now() - started) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[${at}s] ${line}\n`);
}

export const elapsedSeconds = (): number => (now() - started) / 1000;

/** Events per second of `events` done in `ms`. */
export const perSecond = (events: number, ms: number): number =>
  ms > 0 ? Math.round((events * 1000) / ms) : 0;

/**
 * Polls `done` every 20 ms and prints `status()` every 2 s. Resolves the time `done` first held,
 * or undefined when `timeoutMs` ran out first.
 */
export async function waitFor(
  done: () => boolean,
  timeoutMs: number,
  status: () => string,
): Promise<number | undefined> {
  const deadline = now() + timeoutMs;
  let nextStatus = now() + 2_000;
  while (!done()) {
    if (now() > deadline) {
      progress(`  timed out after ${(timeoutMs / 1000).toFixed(0)}s: ${status()}`);
      return undefined;
    }
    if (now() > nextStatus) {
      progress(`  ${status()}`);
      nextStatus += 2_000;
    }
    await sleep(20);
  }
  return now();
}

function machineTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    busy += times.user + times.nice + times.sys + times.irq;
    total += times.user + times.nice + times.sys + times.irq + times.idle;
  }
  return { busy, total };
}

export type CpuUse = { node: number; machine: number; cores: number };

/** Starts measuring CPU; the returned function gives this process's and the whole machine's use in % of one core. */
export function cpuMeter(): () => CpuUse {
  const wall = now();
  const node = process.cpuUsage();
  const machine = machineTimes();
  return () => {
    const used = process.cpuUsage(node);
    const { busy, total } = machineTimes();
    const cores = cpus().length;
    return {
      node: Math.round((used.user + used.system) / 10 / (now() - wall)),
      machine: Math.round(
        ((busy - machine.busy) / Math.max(1, total - machine.total)) * 100 * cores,
      ),
      cores,
    };
  };
}

export const fmtCpu = (cpu: CpuUse): string =>
  `node ${cpu.node}%, machine ${cpu.machine}%/${cpu.cores * 100}%`;

export type Percentiles = { count: number; p50: number; p95: number; p99: number; max: number };

/** Nearest-rank percentiles of `values` (milliseconds), rounded to 0.1 ms. */
export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => {
    if (sorted.length === 0) {
      return NaN;
    }
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return round1(sorted[rank]!);
  };
  return { count: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: at(100) };
}

export const round1 = (value: number): number => Math.round(value * 10) / 10;
export const round2 = (value: number): number => Math.round(value * 100) / 100;

export const fmtRate = (eventsPerSec: number): string =>
  `${eventsPerSec.toLocaleString('en-US')} ev/s`;

export const fmtMs = (p: Percentiles): string =>
  `p50 ${p.p50} / p95 ${p.p95} / p99 ${p.p99} / max ${p.max} ms`;

/** A plain-text table, columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
}

/** Runs a benchmark's main: exit 0 when it completes, 1 with the error when it fails. */
export function runBenchmark(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`benchmark failed: ${message}\n`);
      process.exit(1);
    },
  );
}
