import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type Engine = 'postgres' | 'kafka' | 'elasticsearch' | 'influxdb';

export const ALL_ENGINES: readonly Engine[] = ['postgres', 'kafka', 'elasticsearch', 'influxdb'];

export const workspaceRoot = path.resolve(__dirname, '../../..');

/**
 * Brings the engines up with the same script developers use (idempotent, serialised by a lock).
 * Fails loudly: an integration suite never quietly skips because an engine is missing.
 */
export function ensureEngines(engines: readonly Engine[] = ALL_ENGINES): void {
  const result = spawnSync('bash', [path.join(workspaceRoot, 'deploy/local/infra.sh'), 'up'], {
    cwd: workspaceRoot,
    env: { ...process.env, MC_INFRA_ENGINES: engines.join(' ') },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    throw new Error(
      `Could not start the test engines (${engines.join(', ')}): deploy/local/infra.sh up exited with ${
        result.status ?? result.signal
      }. See its output above and the logs under .data/infra/logs/.`,
    );
  }
}

const infraDir = () => process.env.MC_INFRA_DIR ?? path.join(workspaceRoot, '.data/infra');

/** SIGKILLs an engine that deploy/local started (chaos tests); `ensureEngines` brings it back. */
export function killEngine(engine: Exclude<Engine, 'postgres'>): number {
  const pid = Number(readFileSync(path.join(infraDir(), 'run', `${engine}.pid`), 'utf8').trim());
  process.kill(pid, 'SIGKILL');
  return pid;
}

/**
 * Restarts the local PostgreSQL cluster with a fast shutdown: every session is cut, in-flight
 * transactions abort. For chaos tests, which run alone (never beside other suites).
 */
export function restartPostgres(): void {
  const versions = readdirSync('/etc/postgresql');
  const result = spawnSync(
    'pg_ctlcluster',
    ['--skip-systemctl-redirect', versions[0] ?? '15', 'main', 'restart', '-m', 'fast'],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (result.status !== 0) {
    throw new Error(`pg_ctlcluster restart exited with ${result.status ?? result.signal}`);
  }
}
