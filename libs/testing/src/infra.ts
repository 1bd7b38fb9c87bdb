import { spawnSync } from 'node:child_process';
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
