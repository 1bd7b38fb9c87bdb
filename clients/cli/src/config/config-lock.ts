import { closeSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MissionControlError } from '@mission-control/sdk';

export type LockOptions = { timeoutMs?: number; staleMs?: number; pollMs?: number };

/**
 * Runs `work` holding the config folder's lock, so two `mc` processes never refresh the session at
 * once: a refresh token works once, and presenting a used one ends the whole session. A lock left
 * by a process that died is taken over once it is `staleMs` old.
 */
export async function withConfigLock<T>(
  dir: string,
  work: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const { timeoutMs = 15_000, staleMs = 30_000, pollMs = 50 } = options;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'config.lock');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      closeSync(openSync(file, 'wx', 0o600));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    }
    const age = ageOf(file);
    if (age !== null && age > staleMs) {
      rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new MissionControlError({
        code: 'CONFLICT',
        message: `Another mc holds ${file}: try again, or delete it if no mc is running`,
      });
    }
    await sleep(pollMs);
  }
  try {
    return await work();
  } finally {
    rmSync(file, { force: true });
  }
}

function ageOf(file: string): number | null {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return null;
  }
}
