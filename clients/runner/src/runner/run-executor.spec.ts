import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type {
  AgentSession,
  ClaimedMission,
  LogStreamName,
  RunHandle,
  RunUsageInput,
} from '@mission-control/sdk';
import { FAKE_BIN } from '../../test/support/fixtures';
import { claudeCodeAdapter } from '../adapters/claude-code.adapter';
import { commandAdapter } from '../adapters/command.adapter';
import { executeRun, type ExecutionSettings, type RunnerEvent, summaryText } from './run-executor';

const workRoot = mkdtempSync(path.join(tmpdir(), 'run-executor-'));

const MISSION: ClaimedMission = {
  id: 'mission-1',
  workspaceId: 'ws-1',
  title: 'Collect regolith samples',
  description: 'Near the rim.\n\n## Acceptance criteria\n- two samples',
  priority: 'MEDIUM',
  tags: [],
  column: 'IN_PROGRESS',
  claimEpoch: 1,
  leaseExpiresAt: null,
};

/** What the run handle and the session were asked to do, in order. */
type Call =
  | { log: string }
  | { usage: RunUsageInput }
  | { flush: number }
  | { finish: string; summary?: string; moveTo?: string }
  | { move: string; to: string }
  | { release: string };

let runs = 0;
const budgetStop = { outcome: 'CANCELLED', budgetId: 'budget-1' };

/** A session whose single run records every call; `cancel()` ends the run as the server would. */
function fakeSession() {
  const calls: Call[] = [];
  const controller = new AbortController();
  let logged = 0;
  const run = {
    id: `run-${++runs}`,
    signal: controller.signal,
    log: (stream: LogStreamName, text: string) => {
      if (!controller.signal.aborted) {
        logged += 1;
        calls.push({ log: `${stream}: ${text}` });
      }
    },
    flush: () => {
      calls.push({ flush: logged });
      return Promise.resolve();
    },
    reportUsage: (usage: RunUsageInput) => {
      calls.push({ usage });
      return Promise.resolve({});
    },
    finish: (outcome: string, options: { summary?: string; moveTo?: string } = {}) => {
      calls.push({ finish: outcome, ...options });
      return Promise.resolve({});
    },
  };
  const session = {
    agent: { id: 'agent-1' },
    workspaceId: 'ws-1',
    client: {
      moveMission: (_workspaceId: string, missionId: string, to: string) => {
        calls.push({ move: missionId, to });
        return Promise.resolve({});
      },
    },
    startRun: () => Promise.resolve(run as unknown as RunHandle),
    release: (missionId: string) => {
      calls.push({ release: missionId });
      return Promise.resolve();
    },
  } as unknown as AgentSession;
  const cancel = (ended: { outcome: string; budgetId: string | null } = budgetStop) => {
    const reason = Object.assign(new Error(`Run ended on the server: ${ended.outcome}`), {
      ended,
    });
    controller.abort(reason);
  };
  return { session, calls, cancel, runId: run.id };
}

function settings(events: RunnerEvent[] = []): ExecutionSettings {
  return {
    workRoot,
    killGraceMs: 300,
    onSuccess: 'REVIEW',
    onFailure: 'BACKLOG',
    cleanWorkFolders: false,
    env: process.env,
    emit: (event) => events.push(event),
  };
}

const logs = (calls: Call[]) => calls.flatMap((call) => ('log' in call ? [call.log] : []));

async function pidsIn(folder: string): Promise<{ pid: number; childPid: number }> {
  const file = path.join(folder, 'pids.json');
  for (let i = 0; i < 300 && !existsSync(file); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  return JSON.parse(readFileSync(file, 'utf8')) as { pid: number; childPid: number };
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('a run executed by the runner', () => {
  it('hands the mission back itself when finishing moves it nowhere', async () => {
    const { session, calls } = fakeSession();
    const adapter = commandAdapter({
      command: path.join(FAKE_BIN, 'steady-agent'),
      env: { FAKE_LINES: '1', FAKE_INTERVAL_MS: '1' },
    });
    await executeRun(
      session,
      adapter,
      MISSION,
      { ...settings(), onSuccess: null },
      new AbortController().signal,
    );
    expect(calls.slice(-2)).toEqual([
      { finish: 'SUCCEEDED', summary: expect.any(String) },
      { release: 'mission-1' },
    ]);
  });

  it('streams a command’s output as the log, sends the lines before its usage, and finishes it', async () => {
    const { session, calls, runId } = fakeSession();
    const adapter = commandAdapter({
      command: path.join(FAKE_BIN, 'steady-agent'),
      env: { FAKE_LINES: '12', FAKE_INTERVAL_MS: '5' },
    });
    const report = await executeRun(
      session,
      adapter,
      MISSION,
      settings(),
      new AbortController().signal,
    );

    expect(report).toMatchObject({ runId, outcome: 'SUCCEEDED' });
    const lines = logs(calls);
    expect(lines[0]).toMatch(/^system: \$ .*steady-agent < <prompt> \(in .*\)$/);
    expect(lines.slice(1)).toEqual([
      'stdout: \u001b[1mprompt:\u001b[0m You are working on the mission "Collect regolith samples" (mission mission-1, run ' +
        `${runId}).`,
      ...Array.from({ length: 12 }, (_, n) =>
        n + 1 === 10
          ? 'stderr: \u001b[33mwarning\u001b[0m: step 10 is slow'
          : `stdout: \u001b[32m✔\u001b[0m step ${n + 1} of 12`,
      ),
      'system: exit code 0',
    ]);
    // Every line printed before the usage line was handed over before the usage was reported.
    const usageAt = calls.findIndex((call) => 'usage' in call);
    expect(calls[usageAt - 1]).toEqual({ flush: 14 });
    expect(calls[usageAt]).toEqual({
      usage: { model: 'claude-sonnet-4-5', inputTokens: 1200, outputTokens: 120 },
    });
    // Finished and moved on, which ends the claim (the SDK's finish): nothing left to hand back.
    expect(calls.at(-1)).toEqual({
      finish: 'SUCCEEDED',
      summary: expect.any(String),
      moveTo: 'REVIEW',
    });
    expect(calls).not.toContainEqual({ release: 'mission-1' });
    expect(readFileSync(path.join(workRoot, runId, 'MISSION.md'), 'utf8')).toContain(
      '- two samples',
    );
  });

  it('stops the whole tree on a cancel, SIGKILL after the grace for what ignores SIGTERM, and finishes nothing', async () => {
    const { session, calls, cancel, runId } = fakeSession();
    const adapter = claudeCodeAdapter({
      executable: path.join(FAKE_BIN, 'claude'),
      env: {
        FAKE_TRANSCRIPT: 'claude-code/long.jsonl',
        FAKE_HOLD: '1',
        FAKE_IGNORE_TERM: '1',
        FAKE_CHILD: '1',
        FAKE_PID_FILE: 'pids.json',
      },
    });
    const running = executeRun(session, adapter, MISSION, settings(), new AbortController().signal);
    const { pid, childPid } = await pidsIn(path.join(workRoot, runId));
    expect(alive(pid) && alive(childPid)).toBe(true);
    cancel();
    const report = await running;

    expect(report.outcome).toBe('CANCELLED');
    const took = report.treeGoneAt! - report.cancelledAt!;
    expect(took).toBeGreaterThanOrEqual(300);
    expect(took).toBeLessThan(2_000);
    expect(alive(pid) || alive(childPid)).toBe(false);
    expect(calls.some((call) => 'finish' in call)).toBe(false);
  });

  it('fails the run on output it cannot read, stopping the process that would have held on', async () => {
    const { session, calls } = fakeSession();
    const adapter = claudeCodeAdapter({
      executable: path.join(FAKE_BIN, 'claude'),
      env: { FAKE_TRANSCRIPT: 'claude-code/garbage.jsonl', FAKE_HOLD: '1' },
    });
    const report = await executeRun(
      session,
      adapter,
      MISSION,
      settings(),
      new AbortController().signal,
    );

    expect(report.outcome).toBe('FAILED');
    expect(logs(calls)).toContainEqual(
      expect.stringMatching(/^system: parse error: Claude Code wrote a line that is not JSON/),
    );
    expect(logs(calls)).not.toContain('stdout: This line is never read.');
    expect(calls.at(-1)).toEqual({
      finish: 'FAILED',
      summary: summaryText(report.summary),
      moveTo: 'BACKLOG',
    });
    expect(report.summary).not.toContain('\u001b');
  });

  it('fails a run whose command cannot start, saying why', async () => {
    const { session, calls } = fakeSession();
    const adapter = commandAdapter({ command: path.join(workRoot, 'no-such-agent') });
    const report = await executeRun(
      session,
      adapter,
      MISSION,
      settings(),
      new AbortController().signal,
    );
    expect(report).toMatchObject({
      outcome: 'FAILED',
      summary: expect.stringContaining('could not start'),
    });
    expect(logs(calls).at(-1)).toMatch(/^system: could not start: spawn .* ENOENT$/);
  });

  it.each([
    ['a budget’s stop', budgetStop, [{ release: 'mission-1' }]],
    ['a time-out', { outcome: 'TIMED_OUT', budgetId: null }, [{ release: 'mission-1' }]],
    [
      'a person’s cancel',
      { outcome: 'CANCELLED', budgetId: null },
      [{ move: 'mission-1', to: 'BACKLOG' }, { release: 'mission-1' }],
    ],
  ])('after %s, gives the mission up: to another agent, or parked', async (_, ended, last) => {
    const { session, calls, cancel, runId } = fakeSession();
    const adapter = commandAdapter({
      command: path.join(FAKE_BIN, 'steady-agent'),
      env: { FAKE_LINES: '1', FAKE_INTERVAL_MS: '5', FAKE_HOLD: '1', FAKE_PID_FILE: 'pids.json' },
    });
    const running = executeRun(session, adapter, MISSION, settings(), new AbortController().signal);
    await pidsIn(path.join(workRoot, runId));
    cancel(ended);
    const report = await running;
    expect(report.outcome).toBe(ended.outcome);
    expect(calls.filter((call) => 'finish' in call)).toEqual([]);
    expect(calls.slice(-last.length)).toEqual(last);
  });

  it('hands the mission back when the runner stops mid-run', async () => {
    const { session, calls, runId } = fakeSession();
    const adapter = commandAdapter({
      command: path.join(FAKE_BIN, 'steady-agent'),
      env: { FAKE_LINES: '1', FAKE_INTERVAL_MS: '5', FAKE_HOLD: '1', FAKE_PID_FILE: 'pids.json' },
    });
    const shutdown = new AbortController();
    const running = executeRun(session, adapter, MISSION, settings(), shutdown.signal);
    const { pid } = await pidsIn(path.join(workRoot, runId));
    shutdown.abort();
    const report = await running;
    expect(report.outcome).toBe('ABANDONED');
    expect(alive(pid)).toBe(false);
    expect(logs(calls).at(-1)).toBe('system: The runner is stopping: the mission is handed back.');
    expect(calls.at(-1)).toEqual({ release: 'mission-1' });
  });

  it('moves the mission as its run starts when asked, and reports the agent’s billing', async () => {
    const { session, calls } = fakeSession();
    const started: unknown[] = [];
    const startRun = session.startRun.bind(session);
    session.startRun = (mission, input) => {
      started.push(input);
      return startRun(mission, input);
    };
    const adapter = commandAdapter({
      command: path.join(FAKE_BIN, 'steady-agent'),
      env: { FAKE_LINES: '1', FAKE_INTERVAL_MS: '5' },
      model: 'gpt-5-codex',
    });
    const report = await executeRun(
      session,
      adapter,
      { ...MISSION, column: 'TODO' },
      { ...settings(), onStart: 'IN_PROGRESS', billing: 'SUBSCRIPTION' },
      new AbortController().signal,
    );
    expect(report.outcome).toBe('SUCCEEDED');
    expect(started).toEqual([
      { adapter: 'command', model: 'gpt-5-codex', provider: 'unknown', billing: 'SUBSCRIPTION' },
    ]);
    expect(calls.filter((call) => 'move' in call)).toEqual([
      { move: 'mission-1', to: 'IN_PROGRESS' },
    ]);
    expect(calls.findIndex((call) => 'move' in call)).toBeLessThan(
      calls.findIndex((call) => 'log' in call),
    );
  });
});

describe('a run’s summary', () => {
  it('loses colours and control characters the server refuses, keeping lines and tabs', () => {
    expect(summaryText('Segfault \u001b[31m<<garbage>>\u001b[0m\r\nnext\tline\u202e\u0007')).toBe(
      'Segfault <<garbage>>\nnext\tline',
    );
    expect(summaryText('\u001b]0;title\u0007done')).toBe('done');
  });

  it('is cut at 2,000 characters', () => {
    expect(summaryText('x'.repeat(5_000))).toHaveLength(2_000);
  });
});
