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
  AgentSession,
  type ClaimedMission,
  MissionControlClient,
  MissionControlError,
  RunEndedError,
} from '../src';

const RUN_INPUT = { adapter: 'sdk', model: 'claude-sonnet-4-5', provider: 'anthropic' };

type RunRead = {
  run: {
    status: string;
    summary: string;
    budgetId: string | null;
    logLines: number;
    inputTokens: number;
    outputTokens: number;
    costUsd: number;
    progressNote: string;
    progressPercent: number | null;
  };
};
type LogLine = { position: number; stream: string; text: string };

describe('the SDK against the real gateway and services', () => {
  let stack: Stack;
  const sessions: AgentSession[] = [];

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.stop()));
    await stack?.stop();
  });

  function session(key: string, errors: MissionControlError[] = []): AgentSession {
    const agent = new AgentSession({
      url: stack.gatewayUrl,
      agentKey: key,
      activity: 'SDK integration spec',
      onError: (error) => errors.push(error),
    });
    sessions.push(agent);
    return agent;
  }

  /** The mission service learns of a new agent from its events: ask until it has one. */
  async function nextMission(agent: AgentSession): Promise<ClaimedMission> {
    let mission: ClaimedMission | null = null;
    await until(async () => {
      mission = await agent.nextMission();
      return mission !== null;
    }, 'a mission for the agent');
    return mission!;
  }

  function readRun(admin: Admin, runId: string): Promise<RunRead> {
    return graph<RunRead>(
      stack.gatewayUrl,
      `query ($ws: ID!, $id: ID!) { run(workspaceId: $ws, id: $id) {
        status summary budgetId logLines inputTokens outputTokens costUsd progressNote progressPercent
      } }`,
      { ws: admin.workspaceId, id: runId },
      admin.token,
    );
  }

  /** The run's whole log, a page at a time (a page's cost is bounded by the gateway). */
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

  it('runs an agent’s whole loop: heartbeat, wake, nextMission, a run with logs, usage, progress, finish', async () => {
    const admin = await adminOfNewWorkspace(stack.gatewayUrl, 'sdk-loop');
    const issued = await activeAgent(stack.gatewayUrl, admin, 'Scout');
    const errors: MissionControlError[] = [];
    const agent = session(issued.key, errors);

    const identity = await agent.start();
    expect(identity).toMatchObject({
      id: issued.id,
      workspaceId: admin.workspaceId,
      status: 'IDLE',
    });
    expect(agent.liveConnected).toBe(true);

    // Work arriving wakes the idle agent: no polling.
    const woken = agent.waitForWork({ timeoutMs: 30_000 });
    const missionId = await missionInTodo(stack.gatewayUrl, admin, 'Collect regolith samples');
    await expect(woken).resolves.toEqual({ reason: 'available', missionId });

    const mission = await nextMission(agent);
    expect(mission).toMatchObject({ id: missionId, title: 'Collect regolith samples' });
    expect(mission.claimEpoch).toBeGreaterThan(0);
    expect(agent.heldMissions.map((held) => held.id)).toEqual([missionId]);

    const run = await agent.startRun(mission, RUN_INPUT);
    run.log('system', 'starting');
    const output = Array.from({ length: 1_200 }, (_, n) => `step ${n + 1}`);
    run.log('stdout', output.join('\n'));
    run.log('stderr', 'warning: slow disk\n');
    await run.progress('halfway there', 50);
    const usage = await run.reportUsage({
      model: 'claude-sonnet-4-5',
      inputTokens: 10_000,
      cachedInputTokens: 8_000,
      outputTokens: 2_000,
    });
    expect(usage.costUsd).toBeGreaterThan(0);
    const finished = await run.finish('SUCCEEDED', {
      summary: 'Samples collected',
      moveTo: 'DONE',
    });
    expect(finished).toMatchObject({
      id: run.id,
      status: 'SUCCEEDED',
      summary: 'Samples collected',
    });
    expect(run.signal.aborted).toBe(false);
    expect(agent.heldMissions).toEqual([]);
    expect(agent.activeRuns).toEqual([]);
    // Moved on, the mission is no longer held: its claim ended with the move.
    await expect(
      graph(
        stack.gatewayUrl,
        `query ($ws: ID!, $id: ID!) { mission(workspaceId: $ws, id: $id) { column claimedBy } }`,
        { ws: admin.workspaceId, id: missionId },
        admin.token,
      ),
    ).resolves.toEqual({ mission: { column: 'DONE', claimedBy: null } });

    const { run: read } = await readRun(admin, run.id);
    expect(read).toMatchObject({
      status: 'SUCCEEDED',
      logLines: 1_202,
      inputTokens: 10_000,
      outputTokens: 2_000,
      progressNote: 'halfway there',
      progressPercent: 50,
    });
    // Batched, yet in the order logged, numbered without gaps.
    const log = await readLog(admin, run.id);
    expect(log.map((line) => line.position)).toEqual(
      Array.from({ length: 1_202 }, (_, n) => n + 1),
    );
    expect(log.map(({ stream, text }) => ({ stream, text }))).toEqual([
      { stream: 'SYSTEM', text: 'starting' },
      ...output.map((text) => ({ stream: 'STDOUT', text })),
      { stream: 'STDERR', text: 'warning: slow disk' },
    ]);

    await agent.stop();
    expect(agent.liveConnected).toBe(false);
    expect(errors).toEqual([]);
  });

  it('sends output larger than a chunk in chunks the gateway takes, long lines cut', async () => {
    const admin = await adminOfNewWorkspace(stack.gatewayUrl, 'sdk-large');
    const issued = await activeAgent(stack.gatewayUrl, admin, 'Verbose');
    const errors: MissionControlError[] = [];
    const agent = session(issued.key, errors);
    await agent.start();
    await missionInTodo(stack.gatewayUrl, admin, 'Print a lot');
    const run = await agent.startRun(await nextMission(agent), RUN_INPUT);
    // ~600,000 characters with ANSI colours, and one line longer than a line may be.
    const coloured = Array.from(
      { length: 75 },
      (_, n) => `\u001b[32m${String(n).padStart(4, '0')}\u001b[0m ${'é'.repeat(7_980)}`,
    );
    run.log('stdout', coloured.join('\n'));
    run.log('stderr', 'z'.repeat(20_000));
    await run.finish('SUCCEEDED');

    const log = await readLog(admin, run.id);
    expect(log.map((line) => line.text)).toEqual([
      ...coloured,
      'z'.repeat(8_192),
      'z'.repeat(8_192),
      'z'.repeat(20_000 - 2 * 8_192),
    ]);
    expect(errors).toEqual([]);
  });

  it('aborts a run’s signal when a budget’s hard stop cancels it mid-way', async () => {
    const admin = await adminOfNewWorkspace(stack.gatewayUrl, 'sdk-budget');
    const issued = await activeAgent(stack.gatewayUrl, admin, 'Spender');
    const agent = session(issued.key);
    await agent.start();
    await graph(
      stack.gatewayUrl,
      `mutation ($ws: ID!) { setBudget(workspaceId: $ws, input: { name: "Tight", period: DAY, tokenLimit: 5000 }) { id } }`,
      { ws: admin.workspaceId },
      admin.token,
    );
    await missionInTodo(stack.gatewayUrl, admin, 'Spend too much');
    const mission = await nextMission(agent);
    const run = await agent.startRun(mission, RUN_INPUT);
    const aborted = new Promise<unknown>((resolve) =>
      run.signal.addEventListener('abort', () => resolve(run.signal.reason), { once: true }),
    );
    run.log('stdout', 'thinking hard');
    await run.flush();

    // Accepted (usage after the stop still counts), and it crosses the limit: the server
    // cancels the run and pushes its end to the agent's socket.
    await run.reportUsage({ model: 'claude-sonnet-4-5', inputTokens: 6_000, outputTokens: 500 });
    const reason = await aborted;
    expect(reason).toBeInstanceOf(RunEndedError);
    expect((reason as RunEndedError).ended).toMatchObject({
      runId: run.id,
      outcome: 'CANCELLED',
      budgetId: expect.any(String),
    });
    expect((reason as RunEndedError).message).toContain('CANCELLED');

    // Lines logged after the stop are dropped, and finishing says the run already ended.
    run.log('stdout', 'ignored');
    await expect(run.finish('SUCCEEDED')).rejects.toBeInstanceOf(RunEndedError);
    const { run: read } = await readRun(admin, run.id);
    expect(read).toMatchObject({ status: 'CANCELLED', logLines: 1 });

    // New work is refused while the budget stands exceeded, and not retried.
    const refused = await agent.nextMission().catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'LIMIT_EXCEEDED', retryable: false });
  });

  it('answers a revoked key with UNAUTHENTICATED and a message saying what happened', async () => {
    const admin = await adminOfNewWorkspace(stack.gatewayUrl, 'sdk-revoked');
    const issued = await activeAgent(stack.gatewayUrl, admin, 'Revoked');
    const client = new MissionControlClient({ url: stack.gatewayUrl, agentKey: issued.key });
    await expect(client.heartbeat('IDLE')).resolves.toMatchObject({ id: issued.id });

    // Issuing a new key revokes the old one; its tokens are refused within a second.
    await issueKey(stack.gatewayUrl, admin, issued.id);
    let refused: unknown;
    await until(async () => {
      refused = await client.heartbeat('IDLE').then(
        () => undefined,
        (error: unknown) => error,
      );
      return refused !== undefined;
    }, 'the old key refused');
    expect(refused).toBeInstanceOf(MissionControlError);
    expect(refused).toMatchObject({ code: 'UNAUTHENTICATED', retryable: false });
    expect((refused as MissionControlError).message).toMatch(
      /^The agent key was refused \(Invalid agent key\): it was revoked or replaced/,
    );
    expect((refused as MissionControlError).requestId).toEqual(expect.any(String));
  });
});
