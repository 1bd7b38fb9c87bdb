import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { ProcessExit } from '../adapters/adapter';

export type TreeOptions = {
  cwd: string;
  env: NodeJS.ProcessEnv;
};

/** Whether the group has any member, zombies waiting to be reaped included (cheap: one syscall). */
function groupAnswers(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether any process of the group is alive (a zombie waiting to be reaped is not). */
export function groupAlive(pgid: number): boolean {
  if (!groupAnswers(pgid)) {
    return false;
  }
  return livingGroups()?.has(pgid) ?? true;
}

let snapshot: { at: number; living: Set<number> | null } | null = null;

/**
 * The process groups with a living member, from one look through /proc shared by every tree for
 * 20 ms: a look reads every process's stat, too dear for each of 50 stopping trees on its own.
 * Without /proc (not Linux) a group's answer to signal 0 is all there is.
 */
function livingGroups(): Set<number> | null {
  const at = Date.now();
  if (snapshot && at - snapshot.at < SNAPSHOT_MS) {
    return snapshot.living;
  }
  const living = new Set<number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    snapshot = { at, living: null };
    return null;
  }
  for (const entry of entries) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ', 3);
      if (fields[0] !== 'Z') {
        living.add(Number(fields[2]));
      }
    } catch {
      // gone meanwhile
    }
  }
  snapshot = { at, living };
  return living;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is gone
  }
}

/** Between looks at a stopping group. */
const POLL_MS = 10;
const SNAPSHOT_MS = 20;
/** What a process that ended by itself left in its group has this long after a SIGTERM. */
const LEFTOVER_GRACE_MS = 500;

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
    // Whatever the leader left behind when it ended by itself (a background child) goes with it:
    // a run leaves no process behind, and one holding the output open would hold the run open.
    this.child.once('exit', () => {
      if (this.pgid > 0 && groupAlive(this.pgid)) {
        void this.stop(LEFTOVER_GRACE_MS);
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
      while (Date.now() < deadline && this.stillThere()) {
        await sleep(POLL_MS);
      }
    }
    while (this.stillThere()) {
      signalGroup(this.pgid, 'SIGKILL');
      await sleep(POLL_MS);
    }
  }

  /** The group still has a living member (zombies a busy init has not reaped yet do not count). */
  private stillThere(): boolean {
    return groupAlive(this.pgid);
  }
}
