import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Every service that owns a Postgres schema (same name as the service and its folder). */
export const SERVICES = ['identity', 'agent', 'mission', 'integration', 'analytics'] as const;
export type ServiceName = (typeof SERVICES)[number];

export function assertService(service: string): ServiceName {
  if (!(SERVICES as readonly string[]).includes(service)) {
    throw new Error(`unknown service "${service}" (expected one of ${SERVICES.join(', ')})`);
  }
  return service as ServiceName;
}

let root: string | undefined;

/** The monorepo root (the folder holding nx.json), found from this file in src/ or dist/. */
export function workspaceRoot(): string {
  if (root) {
    return root;
  }
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) {
      root = dir;
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`no nx.json above ${__dirname}`);
    }
  }
}

export const serviceDir = (service: ServiceName) => path.join(workspaceRoot(), 'services', service);

export type PrismaRun = { code: number; stdout: string; stderr: string; durationMs: number };

let libraryBuilt = false;

/**
 * Each service's prisma.config.ts imports this library's built output (the Prisma CLI loads config
 * files without our TS source condition). Build it once if it is missing, e.g. on a fresh clone.
 */
async function ensureLibraryBuilt(): Promise<void> {
  const libDir = path.join(workspaceRoot(), 'libs', 'database');
  if (libraryBuilt || existsSync(path.join(libDir, 'dist', 'index.js'))) {
    libraryBuilt = true;
    return;
  }
  const tsc = require.resolve('typescript/bin/tsc', { paths: [libDir] });
  const run = await spawnNode(
    [tsc, '-b', path.join(libDir, 'tsconfig.lib.json')],
    libDir,
    process.env,
  );
  if (run.code !== 0) {
    throw new Error(`building @mission-control/database failed:\n${run.stdout}${run.stderr}`);
  }
  libraryBuilt = true;
}

function spawnNode(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<PrismaRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout,
        stderr,
        durationMs: Math.round(performance.now() - started),
      }),
    );
  });
}

/**
 * Runs the Prisma CLI in a service's folder (so its prisma.config.ts applies) against `databaseUrl`,
 * with no telemetry or update check, i.e. without any network access.
 */
export async function runPrisma(
  service: ServiceName,
  args: string[],
  databaseUrl: string,
): Promise<PrismaRun> {
  await ensureLibraryBuilt();
  const cwd = serviceDir(service);
  const cli = require.resolve('prisma/build/index.js', { paths: [cwd] });
  return spawnNode([cli, ...args], cwd, {
    ...process.env,
    DATABASE_URL: databaseUrl,
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    PRISMA_DISABLE_WARNINGS: '1',
    NO_COLOR: '1',
  });
}

export class PrismaCommandError extends Error {
  constructor(
    readonly service: string,
    readonly command: string,
    readonly run: PrismaRun,
  ) {
    super(
      `prisma ${command} failed for ${service} (exit ${run.code}):\n${(run.stdout + run.stderr).trim()}`,
    );
    this.name = 'PrismaCommandError';
  }
}
