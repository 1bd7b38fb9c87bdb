import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, hostname, tmpdir } from 'node:os';
import path from 'node:path';
import {
  activeAgent,
  type Admin,
  adminOfNewWorkspace,
  graph,
  issueKey,
  missionInTodo,
  type Stack,
  startStack,
  until,
} from '@mission-control/testing';
import {
  hostKindOf,
  type Runner,
  type RunnerConfigInput,
  type RunnerEvent,
  type RunReport,
  diagnoseRunner,
  startRunner,
} from '../src';
import { deadGatewayUrl, FakeOpenClawGateway } from './support/fake-openclaw-gateway';
import { FAKE_BIN } from './support/fixtures';

/**
 * Claims last 5 s, and an agent silent for 5 s goes offline: a heartbeating agent's leases are
 * kept by the server, so a runner killed mid-run leaves its mission to come back within seconds.
 * The runners here heartbeat every 1.5 s; the sweeps look twice a second.
 */
const SETTINGS = {
  MISSION_LEASE_SECONDS: '5',
  MISSION_LEASE_SWEEP_SECONDS: '0.5',
  AGENT_OFFLINE_AFTER_SECONDS: '5',
  AGENT_PRESENCE_SWEEP_INTERVAL_MS: '500',
  AGENT_HEARTBEATS_PER_MINUTE: '120',
};

type RunRead = {
  id: string;
  agentId: string;
  status: string;
  summary: string;
  adapter: string;
  model: string;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  costUsd: number;
  costEstimated: boolean;
  logLines: number;
  progressNote: string;
  progressPercent: number | null;
  finishedAt: string | null;
  mission: { column: string; claimedBy: string | null };
};
type LogLine = { position: number; stream: string; text: string };
type Pids = { pid: number; childPid: number | null };

/** Alive, and not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('the runner against the real gateway and services', () => {
  let stack: Stack;
  const runners: Runner[] = [];
  const processes: ChildProcess[] = [];
  const strays: number[] = [];
  const workRoot = mkdtempSync(path.join(tmpdir(), 'runner-spec-'));

  beforeAll(async () => {
    stack = await startStack({ env: SETTINGS });
  });
  afterAll(async () => {
    await Promise.all(runners.map((runner) => runner.stop()));
    for (const child of processes) {
      child.kill('SIGKILL');
    }
    for (const pid of strays) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await stack?.stop();
  });

  function config(agents: RunnerConfigInput['agents']): RunnerConfigInput {
    return {
      gatewayUrl: stack.gatewayUrl,
      workRoot,
      killGraceMs: 500,
      heartbeatIntervalMs: 1_500,
      pollIntervalMs: 2_000,
      logFlushMs: 100,
      // Within the server's 12 samples a minute per host.
      hostSampleSeconds: 6,
      agents,
    };
  }

  /** A runner in this process, its events kept. */
  async function runner(agents: RunnerConfigInput['agents']) {
    const events: RunnerEvent[] = [];
    const started = await startRunner(config(agents), {
      handleSignals: false,
      onEvent: (event) => events.push(event),
    });
    runners.push(started);
    return { runner: started, events };
  }

  /** A runner in a process of its own (the built package), its events read from its stdout. */
  function runnerProcess(agents: RunnerConfigInput['agents']) {
    const events: (RunnerEvent | { type: 'stopped' })[] = [];
    const child = spawn(process.execPath, [path.join(__dirname, 'support/runner-process.js')], {
      env: { ...process.env, RUNNER_CONFIG: JSON.stringify(config(agents)) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines.filter(Boolean)) {
        events.push(JSON.parse(line) as RunnerEvent);
      }
    });
    processes.push(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { child, events, exited };
  }

  async function ended(events: { type: string }[], missionId: string): Promise<RunReport> {
    let report: RunReport | undefined;
    await until(
      () => {
        report = events
          .filter(
            (event): event is Extract<RunnerEvent, { type: 'run-ended' }> =>
              event.type === 'run-ended',
          )
          .map((event) => event.report)
          .find((each) => each.missionId === missionId);
        return report !== undefined;
      },
      `the run of ${missionId} to end`,
      60_000,
      50,
    ).catch((error: Error) => {
      throw new Error(
        `${error.message}; the runner said:\n${events.map((e) => JSON.stringify(e)).join('\n')}`,
      );
    });
    return report!;
  }

  async function started(events: { type: string }[], missionId: string) {
    let found: Extract<RunnerEvent, { type: 'run-started' }> | undefined;
    await until(
      () => {
        found = events.find(
          (event): event is Extract<RunnerEvent, { type: 'run-started' }> =>
            event.type === 'run-started' &&
            (event as { missionId?: string }).missionId === missionId,
        );
        return found !== undefined;
      },
      `a run of ${missionId} to start`,
      60_000,
      50,
    );
    return found!;
  }

  /** The stand-in's pids, from the file it writes in its working folder. */
  async function pidsIn(workFolder: string): Promise<Pids> {
    const file = path.join(workFolder, 'pids.json');
    await until(() => existsSync(file), `the stand-in's pids in ${file}`, 10_000, 20);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const pids = JSON.parse(readFileSync(file, 'utf8')) as Pids;
    strays.push(pids.pid);
    return pids;
  }

  async function readRun(admin: Admin, runId: string): Promise<RunRead> {
    const { run } = await graph<{ run: RunRead }>(
      stack.gatewayUrl,
      `query ($ws: ID!, $id: ID!) { run(workspaceId: $ws, id: $id) {
        id agentId status summary adapter model inputTokens cachedInputTokens outputTokens costUsd costEstimated
        logLines progressNote progressPercent finishedAt mission { column claimedBy }
      } }`,
      { ws: admin.workspaceId, id: runId },
      admin.token,
    );
    return run;
  }

  async function readLog(admin: Admin, runId: string): Promise<LogLine[]> {
    const lines: LogLine[] = [];
    for (;;) {
      const { run } = await graph<{ run: { log: { lines: LogLine[]; hasMore: boolean } } }>(
        stack.gatewayUrl,
        `query ($ws: ID!, $id: ID!, $after: Int!) { run(workspaceId: $ws, id: $id) {
          log(after: $after, first: 200) { lines { position stream text } hasMore }
        } }`,
        { ws: admin.workspaceId, id: runId, after: lines.at(-1)?.position ?? 0 },
        admin.token,
      );
      lines.push(...run.log.lines);
      if (!run.log.hasMore) {
        return lines;
      }
    }
  }

  async function runsOf(admin: Admin, missionId: string) {
    const { runs } = await graph<{
      runs: { nodes: { id: string; agentId: string; status: string }[] };
    }>(
      stack.gatewayUrl,
      `query ($ws: ID!, $mission: ID!) { runs(workspaceId: $ws, missionId: $mission) { nodes { id agentId status } } }`,
      { ws: admin.workspaceId, mission: missionId },
      admin.token,
    );
    return runs.nodes;
  }

  it('runs a fake Claude Code agent on a mission: its log, tokens and own cost, and its end', async () => {
    const admin = await adminOfNewWorkspace(stack.gatewayUrl, 'runner-claude');
    const agent = await activeAgent(stack.gatewayUrl, admin, 'Claude');
    const { events } = await runner([
      {
        name: 'claude',
        key: agent.key,
        adapter: 'claude-code',
        options: {
          executable: path.join(FAKE_BIN, 'claude'),
          model: 'claude-sonnet-4-5',
          env: { FAKE_DELAY_MS: '20', FAKE_ARGV_FILE: 'argv.json' },
        },
      },
    ]);
    const missionId = await missionInTodo(
      stack.gatewayUrl,
      admin,
      'Collect regolith samples',
      'Near the crater rim.\n\n## Acceptance criteria\n- two samples\n- each labelled',
    );

    const report = await ended(events, missionId);
    expect(report).toMatchObject({
      outcome: 'SUCCEEDED',
      summary: 'Collected two samples and wrote them to samples.md.\nBoth are catalogued.',
    });
    const run = await readRun(admin, report.runId);
    expect(run).toMatchObject({
      agentId: agent.id,
      status: 'SUCCEEDED',
      adapter: 'claude-code',
      model: 'claude-sonnet-4-5',
      inputTokens: 24 + 2424 + 60574,
      cachedInputTokens: 60574,
      outputTokens: 178,
      costEstimated: false,
      // The agent's to-do list, as the run's progress.
      progressNote: 'Writing samples.md',
      progressPercent: 50,
      mission: { column: 'REVIEW' },
    });
    expect(run.costUsd).toBeCloseTo(0.0461298, 6);
    expect(events.filter((event) => event.type === 'error')).toEqual([]);

    const log = await readLog(admin, report.runId);
    expect(log.map((line) => line.position)).toEqual(log.map((_, n) => n + 1));
    const texts = log.map((line) => `${line.stream}: ${line.text}`);
    expect(texts).toEqual(
      expect.arrayContaining([
        "STDOUT: I'll start by looking at the project layout.",
        'SYSTEM: → Bash: ls -la && cat MISSION.md',
        'STDOUT:   # Collect regolith samples',
        'STDERR: ← Read failed: 1 line',
        'SYSTEM: result: success, 7 turns, $0.0461',
        'SYSTEM: exit code 0',
      ]),
    );

    // Its working folder: named by the run, the mission written in it, the prompt passed to claude.
    const folder = path.join(workRoot, report.runId);
    expect(readFileSync(path.join(folder, 'MISSION.md'), 'utf8')).toContain(
      '## Acceptance criteria\n\n- two samples\n- each labelled',
    );
    const { argv, cwd } = JSON.parse(readFileSync(path.join(folder, 'argv.json'), 'utf8')) as {
      argv: string[];
      cwd: string;
    };
    expect(cwd).toBe(folder);
    expect(argv.slice(0, 6)).toEqual([
      '-p',
      '--output-format',
      'stream-json',
      '--verbose',
      '--model',
      'claude-sonnet-4-5',
    ]);
    expect(argv.at(-1)).toContain('You are working on the mission "Collect regolith samples"');
    expect(argv.at(-1)).toContain('Acceptance criteria:\n- two samples\n- each labelled');

    // The host it ran on: reported as the runner started, the agent on it, sampled since.
    type HostView = {
      hostname: string;
      kind: string;
      cpuCount: number;
      status: string;
      lastSample: { cpuPercent: number; diskTotalBytes: number } | null;
      agents: { id: string }[];
    };
    let hosts: HostView[] = [];
    await until(
      async () => {
        ({
          hosts: { nodes: hosts },
        } = await graph<{ hosts: { nodes: HostView[] } }>(
          stack.gatewayUrl,
          `query ($ws: ID!) { hosts(workspaceId: $ws) { nodes { hostname kind cpuCount status
            lastSample { cpuPercent diskTotalBytes } agents { id } } } }`,
          { ws: admin.workspaceId },
          admin.token,
        ));
        return Boolean(hosts[0]?.lastSample);
      },
      'a sample of the runner’s host',
      15_000,
    );
    expect(hosts).toEqual([
      {
        hostname: hostname(),
        kind: hostKindOf({ dockerEnv: existsSync('/.dockerenv'), env: process.env }),
        cpuCount: availableParallelism(),
        status: 'ONLINE',
        lastSample: { cpuPercent: expect.any(Number), diskTotalBytes: expect.any(Number) },
        agents: [{ id: agent.id }],
      },
    ]);
    expect(hosts[0]!.lastSample!.diskTotalBytes).toBeGreaterThan(0);
  });

  it('stops a cancelled run’s whole process tree within 2 s of a budget’s hard stop', async () => {
    const admin = await adminOfNewWorkspace(stack.gatewayUrl, 'runner-budget');
    const agent = await activeAgent(stack.gatewayUrl, admin, 'Spender');
    await graph(
      stack.gatewayUrl,
      `mutation ($ws: ID!) { setBudget(workspaceId: $ws, input: { name: "Tight", period: DAY, tokenLimit: 5000 }) { id } }`,
      { ws: admin.workspaceId },
      admin.token,
    );
    // The stand-in reports a turn of 6,500 tokens, then holds on, ignoring SIGTERM, with a child.
    const { events } = await runner([
      {
        key: agent.key,
        adapter: 'codex',
        options: {
          executable: path.join(FAKE_BIN, 'codex'),
          env: {
            FAKE_TRANSCRIPT: 'codex/spend-then-build.jsonl',
            FAKE_HOLD: '1',
            FAKE_IGNORE_TERM: '1',
            FAKE_CHILD: '1',
            FAKE_PID_FILE: 'pids.json',
          },
        },
      },
    ]);
    const missionId = await missionInTodo(stack.gatewayUrl, admin, 'Build everything');
    const run = await started(events, missionId);
    const { pid, childPid } = await pidsIn(run.workFolder);

    const report = await ended(events, missionId);
    expect(report.outcome).toBe('CANCELLED');
    expect(alive(pid)).toBe(false);
    expect(alive(childPid!)).toBe(false);
    const read = await readRun(admin, report.runId);
    expect(read).toMatchObject({ status: 'CANCELLED', inputTokens: 6000, outputTokens: 500 });
    // From the server ending the run to the last process gone (one clock: the same machine).
    const stopToGone = report.treeGoneAt! - Date.parse(read.finishedAt!);
    const cancelToGone = report.treeGoneAt! - report.cancelledAt!;
    process.stdout.write(
      `budget stop → process tree gone: ${stopToGone} ms (cancel seen → gone: ${cancelToGone} ms, grace 500 ms)\n`,
    );
    expect(stopToGone).toBeLessThan(2_000);
    expect(cancelToGone).toBeGreaterThanOrEqual(500);
    const log = await readLog(admin, report.runId);
    // What it printed before the usage that crossed the limit was sent before the usage (lines
    // after it may or may not make it before the stop is known).
    expect(log.map((line) => line.text).slice(1, 4)).toEqual([
      'Codex thread 0199a213-81c0-7800-8aa1-bbab2a035a53',
      'turn 1',
      'Starting a long build.',
    ]);
  });

  it('fails a run whose agent crashes or writes garbage, with why in its log, and serves the next mission', async () => {
    const admin = await adminOfNewWorkspace(stack.gatewayUrl, 'runner-faults');
    const agent = await activeAgent(stack.gatewayUrl, admin, 'Fragile');
    const { events } = await runner([
      {
        key: agent.key,
        adapter: 'claude-code',
        options: { executable: path.join(FAKE_BIN, 'claude') },
      },
    ]);
    const crashing = await missionInTodo(stack.gatewayUrl, admin, 'Crash', 'fake-crash-after: 2');
    const crashed = await ended(events, crashing);
    const garbled = await missionInTodo(
      stack.gatewayUrl,
      admin,
      'Garble',
      'fake-transcript: claude-code/garbage.jsonl\nfake-hold: 1',
    );
    const garbage = await ended(events, garbled);
    const fine = await missionInTodo(stack.gatewayUrl, admin, 'Fine');
    const succeeded = await ended(events, fine);

    expect(crashed).toMatchObject({
      outcome: 'FAILED',
      summary: 'Claude Code exited with code 1 without a result message',
    });
    const crashLog = (await readLog(admin, crashed.runId)).map(
      (line) => `${line.stream}: ${line.text}`,
    );
    expect(crashLog).toEqual(
      expect.arrayContaining(['STDERR: Error: fake agent crashed', 'SYSTEM: exit code 1']),
    );
    expect(await readRun(admin, crashed.runId)).toMatchObject({
      status: 'FAILED',
      mission: { column: 'BACKLOG' },
    });

    // Garbage stops the process (it would have held on) and fails the run with the parse error.
    expect(garbage.outcome).toBe('FAILED');
    expect(garbage.summary).toMatch(
      /^claude-code output could not be read: Claude Code wrote a line that is not JSON/,
    );
    const garbageLog = (await readLog(admin, garbage.runId)).map((line) => line.text);
    expect(garbageLog).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^parse error: Claude Code wrote a line that is not JSON .*Segmentation fault/,
        ),
      ]),
    );
    expect(garbageLog).not.toContain('This line is never read.');
    expect(events.filter((event) => event.type === 'error')).toEqual([]);
    expect(await readRun(admin, garbage.runId)).toMatchObject({ status: 'FAILED' });

    expect(succeeded.outcome).toBe('SUCCEEDED');
    expect(await readRun(admin, succeeded.runId)).toMatchObject({
      status: 'SUCCEEDED',
      mission: { column: 'REVIEW' },
    });
  });

  it('leaves the run of a runner SIGKILLed mid-run to its lease, and another runner finishes the mission', async () => {
    const admin = await adminOfNewWorkspace(stack.gatewayUrl, 'runner-killed');
    const first = await activeAgent(stack.gatewayUrl, admin, 'Doomed');
    const second = await activeAgent(stack.gatewayUrl, admin, 'Heir');
    const doomed = runnerProcess([
      {
        key: first.key,
        adapter: 'claude-code',
        options: {
          executable: path.join(FAKE_BIN, 'claude'),
          env: {
            FAKE_TRANSCRIPT: 'claude-code/long.jsonl',
            FAKE_HOLD: '1',
            FAKE_PID_FILE: 'pids.json',
          },
        },
      },
    ]);
    const missionId = await missionInTodo(stack.gatewayUrl, admin, 'Outlive the runner');
    const run = await started(doomed.events, missionId);
    const { pid } = await pidsIn(run.workFolder);
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    // What it ran had a process group of its own: it outlives the runner, as it would on a host.
    process.kill(-pid, 'SIGKILL');

    const { events } = await runner([
      {
        key: second.key,
        adapter: 'claude-code',
        options: { executable: path.join(FAKE_BIN, 'claude') },
      },
    ]);
    const report = await ended(events, missionId);
    expect(report.outcome).toBe('SUCCEEDED');
    const runs = await runsOf(admin, missionId);
    expect(runs).toEqual(
      expect.arrayContaining([
        { id: run.runId, agentId: first.id, status: 'ABANDONED' },
        { id: report.runId, agentId: second.id, status: 'SUCCEEDED' },
      ]),
    );
  });

  it('hands back what it holds when stopped with SIGTERM, its processes stopped', async () => {
    const admin = await adminOfNewWorkspace(stack.gatewayUrl, 'runner-sigterm');
    const agent = await activeAgent(stack.gatewayUrl, admin, 'Polite');
    const polite = runnerProcess([
      {
        key: agent.key,
        adapter: 'claude-code',
        options: {
          executable: path.join(FAKE_BIN, 'claude'),
          env: {
            FAKE_TRANSCRIPT: 'claude-code/long.jsonl',
            FAKE_HOLD: '1',
            FAKE_CHILD: '1',
            FAKE_PID_FILE: 'pids.json',
          },
        },
      },
    ]);
    const missionId = await missionInTodo(stack.gatewayUrl, admin, 'Be interrupted');
    const run = await started(polite.events, missionId);
    const { pid, childPid } = await pidsIn(run.workFolder);
    polite.child.kill('SIGTERM');
    await expect(polite.exited).resolves.toBe(0);
    expect(polite.events.at(-1)).toEqual({ type: 'stopped' });
    expect(alive(pid) || alive(childPid!)).toBe(false);
    const read = await readRun(admin, run.runId);
    expect(read).toMatchObject({
      status: 'ABANDONED',
      mission: { column: 'TODO', claimedBy: null },
    });
    const log = (await readLog(admin, run.runId)).map((line) => line.text);
    expect(log).toContain('The runner is stopping: the mission is handed back.');
  });

  it('stops when the server refuses its only agent’s key, saying so', async () => {
    const admin = await adminOfNewWorkspace(stack.gatewayUrl, 'runner-revoked');
    const agent = await activeAgent(stack.gatewayUrl, admin, 'Revoked');
    const { runner: revoked, events } = await runner([
      {
        key: agent.key,
        adapter: 'claude-code',
        options: { executable: path.join(FAKE_BIN, 'claude') },
      },
    ]);
    // A new key replaces the one the runner holds.
    await issueKey(stack.gatewayUrl, admin, agent.id);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      revoked.stopped,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('the runner still runs after 30 s')), 30_000);
      }),
    ]);
    clearTimeout(timer);
    expect(revoked.refused).toEqual([
      { id: agent.id, reason: expect.stringMatching(/^The agent key was refused/) },
    ]);
    expect(events).toContainEqual({
      type: 'error',
      agentId: agent.id,
      message: expect.stringMatching(
        /^the agent's key was refused \(The agent key was refused.*\): this agent takes no more work$/,
      ),
    });
  });

  describe('with an OpenClaw gateway', () => {
    let openclaw: FakeOpenClawGateway;
    beforeAll(async () => {
      openclaw = await FakeOpenClawGateway.start({ delayMs: 10 });
    });
    afterEach(() => {
      const problems = openclaw.problems.splice(0);
      expect(problems).toEqual([]);
    });
    afterAll(() => openclaw?.stop());

    const openclawAgent = (key: string, url: string) => ({
      name: 'claw',
      key,
      adapter: 'openclaw',
      gateway: { url, token: 'oc-token', session: 'agent:main:main' },
    });

    it('streams a remote session’s run into the run’s log, with its usage and cost, to SUCCEEDED', async () => {
      const admin = await adminOfNewWorkspace(stack.gatewayUrl, 'runner-openclaw');
      const agent = await activeAgent(stack.gatewayUrl, admin, 'Claw');
      const url = openclaw.url('run-success');
      const { events } = await runner([openclawAgent(agent.key, url)]);
      const missionId = await missionInTodo(stack.gatewayUrl, admin, 'Collect regolith samples');

      const report = await ended(events, missionId);
      expect(report).toMatchObject({
        outcome: 'SUCCEEDED',
        summary:
          "I'll look at the mission first.\nCollected two samples and wrote them to samples.md.\nBoth are catalogued.",
      });
      const run = await readRun(admin, report.runId);
      expect(run).toMatchObject({
        status: 'SUCCEEDED',
        adapter: 'openclaw',
        inputTokens: 1840 + 12288,
        cachedInputTokens: 12288,
        outputTokens: 212,
        costEstimated: false,
        mission: { column: 'REVIEW' },
      });
      expect(run.costUsd).toBeCloseTo(0.0123864, 6);
      const log = (await readLog(admin, report.runId)).map(
        (line) => `${line.stream}: ${line.text}`,
      );
      expect(log).toEqual([
        `SYSTEM: → OpenClaw gateway ${url}, session agent:main:main`,
        'SYSTEM: connected: OpenClaw 2026.6.1, protocol 4',
        'SYSTEM: OpenClaw run 5b0e6c1a-9d2f-4e8b-a7c3-1f6e2d9b8c40 started',
        "STDOUT: I'll look at the mission first.",
        'SYSTEM: → read: {"path":"MISSION.md"}',
        'SYSTEM: ← read: # Collect regolith samples',
        'SYSTEM: → write: {"path":"samples.md"}',
        'SYSTEM: ← write: Wrote 2 lines to samples.md',
        'STDOUT: Collected two samples and wrote them to samples.md.',
        'STDOUT: Both are catalogued.',
        'SYSTEM: final: stop, 14340 tokens, $0.0124',
      ]);
      const [send] = openclaw.requests(url, 'chat.send');
      expect(send!.frame).toMatchObject({
        params: {
          sessionKey: 'agent:main:main',
          idempotencyKey: report.runId,
          message: expect.stringContaining(
            'You are working on the mission "Collect regolith samples"',
          ),
        },
      });
      expect(events.filter((event) => event.type === 'error')).toEqual([]);
    });

    it('aborts the remote run within 2 s of a person’s cancel', async () => {
      const admin = await adminOfNewWorkspace(stack.gatewayUrl, 'runner-openclaw-cancel');
      const agent = await activeAgent(stack.gatewayUrl, admin, 'Claw');
      const url = openclaw.url('run-abort');
      const { events } = await runner([openclawAgent(agent.key, url)]);
      const missionId = await missionInTodo(stack.gatewayUrl, admin, 'Build everything');
      const run = await started(events, missionId);
      await until(
        async () =>
          (await readLog(admin, run.runId)).some((line) => line.text === 'Starting a long build.'),
        'the remote run’s first line in the log',
        10_000,
        50,
      );
      await graph(
        stack.gatewayUrl,
        `mutation ($ws: ID!, $id: ID!) { finishRun(workspaceId: $ws, runId: $id, outcome: CANCELLED, summary: "Stopped by a person") { id } }`,
        { ws: admin.workspaceId, id: run.runId },
        admin.token,
      );

      const report = await ended(events, missionId);
      expect(report.outcome).toBe('CANCELLED');
      const read = await readRun(admin, run.runId);
      const [abort] = openclaw.requests(url, 'chat.abort');
      expect(abort!.frame).toMatchObject({
        params: { sessionKey: 'agent:main:main', runId: '5b0e6c1a-9d2f-4e8b-a7c3-1f6e2d9b8c40' },
      });
      const cancelToAbort = abort!.at - Date.parse(read.finishedAt!);
      process.stdout.write(
        `person's cancel → chat.abort at the gateway: ${cancelToAbort} ms (cancel seen → turn let go: ${report.treeGoneAt! - report.cancelledAt!} ms)\n`,
      );
      expect(cancelToAbort).toBeLessThan(2_000);
      expect(report.treeGoneAt! - report.cancelledAt!).toBeLessThan(2_000);
      expect(read).toMatchObject({ status: 'CANCELLED', mission: { column: 'BACKLOG' } });
    });

    it('fails a run whose gateway sends garbage, with the parse error in its log, and serves the next mission', async () => {
      const admin = await adminOfNewWorkspace(stack.gatewayUrl, 'runner-openclaw-garbage');
      const agent = await activeAgent(stack.gatewayUrl, admin, 'Claw');
      const url = openclaw.url('garbage', 'run-success');
      const { events } = await runner([openclawAgent(agent.key, url)]);
      const garbled = await missionInTodo(stack.gatewayUrl, admin, 'Garble');
      const garbage = await ended(events, garbled);
      const fine = await missionInTodo(stack.gatewayUrl, admin, 'Fine');
      const succeeded = await ended(events, fine);

      expect(garbage.outcome).toBe('FAILED');
      expect(garbage.summary).toMatch(
        /^openclaw output could not be read: the OpenClaw gateway sent a frame that is not JSON/,
      );
      const log = (await readLog(admin, garbage.runId)).map((line) => line.text);
      expect(log).toEqual(
        expect.arrayContaining([
          'Reading the mission.',
          expect.stringMatching(
            /^parse error: the OpenClaw gateway sent a frame that is not JSON .*Segmentation fault \(core dumped\)$/,
          ),
        ]),
      );
      expect(log).not.toContain('This line is never read.');
      // The run it could not read is aborted at the gateway too.
      expect(openclaw.requests(url, 'chat.abort')).toHaveLength(1);
      expect(await readRun(admin, garbage.runId)).toMatchObject({ status: 'FAILED' });
      expect(succeeded.outcome).toBe('SUCCEEDED');
      expect(events.filter((event) => event.type === 'error')).toEqual([]);
    });

    it('has mc runner doctor pass a working setup and name a refused key', async () => {
      const admin = await adminOfNewWorkspace(stack.gatewayUrl, 'runner-doctor');
      const agent = await activeAgent(stack.gatewayUrl, admin, 'Claw');
      const file = path.join(workRoot, 'doctor.json');
      writeFileSync(
        file,
        JSON.stringify({
          gatewayUrl: stack.gatewayUrl,
          agents: [
            openclawAgent(agent.key, openclaw.url('sessions-list')),
            {
              name: 'stale',
              key: 'mca_0000000000000000000000000000000000000000',
              adapter: 'claude-code',
              options: { executable: path.join(FAKE_BIN, 'claude') },
            },
          ],
        }),
      );
      const checks = await diagnoseRunner(file);
      expect(
        checks.map((check) => `${check.agent ?? '-'} | ${check.check} | ${check.status}`),
      ).toEqual([
        '- | configuration valid | ok',
        '- | Mission Control reachable | ok',
        'claw | agent key exchanged for a token | ok',
        'claw | OpenClaw WebSocket reachable | ok',
        'claw | OpenClaw handshake and protocol accepted | ok',
        'claw | OpenClaw token accepted | ok',
        'claw | OpenClaw sessions listed | ok',
        'claw | OpenClaw session exists | ok',
        'stale | agent key exchanged for a token | failed',
        'stale | executable found | ok',
        'stale | runs --version | ok',
      ]);
      expect(checks[8]).toMatchObject({
        code: 'UNAUTHENTICATED',
        fix: expect.stringContaining('mc agents key'),
      });
    });

    it('fails the run saying so when the gateway is down', async () => {
      const admin = await adminOfNewWorkspace(stack.gatewayUrl, 'runner-openclaw-down');
      const agent = await activeAgent(stack.gatewayUrl, admin, 'Claw');
      const url = await deadGatewayUrl();
      const { events } = await runner([openclawAgent(agent.key, url)]);
      const missionId = await missionInTodo(stack.gatewayUrl, admin, 'Nowhere to go');
      const report = await ended(events, missionId);
      expect(report.outcome).toBe('FAILED');
      expect(report.summary).toMatch(
        /^cannot reach the OpenClaw gateway at ws:\/\/127\.0\.0\.1:\d+\/: .*ECONNREFUSED.*\(check that the gateway runs/,
      );
      const log = (await readLog(admin, report.runId)).map(
        (line) => `${line.stream}: ${line.text}`,
      );
      expect(log).toContainEqual(
        expect.stringMatching(/^STDERR: cannot reach the OpenClaw gateway/),
      );
      expect(await readRun(admin, report.runId)).toMatchObject({
        status: 'FAILED',
        mission: { column: 'BACKLOG' },
      });
    });
  });
});
