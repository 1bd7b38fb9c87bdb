// The instance under load: `npm start` (one process, embedded Postgres, in-process adapters) or the
// full stack (each service and the gateway a process of its own, on Kafka, Elasticsearch and
// InfluxDB), and the processes whose CPU and memory the benchmark reports.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  freePort,
  setUpTestRun,
  startStack,
  tearDownTestRun,
  workspaceRoot,
} from '@mission-control/testing';
import { now, progress, sleep } from '../support/harness';
import { argv, processes, pssMb, rssMb, treeOf, type ProcStat } from '../support/processes';

export type Mode = 'standalone' | 'full';

/** A named set of processes, found afresh at each look (Postgres forks a backend per connection). */
export type ProcessGroup = { name: string; pids(): number[]; product: boolean };

export type Instance = {
  mode: Mode;
  /** Where the graph and live push answer. */
  url: string;
  groups: ProcessGroup[];
  /** The Node process that serves requests, when there is one (standalone). */
  servingPid?: number;
  /** Its Postgres, for the database's own figures (a superuser's connection). */
  databaseUrl(): string;
  stop(): Promise<void>;
};

/**
 * Limits high enough that the benchmark measures the code, not the limiter: every request of a run
 * comes from one person or one agent. (Standalone honours them as the full stack does.)
 */
export const UNLIMITED = {
  RATE_LIMIT_PER_PRINCIPAL_PER_MINUTE: '1000000',
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000',
  AGENT_HEARTBEATS_PER_MINUTE: '1000000',
  LOG_LEVEL: 'warn',
};

async function waitReady(url: string, exited: () => string | undefined): Promise<void> {
  const deadline = now() + 180_000;
  let nextStatus = now() + 5_000;
  while (now() < deadline) {
    const exit = exited();
    if (exit) {
      throw new Error(exit);
    }
    const ready = await fetch(`${url}/ready`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) {
      return;
    }
    if (now() > nextStatus) {
      progress(`  waiting for ${url}/ready`);
      nextStatus += 5_000;
    }
    await sleep(250);
  }
  throw new Error(`${url} not ready after 180 s`);
}

/** `node scripts/start.mjs` (what `npm start` runs), on a fresh data folder and a free port. */
export async function startStandaloneInstance(): Promise<Instance> {
  // Postgres runs as the `postgres` user when this runs as root: it must pass through the parent.
  const parent = mkdtempSync(path.join(tmpdir(), 'mc-bench-api-'));
  chmodSync(parent, 0o755);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  let echo = true;
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: workspaceRoot,
    env: {
      ...process.env,
      ...UNLIMITED,
      NODE_ENV: 'production',
      PORT: String(port),
      MC_DATA_DIR: path.join(parent, 'data'),
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      // Its start, as it goes; after that, what it logs is in the output kept for a failure.
      for (const line of echo ? chunk.toString().split('\n').filter(Boolean) : []) {
        progress(`  | ${line}`);
      }
    });
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(20_000)]);
    }
    // Whatever outlived the launcher (Postgres's children) goes with the group.
    for (const proc of treeOf(child.pid!)) {
      try {
        process.kill(proc.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(parent, { recursive: true, force: true });
  };
  try {
    await waitReady(url, () =>
      child.exitCode !== null
        ? `npm start exited (${child.exitCode}):\n${output.join('')}`
        : undefined,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  echo = false;
  const launcher = child.pid!;
  return {
    mode: 'standalone',
    url,
    servingPid: launcher,
    // The embedded server's port is in its pid file (fourth line), its password in the folder's secrets.
    databaseUrl: () => {
      const dataDir = path.join(parent, 'data');
      const port = readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')
        .split('\n')[3]!
        .trim();
      const { POSTGRES_PASSWORD } = JSON.parse(
        readFileSync(path.join(dataDir, 'secrets.json'), 'utf8'),
      ) as { POSTGRES_PASSWORD: string };
      return `postgres://postgres:${encodeURIComponent(POSTGRES_PASSWORD)}@127.0.0.1:${port}/mission_control`;
    },
    groups: [
      { name: 'node (everything)', pids: () => [launcher], product: true },
      {
        name: 'postgres (embedded)',
        pids: () =>
          treeOf(launcher)
            .filter((proc) => proc.comm.startsWith('postgres'))
            .map((p) => p.pid),
        product: true,
      },
    ],
    stop,
  };
}

/** The engines' processes, recognised by name and command line. */
function engine(name: string, match: (proc: ProcStat) => boolean): ProcessGroup {
  return {
    name,
    product: false,
    pids: () =>
      processes()
        .filter(match)
        .map((proc) => proc.pid),
  };
}

const javaRunning = (mainClass: string) => (proc: ProcStat) =>
  proc.comm === 'java' && argv(proc.pid).some((arg) => arg.includes(mainClass));

/** Each service and the gateway as the e2e suites run them, NODE_ENV=production, on this run's database and topics. */
export async function startFullInstance(): Promise<Instance> {
  progress('  engines up, a database of this run, every schema migrated');
  await setUpTestRun({ services: ['identity', 'agent', 'mission', 'integration', 'analytics'] });
  const stack = await startStack({ nodeEnv: 'production', env: UNLIMITED }).catch(
    async (error: unknown) => {
      await tearDownTestRun();
      throw error;
    },
  );
  return {
    mode: 'full',
    url: stack.gatewayUrl,
    databaseUrl: () => process.env.DATABASE_URL!,
    groups: [
      ...Object.entries(stack.pids).map(([name, pid]) => ({
        name: `node ${name}`,
        pids: () => [pid],
        product: true,
      })),
      engine('postgres', (proc) => proc.comm === 'postgres'),
      engine('kafka', javaRunning('kafka.Kafka')),
      engine('elasticsearch', javaRunning('org.elasticsearch')),
      engine('influxdb', (proc) => proc.comm === 'influxd'),
    ],
    stop: async () => {
      await stack.stop();
      await tearDownTestRun();
    },
  };
}

export type Memory = {
  /** The product's Node processes' RSS plus Postgres's PSS (its shared buffers shared out, not counted once per backend). */
  totalMb: number;
  postgresRssMb: number;
  postgresPssMb: number;
  byGroup: Record<string, number>;
};

/** What the product holds in memory: standalone's embedded Postgres is part of it; the full stack's engines are not. */
export function memoryOf(instance: Instance): Memory {
  const byGroup: Record<string, number> = {};
  let postgres = { rss: 0, pss: 0 };
  for (const group of instance.groups.filter((g) => g.product)) {
    const pids = group.pids();
    const rss = pids.reduce((total, pid) => total + rssMb(pid), 0);
    byGroup[group.name] = Math.round(rss);
    if (group.name.startsWith('postgres')) {
      postgres = { rss, pss: pids.reduce((total, pid) => total + pssMb(pid), 0) };
    }
  }
  const nodeMb = Object.entries(byGroup)
    .filter(([name]) => !name.startsWith('postgres'))
    .reduce((total, [, mb]) => total + mb, 0);
  return {
    totalMb: Math.round(nodeMb + postgres.pss),
    postgresRssMb: Math.round(postgres.rss),
    postgresPssMb: Math.round(postgres.pss),
    byGroup,
  };
}
