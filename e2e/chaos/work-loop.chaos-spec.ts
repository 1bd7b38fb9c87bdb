import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { type Stack, startStack, until, workspaceRoot } from '@mission-control/testing';
import { GraphClient } from '../support/graph-client';
import { IdentityWorld, type Member } from '../support/identity-world';
import { SquadWorld, type AgentWithToken } from '../support/squad-world';

/**
 * Claims last 15 s: long enough that a restart of the mission service does not outlast them. The
 * agents heartbeat every second, which keeps their leases; one killed goes offline 5 s after its
 * last heartbeat, and its claims end then. One admin sets up a squad of 20 at once, retrying
 * each assignment until the mission service knows the agent: more than a person's request rate.
 */
const SETTINGS = {
  MISSION_LEASE_SECONDS: '15',
  MISSION_LEASE_SWEEP_SECONDS: '0.5',
  AGENT_OFFLINE_AFTER_SECONDS: '5',
  AGENT_PRESENCE_SWEEP_INTERVAL_MS: '500',
  AGENT_HEARTBEATS_PER_MINUTE: '120',
  RATE_LIMIT_PER_PRINCIPAL_PER_MINUTE: '100000',
};

/** What an agent process reports on stdout (e2e/chaos/work-loop-agent.js). */
type AgentReport =
  | { event: 'claimed'; agent: string; missionId: string; epoch: number }
  | { event: 'started'; agent: string; missionId: string; runId: string; epoch: number }
  | {
      event: 'acked';
      agent: string;
      missionId: string;
      runId: string;
      firstPosition: number;
      texts: string[];
    }
  | { event: 'completed'; agent: string; missionId: string; runId: string; epoch: number }
  | { event: 'lost'; agent: string; missionId: string; at: string }
  | { event: 'late'; agent: string; op: string; code: string }
  | { event: 'idle'; agent: string };

type AgentProcess = { child: ChildProcess; reports: AgentReport[]; exited: Promise<number | null> };

const RUN = `query ($ws: ID!, $id: ID!) { run(workspaceId: $ws, id: $id) { status } }`;
const RUNS = `query ($ws: ID!, $mission: ID!) {
  runs(workspaceId: $ws, missionId: $mission) { nodes { id agentId status } }
}`;
const MISSION = `query ($ws: ID!, $id: ID!) { mission(workspaceId: $ws, id: $id) { column } }`;

describe('the agent work loop when agents and the mission service die mid-run', () => {
  let stack: Stack;
  let graph: GraphClient;
  let identity: IdentityWorld;
  let squad: SquadWorld;
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  const agents: AgentProcess[] = [];
  let restartedMission: ChildProcess | undefined;

  beforeAll(async () => {
    stack = await startStack({ env: SETTINGS });
    graph = new GraphClient(stack.gatewayUrl);
    identity = new IdentityWorld(graph);
    squad = new SquadWorld(graph);
  });
  afterAll(async () => {
    for (const agent of agents) {
      agent.child.kill('SIGKILL');
    }
    restartedMission?.kill('SIGTERM');
    await stack?.stop();
    await pool.end();
  });

  function startAgent(
    admin: Member,
    agent: AgentWithToken,
    env: Record<string, string>,
  ): AgentProcess {
    const child = spawn(process.execPath, [path.join(__dirname, 'work-loop-agent.js')], {
      env: {
        ...process.env,
        GATEWAY_URL: stack.gatewayUrl,
        AGENT_TOKEN: agent.token,
        WORKSPACE_ID: admin.workspaceId,
        AGENT_NAME: agent.name,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const reports: AgentReport[] = [];
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines.filter(Boolean)) {
        reports.push(JSON.parse(line) as AgentReport);
      }
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const started = { child, reports, exited };
    agents.push(started);
    return started;
  }

  /** The agent's exit code; fails with what it reported when it is still at work after `ms`. */
  async function exitOf(agent: AgentProcess, ms = 60_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'running'>((resolve) => (timer = setTimeout(resolve, ms, 'running')));
    const code = await Promise.race([agent.exited, late]);
    clearTimeout(timer);
    if (code === 'running') {
      throw new Error(
        `the agent still runs after ${ms} ms; it reported:\n${agent.reports
          .slice(-10)
          .map((report) => JSON.stringify(report))
          .join('\n')}`,
      );
    }
    return code;
  }

  const reportsOf = <E extends AgentReport['event']>(
    agent: AgentProcess,
    event: E,
  ): Extract<AgentReport, { event: E }>[] =>
    agent.reports.filter((report): report is Extract<AgentReport, { event: E }> => {
      return report.event === event;
    });

  /** Lines the gateway acknowledged that are not in their run's log at their position. */
  async function lostLines(acked: Extract<AgentReport, { event: 'acked' }>[]): Promise<string[]> {
    const lost: string[] = [];
    for (const chunk of acked) {
      const { rows } = await pool.query<{ position: number; text: string }>(
        `SELECT position, text FROM mission.run_log_lines
         WHERE run_id = $1 AND position >= $2 AND position < $3`,
        [chunk.runId, chunk.firstPosition, chunk.firstPosition + chunk.texts.length],
      );
      const logged = new Map(rows.map((row) => [row.position, row.text]));
      chunk.texts.forEach((text, i) => {
        if (logged.get(chunk.firstPosition + i) !== text) {
          lost.push(text);
        }
      });
    }
    return lost;
  }

  /** Per mission of the workspace: how many of its runs succeeded (finished by their agent). */
  async function successesByMission(workspaceId: string): Promise<Map<string, number>> {
    const { rows } = await pool.query<{ id: string; succeeded: number }>(
      `SELECT m.id::text AS id, count(r.id) FILTER (WHERE r.status = 'succeeded')::int AS succeeded
       FROM mission.missions m LEFT JOIN mission.runs r ON r.mission_id = m.id
       WHERE m.workspace_id = $1::uuid GROUP BY m.id`,
      [workspaceId],
    );
    return new Map(rows.map((row) => [row.id, row.succeeded]));
  }

  /**
   * The mission service as the stack started it (same port, topics and settings), started again
   * after it was killed: the gateway finds it where it was.
   */
  async function restartMissionService(): Promise<ChildProcess> {
    const port = new URL(stack.serviceUrls.mission!).port;
    const topics = Object.fromEntries(
      Object.entries(stack.topics).map(([name, topic]) => [
        `${name.toUpperCase()}_EVENTS_TOPIC`,
        topic,
      ]),
    );
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: path.join(workspaceRoot, 'services/mission'),
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        ...SETTINGS,
        ...topics,
        MISSION_PORT: port,
        MISSION_SCHEMA_FILE: path.join(
          mkdtempSync(path.join(tmpdir(), 'e2e-sdl-')),
          'schema.graphql',
        ),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await until(
      () =>
        fetch(`${stack.serviceUrls.mission}/ready`).then(
          (response) => response.status === 200,
          () => false,
        ),
      'the restarted mission service to be ready',
      60_000,
      250,
    );
    return child;
  }

  it('gives a killed agent’s mission to another, fences the first, and loses no acknowledged line', async () => {
    const admin = await identity.workspace('chaos-agent-kill');
    const first = await squad.activeAgent(admin, 'first');
    const second = await squad.activeAgent(admin, 'second');
    const mission = await squad.mission(admin, 'Collect the samples');

    const a = startAgent(admin, first, { CHUNKS: '0', LINES: '20', PACE_MS: '100', MISSIONS: '1' });
    await until(() => reportsOf(a, 'acked').length >= 5, 'five chunks of the first agent', 60_000);
    a.child.kill('SIGKILL');
    await a.exited;
    const [started] = reportsOf(a, 'started');
    expect(started).toMatchObject({ missionId: mission.id, epoch: 1 });
    const firstRun = started!.runId;

    // Its heartbeats stop: it goes offline, its claim ends with its run, and the mission is offered again.
    await until(
      async () =>
        (
          await graph.ok<{ run: { status: string } }>(
            RUN,
            { ws: admin.workspaceId, id: firstRun },
            admin.workspaceToken,
          )
        ).run.status === 'ABANDONED',
      'the first run to end abandoned',
      60_000,
      250,
    );

    const b = startAgent(admin, second, {
      CHUNKS: '20',
      LINES: '20',
      PACE_MS: '100',
      MISSIONS: '1',
    });
    await until(() => reportsOf(b, 'started').length > 0, 'the second agent’s run', 30_000);
    expect(reportsOf(b, 'started')[0]).toMatchObject({ missionId: mission.id, epoch: 2 });

    // The first agent wakes up with its old run and claim while the second holds the mission.
    const late = startAgent(admin, first, {
      MODE: 'late',
      MISSION_ID: mission.id,
      RUN_ID: firstRun,
    });
    expect(await exitOf(late)).toBe(0);
    expect(reportsOf(late, 'late').map(({ op, code }) => [op, code])).toEqual([
      ['appendRunLog', 'CONFLICT'],
      ['finishRun', 'CONFLICT'],
      ['renewLease', 'CONFLICT'],
    ]);

    expect(await exitOf(b)).toBe(0);
    expect(reportsOf(b, 'completed')).toHaveLength(1);
    const { runs } = await graph.ok<{
      runs: { nodes: { id: string; agentId: string; status: string }[] };
    }>(RUNS, { ws: admin.workspaceId, mission: mission.id }, admin.workspaceToken);
    const secondRun = reportsOf(b, 'started')[0]!.runId;
    expect(runs.nodes).toEqual(
      expect.arrayContaining([
        { id: firstRun, agentId: first.id, status: 'ABANDONED' },
        { id: secondRun, agentId: second.id, status: 'SUCCEEDED' },
      ]),
    );
    expect(runs.nodes.filter((run) => run.status === 'SUCCEEDED')).toHaveLength(1);
    const { mission: done } = await graph.ok<{ mission: { column: string } }>(
      MISSION,
      { ws: admin.workspaceId, id: mission.id },
      admin.workspaceToken,
    );
    expect(done.column).toBe('DONE');

    // Every line either agent was told was logged is in its run, where it was told.
    expect(await lostLines([...reportsOf(a, 'acked'), ...reportsOf(b, 'acked')])).toEqual([]);
    const { rows } = await pool.query<{ run_id: string; lines: number; late: number }>(
      `SELECT run_id::text, count(*)::int AS lines,
              count(*) FILTER (WHERE text LIKE '%wakes up late')::int AS late
       FROM mission.run_log_lines WHERE run_id = ANY($1::uuid[]) GROUP BY run_id`,
      [[firstRun, secondRun]],
    );
    const byRun = new Map(rows.map((row) => [row.run_id, row]));
    expect(byRun.get(firstRun)!.late).toBe(0);
    expect(byRun.get(firstRun)!.lines).toBeGreaterThanOrEqual(reportsOf(a, 'acked').length * 20);
    expect(byRun.get(secondRun)).toMatchObject({ lines: 400, late: 0 });
  });

  it('completes every mission exactly once when the mission service is SIGKILLed mid-work and restarted', async () => {
    const admin = await identity.workspace('chaos-service-kill');
    const squadAgents = await Promise.all(
      ['one', 'two', 'three', 'four'].map((name) => squad.activeAgent(admin, name)),
    );
    const missions = 40;
    for (let n = 1; n <= missions; n++) {
      await squad.mission(admin, `Mission ${n}`);
    }
    const workers = squadAgents.map((agent) =>
      startAgent(admin, agent, { CHUNKS: '4', LINES: '10', PACE_MS: '100' }),
    );
    const completed = () => workers.flatMap((worker) => reportsOf(worker, 'completed'));

    await until(() => completed().length >= 8, 'eight missions completed', 90_000, 50);
    process.kill(stack.pids.mission!, 'SIGKILL');
    const completedAtKill = completed().length;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    restartedMission = await restartMissionService();

    await until(
      async () =>
        completed().length >= missions &&
        [...(await successesByMission(admin.workspaceId)).values()].every((n) => n > 0),
      'every mission completed',
      90_000,
      250,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // room for a second completion
    // Each agent rode out the restart: none gave up with an error.
    const crashed = workers.filter((worker) => worker.child.exitCode !== null);
    for (const worker of workers) {
      worker.child.kill('SIGTERM');
    }

    expect(crashed).toHaveLength(0);
    expect(completedAtKill).toBeLessThan(missions);
    const successes = await successesByMission(admin.workspaceId);
    expect(successes.size).toBe(missions);
    expect([...successes.values()].filter((n) => n !== 1)).toEqual([]);
    // No two agents were told they completed the same mission.
    const completions = completed().map((report) => report.missionId);
    expect(new Set(completions).size).toBe(completions.length);
    expect(completions.length).toBe(missions);
    const { rows } = await pool.query<{ column: string; n: number }>(
      `SELECT "column", count(*)::int AS n FROM mission.missions WHERE workspace_id = $1::uuid GROUP BY "column"`,
      [admin.workspaceId],
    );
    expect(rows).toEqual([{ column: 'done', n: missions }]);
    expect(await lostLines(workers.flatMap((worker) => reportsOf(worker, 'acked')))).toEqual([]);
  });
  it('stops every run once and counts every report once when the mission service is SIGKILLed as a budget is reached', async () => {
    const admin = await identity.workspace('chaos-budget-kill');
    const squadAgents = await Promise.all(
      Array.from({ length: 20 }, (_, n) => squad.activeAgent(admin, `spender-${n}`)),
    );
    // They heartbeat as running agents do, so they stay online and keep their claims throughout.
    const heartbeats = setInterval(() => {
      for (const agent of squadAgents) {
        void graph
          .request('mutation { heartbeat(status: BUSY) { id } }', {}, agent.token)
          .catch(() => null);
      }
    }, 1_000);
    const limit = 1;
    const step = 0.02;
    const { setBudget } = await graph.ok<{ setBudget: { id: string } }>(
      'mutation ($ws: ID!) { setBudget(workspaceId: $ws, input: { name: "Chaos", period: TOTAL, costLimitUsd: 1 }) { id } }',
      { ws: admin.workspaceId },
      admin.workspaceToken,
    );
    const runs = await Promise.all(
      squadAgents.map(async (agent, n) => {
        const mission = await squad.claimedMission(admin, agent, `Spend ${n}`);
        return squad.startedRun(admin, agent, mission.id);
      }),
    );
    // Each agent reports until told its run was cancelled. A report whose answer was lost (the
    // service died under it) is sent again with its idempotency key, so it counts once.
    let sent = 0;
    const spend = async (agent: AgentWithToken, runId: string): Promise<void> => {
      for (;;) {
        const key = `chaos-${runId}-${sent++}`;
        for (;;) {
          const answer = await graph
            .request<{ reportRunUsage: { status: string } }>(
              `mutation ($ws: ID!, $run: ID!, $key: String) { reportRunUsage(workspaceId: $ws, runId: $run, idempotencyKey: $key, input: { model: "gpt-5", inputTokens: 100, outputTokens: 10, costUsd: ${step} }) { status } }`,
              { ws: admin.workspaceId, run: runId, key },
              agent.token,
            )
            .catch(() => null);
          if (answer?.data) {
            const { status } = answer.data.reportRunUsage;
            if (status === 'CANCELLED') {
              return;
            }
            if (status !== 'RUNNING') {
              throw new Error(`run ${runId} ended ${status}, not cancelled by its budget`);
            }
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    };
    const spenders = Promise.all(squadAgents.map((agent, n) => spend(agent, runs[n]!)));
    // Killed the moment the stop is recorded: its runs may not all be cancelled yet.
    await until(
      async () =>
        (
          await pool.query(
            'SELECT 1 FROM mission.budget_periods WHERE budget_id = $1::uuid AND stopped',
            [setBudget.id],
          )
        ).rowCount === 1,
      'the budget stopped',
      60_000,
      5,
    );
    // The mission service running now: the stack's, or the one an earlier case restarted.
    if (restartedMission) {
      restartedMission.kill('SIGKILL');
    } else {
      process.kill(stack.pids.mission!, 'SIGKILL');
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    restartedMission = await restartMissionService();
    await spenders.finally(() => clearInterval(heartbeats));

    const { rows: ended } = await pool.query<{ status: string; budget_id: string | null }>(
      'SELECT status, budget_id::text FROM mission.runs WHERE id = ANY($1::uuid[])',
      [runs],
    );
    expect(ended).toHaveLength(runs.length);
    expect(
      ended.filter((run) => run.status !== 'cancelled' || run.budget_id !== setBudget.id),
    ).toEqual([]);
    const { rows: events } = await pool.query<{ type: string; n: number }>(
      `SELECT type, count(*)::int AS n FROM mission.events WHERE stream_id = $1 GROUP BY type ORDER BY type`,
      [`budget-${setBudget.id}`],
    );
    expect(events).toEqual([
      { type: 'mission.v1.BudgetExceeded', n: 1 },
      { type: 'mission.v1.BudgetSet', n: 1 },
      { type: 'mission.v1.BudgetWarningReached', n: 1 },
    ]);
    // Every report counted once: the period's spend is the sum of the runs' costs.
    const { rows: totals } = await pool.query<{ spent: string; runs: string }>(
      `SELECT (SELECT cost_micro_usd FROM mission.budget_periods WHERE budget_id = $1::uuid)::text AS spent,
              (SELECT sum(cost_micro_usd) FROM mission.runs WHERE id = ANY($2::uuid[]))::text AS runs`,
      [setBudget.id, runs],
    );
    expect(totals[0]!.spent).toBe(totals[0]!.runs);
    const overspend = Number(totals[0]!.spent) / 1e6 - limit;
    expect(overspend).toBeGreaterThanOrEqual(0);
    expect(overspend).toBeLessThanOrEqual(step * runs.length + 1e-9);
  });
});
