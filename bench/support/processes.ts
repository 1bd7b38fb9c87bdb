// Processes under /proc: their trees, CPU ticks and memory (Linux only).
import { existsSync, readFileSync, readdirSync } from 'node:fs';

export const CLOCK_TICKS_PER_SEC = 100;

export type ProcStat = { pid: number; ppid: number; pgrp: number; comm: string; cpuTicks: number };

export function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name sits in parentheses and may itself hold spaces or parentheses.
    const close = text.lastIndexOf(')');
    const fields = text.slice(close + 2).split(' ');
    return {
      pid,
      ppid: Number(fields[1]),
      pgrp: Number(fields[2]),
      comm: text.slice(text.indexOf('(') + 1, close),
      cpuTicks: Number(fields[11]) + Number(fields[12]),
    };
  } catch {
    return undefined;
  }
}

export function processes(): ProcStat[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => procStat(Number(entry)))
    .filter((stat) => stat !== undefined);
}

/** Every live process below the roots, found through the ppid links. */
export function below(all: ProcStat[], roots: number[]): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const stat of all) {
    children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  }
  const seen = new Set(roots);
  const found: ProcStat[] = [];
  const queue = [...roots];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (!seen.has(child.pid)) {
        seen.add(child.pid);
        found.push(child);
        queue.push(child.pid);
      }
    }
  }
  return found;
}

export const descendants = (pid: number): ProcStat[] => below(processes(), [pid]);

/**
 * Everything a spawn started: its process group, which still holds whatever outlived the spawned
 * process itself, and everything below (Postgres's children run in process groups of their own).
 */
export function treeOf(pgid: number): ProcStat[] {
  const all = processes();
  const group = all.filter((stat) => stat.pgrp === pgid);
  return [
    ...group,
    ...below(
      all,
      group.map((stat) => stat.pid),
    ),
  ];
}

export const alive = (pid: number): boolean => existsSync(`/proc/${pid}`);

export function argv(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/** kB figures of one process, in MB; 0 once it is gone. */
export function memoryMb(
  pid: number,
  file: 'status' | 'smaps_rollup',
  key: 'VmRSS' | 'Pss',
): number {
  try {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/${file}`, 'utf8'),
    );
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

export const rssMb = (pid: number) => memoryMb(pid, 'status', 'VmRSS');
export const pssMb = (pid: number) => memoryMb(pid, 'smaps_rollup', 'Pss');
