import { existsSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isMissionControlError } from '@mission-control/sdk';
import { withConfigLock } from './config-lock';

describe('the config lock', () => {
  const dir = () => mkdtempSync(path.join(tmpdir(), 'mc-lock-'));

  it('runs one holder at a time and lets go afterwards', async () => {
    const sut = dir();
    const order: string[] = [];
    const holder = (name: string) =>
      withConfigLock(
        sut,
        async () => {
          order.push(`${name} in`);
          await new Promise((resolve) => setTimeout(resolve, 30));
          order.push(`${name} out`);
        },
        { pollMs: 5 },
      );
    await Promise.all([holder('a'), holder('b')]);
    expect(order).toEqual(['a in', 'a out', 'b in', 'b out']);
    expect(existsSync(path.join(sut, 'config.lock'))).toBe(false);
  });

  it('lets go when the work fails', async () => {
    const sut = dir();
    await expect(withConfigLock(sut, () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(withConfigLock(sut, () => Promise.resolve(1))).resolves.toBe(1);
  });

  it('takes over a lock left by a process that died', async () => {
    const sut = dir();
    const file = path.join(sut, 'config.lock');
    writeFileSync(file, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    await expect(withConfigLock(sut, () => Promise.resolve('mine'))).resolves.toBe('mine');
  });

  it('gives up on a lock held too long with a CONFLICT naming it', async () => {
    const sut = dir();
    writeFileSync(path.join(sut, 'config.lock'), '');
    const thrown = await withConfigLock(sut, () => Promise.resolve(), {
      timeoutMs: 50,
      pollMs: 5,
    }).catch((error: unknown) => error);
    expect(isMissionControlError(thrown, 'CONFLICT')).toBe(true);
    expect((thrown as Error).message).toContain('config.lock');
  });
});
