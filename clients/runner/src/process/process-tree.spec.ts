import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FAKE_BIN } from '../../test/support/fixtures';
import { groupAlive, ProcessTree } from './process-tree';

const dir = mkdtempSync(path.join(tmpdir(), 'process-tree-'));

/** Alive and not a zombie waiting for its parent. */
function alive(pid: number): boolean {
  if (!existsSync(`/proc/${pid}`)) {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function pidsOf(file: string): Promise<{ pid: number; childPid: number }> {
  for (let i = 0; i < 200 && !existsSync(file); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  return JSON.parse(readFileSync(file, 'utf8')) as { pid: number; childPid: number };
}

function fake(name: string, env: Record<string, string>) {
  const pidFile = path.join(dir, `${name}.json`);
  const tree = new ProcessTree(
    path.join(FAKE_BIN, 'claude'),
    ['-p', '--output-format', 'stream-json', '--verbose', 'go'],
    {
      cwd: dir,
      env: {
        ...process.env,
        FAKE_TRANSCRIPT: 'claude-code/long.jsonl',
        FAKE_HOLD: '1',
        FAKE_CHILD: '1',
        FAKE_PID_FILE: pidFile,
        ...env,
      },
    },
  );
  tree.child.stdout.resume();
  tree.child.stderr.resume();
  return { tree, pidFile };
}

describe('a process tree', () => {
  it('stops a process and its child with SIGTERM', async () => {
    const { tree, pidFile } = fake('polite', {});
    const { pid, childPid } = await pidsOf(pidFile);
    expect(alive(pid) && alive(childPid)).toBe(true);
    const started = Date.now();
    await tree.stop(1_000);
    expect(Date.now() - started).toBeLessThan(500);
    expect(alive(pid) || alive(childPid)).toBe(false);
    await expect(tree.exited).resolves.toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('kills a tree that ignores SIGTERM once the grace is over, well within 2 s', async () => {
    const { tree, pidFile } = fake('stubborn', { FAKE_IGNORE_TERM: '1' });
    const { pid, childPid } = await pidsOf(pidFile);
    const started = Date.now();
    await tree.stop(300);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(300);
    expect(took).toBeLessThan(2_000);
    expect(alive(pid) || alive(childPid)).toBe(false);
    expect(groupAlive(tree.pgid)).toBe(false);
    await expect(tree.exited).resolves.toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('reports a command that cannot start', async () => {
    const tree = new ProcessTree(path.join(dir, 'no-such-agent'), [], {
      cwd: dir,
      env: process.env,
    });
    await expect(tree.exited).resolves.toMatchObject({
      code: null,
      error: expect.stringContaining('ENOENT'),
    });
    await tree.stop(100);
  });

  it('stops what a process left behind when it ended by itself, so its output closes', async () => {
    const tree = new ProcessTree('sh', ['-c', 'sleep 30 & echo "left $!"'], {
      cwd: dir,
      env: process.env,
    });
    let printed = '';
    tree.child.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    tree.child.stderr.resume();
    const started = Date.now();
    await expect(tree.exited).resolves.toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(2_000);
    const left = Number(/left (\d+)/.exec(printed)?.[1]);
    expect(left).toBeGreaterThan(0);
    expect(alive(left)).toBe(false);
  });
});
