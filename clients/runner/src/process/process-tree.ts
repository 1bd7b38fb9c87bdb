import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { ProcessExit } from '../adapters/adapter';

export type TreeOptions = {
  cwd: string;
  env: NodeJS.ProcessEnv;
};

/** Whether any process of the group is alive (a zombie waiting to be reaped is not). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  // The group answers while any member is left, zombies included: look for a living one.
  return livingMembers(pgid) > 0;
}

function livingMembers(pgid: number): number {
  let living = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    // No /proc (not Linux): the signal's answer is all there is.
    return 1;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') {
        living += 1;
      }
    } catch {
      // gone meanwhile
    }
  }
  return living;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is gone
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A process started in a process group of its own (detached), so that it and everything it
 * starts can be stopped together: SIGTERM to the group, SIGKILL to what is left after a grace.
 */
export class ProcessTree {
  readonly child: ChildProcessWithoutNullStreams;
  readonly pgid: number;
  /** How the process (the group's leader) ended; its output is all read by then. */
  readonly exited: Promise<ProcessExit>;
  private stopping: Promise<void> | null = null;

  constructor(command: string, args: string[], options: TreeOptions) {
    this.child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const spawned = this.child.pid;
    this.exited = new Promise<ProcessExit>((resolve) => {
      // A command that cannot start (ENOENT, EACCES) has no exit event, only an error.
      this.child.once('error', (error: NodeJS.ErrnoException) => {
        if (spawned === undefined) {
          resolve({ code: null, signal: null, error: error.message });
        }
      });
      this.child.once('close', (code, signal) => resolve({ code, signal }));
    });
    this.pgid = spawned ?? -1;
    // Whatever the leader left behind when it ended by itself (a background child) goes with it.
    this.child.once('exit', () => {
      if (this.pgid > 0 && groupAlive(this.pgid)) {
        void this.stop(0);
      }
    });
    // A process that does not read its stdin must not crash the runner with EPIPE.
    this.child.stdin.on('error', () => undefined);
  }

  /** Whether any process of the tree still lives. */
  get alive(): boolean {
    return this.pgid > 0 && groupAlive(this.pgid);
  }

  /**
   * Stops the whole tree: SIGTERM to the group, SIGKILL after `graceMs` to whatever remains;
   * resolves once no process of the group lives.
   */
  stop(graceMs: number): Promise<void> {
    this.stopping ??= this.stopGroup(graceMs);
    return this.stopping;
  }

  private async stopGroup(graceMs: number): Promise<void> {
    if (this.pgid <= 0) {
      return;
    }
    if (graceMs > 0) {
      signalGroup(this.pgid, 'SIGTERM');
      const deadline = Date.now() + graceMs;
      while (Date.now() < deadline && groupAlive(this.pgid)) {
        await sleep(20);
      }
    }
    while (groupAlive(this.pgid)) {
      signalGroup(this.pgid, 'SIGKILL');
      await sleep(10);
    }
  }
}
