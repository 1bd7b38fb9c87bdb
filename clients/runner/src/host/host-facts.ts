import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, statfs, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HostSampleInput, ReportHostInput } from '@mission-control/sdk';

/** CPU time counters of every core, as `os.cpus()` gives them. */
export type CpuTimes = { idle: number; total: number };

export function cpuTimes(cpus: readonly os.CpuInfo[] = os.cpus()): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const { times } of cpus) {
    idle += times.idle;
    total += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  return { idle, total };
}

/** Busy share of all cores between two readings, 0 to 100 (0 when no time passed). */
export function cpuPercentBetween(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  if (total <= 0) {
    return 0;
  }
  const busy = total - (after.idle - before.idle);
  return Math.min(100, Math.max(0, Math.round((busy / total) * 1_000) / 10));
}

/** A container says so by the files and variables its runtime leaves; anything else is a server. */
export function hostKindOf(signs: { dockerEnv: boolean; env: NodeJS.ProcessEnv }) {
  return signs.dockerEnv || signs.env.KUBERNETES_SERVICE_HOST || signs.env.container
    ? ('CONTAINER' as const)
    : ('SERVER' as const);
}

/**
 * This host's stable key: made once and kept in the work folder, so a restarted runner is the
 * same host and two runners on one machine with their own work folders are two.
 */
export async function hostKeyIn(workRoot: string): Promise<string> {
  const file = path.join(workRoot, '.host-key');
  const kept = await readFile(file, 'utf8').catch(() => '');
  if (/^[\x21-\x7e]{1,200}$/.test(kept.trim())) {
    return kept.trim();
  }
  const key = `runner-${randomUUID()}`;
  await mkdir(workRoot, { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/** What a runner reports of its host. */
export function hostFacts(hostKey: string, runnerVersion: string): ReportHostInput {
  return {
    hostKey,
    hostname: os.hostname() || 'unnamed host',
    kind: hostKindOf({ dockerEnv: existsSync('/.dockerenv'), env: process.env }),
    os: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    cpuCount: Math.max(1, os.availableParallelism()),
    memoryBytes: os.totalmem(),
    runnerVersion,
  };
}

/** Memory and the work folder's disk now, with the CPU share since `since`. */
export async function hostSample(workRoot: string, since: CpuTimes): Promise<HostSampleInput> {
  const disk = await statfs(workRoot);
  const diskTotalBytes = disk.blocks * disk.bsize;
  return {
    cpuPercent: cpuPercentBetween(since, cpuTimes()),
    memoryUsedBytes: os.totalmem() - os.freemem(),
    diskUsedBytes: Math.min(diskTotalBytes, (disk.blocks - disk.bfree) * disk.bsize),
    diskTotalBytes,
  };
}
