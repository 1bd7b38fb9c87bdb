import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BOARD_COLUMNS, type BoardColumn } from './demo-board.model';
import { startDemoSquad, type DemoSquad } from './demo-squad';

type Vars = Record<string, unknown>;
type Principal =
  | { kind: 'user'; userId: string; workspaceId: string | null }
  | { kind: 'agent'; agentId: string; workspaceId: string };
type FakeAgent = {
  id: string;
  workspaceId: string;
  name: string;
  role: string;
  capabilities: string[];
  status: string;
  key: string | null;
  /** Exchanges refused before identity "learns" the key. */
  refusalsLeft: number;
  heartbeats: number[];
};
type FakeMission = {
  id: string;
  workspaceId: string;
  title: string;
  column: BoardColumn;
  priority: string;
  tags: string[];
  assigneeAgentId: string | null;
  claimedBy: string | null;
  updatedAt: string;
  comments: { author: string; body: string }[];
  activeRunId: string | null;
};
type FakeRun = {
  id: string;
  workspaceId: string;
  missionId: string;
  agentId: string;
  billing: string;
  model: string;
  status: string;
  lines: { stream: string; text: string }[];
  inputTokens: number;
  costUsd: number;
  budgetId: string | null;
  summary: string;
  progress: { note: string; percent: number } | null;
};
type FakeBudget = {
  id: string;
  workspaceId: string;
  agentId: string | null;
  name: string;
  costLimitUsd: number;
  spentUsd: number;
  standing: string;
  /** How many calls had been answered when it stopped, and when it was resumed. */
  stoppedAtCall: number | null;
  resumedAtCall: number | null;
};

class Coded extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const str = (vars: Vars, name: string): string => {
  const value = vars[name];
  if (typeof value !== 'string') {
    throw new Coded('VALIDATION_ERROR', `${name} must be a string`);
  }
  return value;
};

/**
 * The gateway's public API as far as the demo uses it, in memory, with the rules that matter to
 * it: workspace tokens, keys learned a moment after they are issued, claims, heartbeat limits.
 */
class FakeGateway {
  readonly users = new Map<string, { id: string; password: string }>();
  readonly workspaces = new Map<string, { name: string; members: Set<string> }>();
  readonly agents = new Map<string, FakeAgent>();
  readonly missions: FakeMission[] = [];
  readonly runs: FakeRun[] = [];
  readonly budgets: FakeBudget[] = [];
  readonly operations: string[] = [];
  /** Each operation with the agent that made it, if an agent did. */
  readonly calls: { operation: string; agentId: string | null; ok: boolean }[] = [];
  /** Operations to fail, with which code and how many more times. */
  readonly failing = new Map<string, { code: string; times: number }>();
  private readonly tokens = new Map<string, Principal>();
  private readonly refreshTokens = new Map<
    string,
    { userId: string; workspaceId: string | null }
  >();
  private ids = 0;

  readonly fetch = (_input: unknown, init?: RequestInit): Promise<Response> => {
    const { query, variables } = JSON.parse(init?.body as string) as {
      query: string;
      variables: Vars;
    };
    const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
    this.operations.push(operation);
    const header = (init?.headers as Record<string, string> | undefined)?.authorization;
    const principal = header ? this.tokens.get(header.replace(/^Bearer /, '')) : undefined;
    const agentId = principal?.kind === 'agent' ? principal.agentId : null;
    try {
      const failure = this.failing.get(operation);
      if (failure && failure.times > 0) {
        failure.times -= 1;
        throw new Coded(failure.code, 'Something went wrong on our side');
      }
      const data = this.handle(operation, variables, principal);
      this.calls.push({ operation, agentId, ok: true });
      return Promise.resolve(new Response(JSON.stringify({ data }), { status: 200 }));
    } catch (error) {
      if (!(error instanceof Coded)) {
        throw error;
      }
      this.calls.push({ operation, agentId, ok: false });
      const body = {
        data: null,
        errors: [{ message: error.message, extensions: { code: error.code } }],
      };
      return Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
    }
  };

  count(operation: string): number {
    return this.operations.filter((name) => name === operation).length;
  }

  private id(prefix: string): string {
    this.ids += 1;
    return `${prefix}-${this.ids}`;
  }

  private issue(principal: Principal) {
    const token = this.id('token');
    this.tokens.set(token, principal);
    return {
      accessToken: token,
      accessTokenExpiresAt: new Date(Date.now() + 900_000).toISOString(),
    };
  }

  private session(userId: string, workspaceId: string | null) {
    const refreshToken = this.id('refresh');
    this.refreshTokens.set(refreshToken, { userId, workspaceId });
    return {
      ...this.issue({ kind: 'user', userId, workspaceId }),
      refreshToken,
      user: { id: userId },
    };
  }

  private member(principal: Principal | undefined, workspaceId: string): Principal {
    if (!principal) {
      throw new Coded('UNAUTHENTICATED', 'Authentication required');
    }
    if (principal.workspaceId !== workspaceId) {
      throw new Coded('FORBIDDEN', 'Not your workspace');
    }
    return principal;
  }

  private commander(principal: Principal | undefined, workspaceId: string): void {
    if (this.member(principal, workspaceId).kind !== 'user') {
      throw new Coded('FORBIDDEN', 'Missing permission create_missions');
    }
  }

  private mission(workspaceId: string, id: string): FakeMission {
    const found = this.missions.find((m) => m.id === id && m.workspaceId === workspaceId);
    if (!found) {
      throw new Coded('NOT_FOUND', 'Mission not found');
    }
    return found;
  }

  private agentView(agent: FakeAgent) {
    return {
      id: agent.id,
      name: agent.name,
      status: agent.status,
      capabilities: agent.capabilities,
    };
  }

  private board(workspaceId: string) {
    return {
      columns: BOARD_COLUMNS.map((column) => ({
        column,
        missions: this.missions
          .filter((m) => m.workspaceId === workspaceId && m.column === column)
          .map(({ comments: _comments, workspaceId: _ws, activeRunId, ...card }) => ({
            ...card,
            activeRun: activeRunId === null ? null : { id: activeRunId },
          })),
      })),
    };
  }

  private budgetsOf(workspaceId: string) {
    return this.budgets
      .filter((b) => b.workspaceId === workspaceId)
      .map(({ id, name, agentId, standing }) => ({ id, name, agentId, standing }));
  }

  private stopReason(budget: FakeBudget): string {
    return `The budget “${budget.name}” ($${budget.costLimitUsd.toFixed(2)} per day) is spent: an admin can raise it or resume work.`;
  }

  /** The run of the calling agent's, or CONFLICT once it ended (as fencing does). */
  private ownRun(principal: Principal | undefined, vars: Vars, running = true): FakeRun {
    const who = this.member(principal, str(vars, 'ws'));
    const run = this.runs.find((r) => r.id === str(vars, 'run'));
    if (!run || who.kind !== 'agent' || run.agentId !== who.agentId) {
      throw new Coded('NOT_FOUND', 'Run not found');
    }
    if (running && run.status !== 'RUNNING') {
      throw new Coded('CONFLICT', 'The run has already ended');
    }
    return run;
  }

  private endRun(run: FakeRun, status: string, summary: string, budgetId: string | null = null) {
    Object.assign(run, { status, summary, budgetId });
    const mission = this.missions.find((m) => m.activeRunId === run.id);
    if (mission) {
      mission.activeRunId = null;
    }
  }

  private handle(operation: string, vars: Vars, principal: Principal | undefined): unknown {
    switch (operation) {
      case 'DemoSignUp': {
        const email = str(vars, 'email');
        if (this.users.has(email)) {
          throw new Coded('CONFLICT', 'An account with this email already exists');
        }
        const id = this.id('user');
        this.users.set(email, { id, password: str(vars, 'password') });
        return { signUp: this.session(id, null) };
      }
      case 'DemoLogIn': {
        const user = this.users.get(str(vars, 'email'));
        if (!user || user.password !== str(vars, 'password')) {
          throw new Coded('UNAUTHENTICATED', 'Invalid email or password');
        }
        return { logIn: this.session(user.id, null) };
      }
      case 'DemoRefresh': {
        const found = this.refreshTokens.get(str(vars, 'refreshToken'));
        if (!found) {
          throw new Coded('UNAUTHENTICATED', 'Invalid or expired session');
        }
        this.refreshTokens.delete(str(vars, 'refreshToken'));
        return { refreshSession: this.session(found.userId, found.workspaceId) };
      }
      case 'DemoSwitch': {
        const workspaceId = str(vars, 'workspaceId');
        if (principal?.kind !== 'user') {
          throw new Coded('UNAUTHENTICATED', 'Authentication required');
        }
        if (!this.workspaces.get(workspaceId)?.members.has(principal.userId)) {
          throw new Coded('FORBIDDEN', 'You do not have access to this workspace');
        }
        return { switchWorkspace: this.issue({ ...principal, workspaceId }) };
      }
      case 'DemoCreateWorkspace': {
        if (principal?.kind !== 'user') {
          throw new Coded('UNAUTHENTICATED', 'Authentication required');
        }
        const id = this.id('ws');
        this.workspaces.set(id, { name: str(vars, 'name'), members: new Set([principal.userId]) });
        return { createWorkspace: { id, name: str(vars, 'name') } };
      }
      case 'DemoMemberships': {
        if (principal?.kind !== 'user') {
          throw new Coded('UNAUTHENTICATED', 'Authentication required');
        }
        const memberships = [...this.workspaces.entries()]
          .filter(([, ws]) => ws.members.has(principal.userId))
          .map(([id, ws]) => ({ workspace: { id, name: ws.name } }));
        return { me: { memberships } };
      }
      case 'DemoAgents': {
        const ws = str(vars, 'ws');
        this.member(principal, ws);
        return {
          agents: [...this.agents.values()]
            .filter((a) => a.workspaceId === ws)
            .map((a) => this.agentView(a)),
        };
      }
      case 'DemoRegister': {
        const ws = str(vars, 'ws');
        this.commander(principal, ws);
        const input = vars.input as { name: string; role: string; capabilities: string[] };
        const agent: FakeAgent = {
          id: this.id('agent'),
          workspaceId: ws,
          name: input.name,
          role: input.role,
          capabilities: input.capabilities,
          status: 'INACTIVE',
          key: null,
          refusalsLeft: 0,
          heartbeats: [],
        };
        this.agents.set(agent.id, agent);
        return { registerAgent: this.agentView(agent) };
      }
      case 'DemoActivate': {
        this.commander(principal, str(vars, 'ws'));
        const agent = this.agents.get(str(vars, 'id'));
        if (!agent) {
          throw new Coded('NOT_FOUND', 'Agent not found');
        }
        agent.status = 'IDLE';
        return { activateAgent: this.agentView(agent) };
      }
      case 'DemoIssueKey': {
        this.commander(principal, str(vars, 'ws'));
        const agent = this.agents.get(str(vars, 'id'));
        if (!agent) {
          throw new Coded('NOT_FOUND', 'Agent not found');
        }
        agent.key = `mca_${this.id('k').replace('-', '')}_secretsecretsecretsecret`;
        agent.refusalsLeft = 2;
        return { issueAgentKey: { key: agent.key } };
      }
      case 'DemoExchange': {
        const key = str(vars, 'key');
        const agent = [...this.agents.values()].find((a) => a.key === key);
        if (!agent || agent.refusalsLeft > 0) {
          if (agent) {
            agent.refusalsLeft -= 1;
          }
          throw new Coded('UNAUTHENTICATED', 'Invalid agent key');
        }
        return {
          exchangeAgentKey: this.issue({
            kind: 'agent',
            agentId: agent.id,
            workspaceId: agent.workspaceId,
          }),
        };
      }
      case 'DemoHeartbeat': {
        if (principal?.kind !== 'agent') {
          throw new Coded('FORBIDDEN', 'Only an agent can send heartbeats');
        }
        const agent = this.agents.get(principal.agentId)!;
        const now = Date.now();
        agent.heartbeats = [...agent.heartbeats.filter((at) => at > now - 60_000), now];
        if (agent.heartbeats.length > 6) {
          throw new Coded('LIMIT_EXCEEDED', 'Too many heartbeats; slow down');
        }
        agent.status = str(vars, 'status');
        return { heartbeat: { id: agent.id } };
      }
      case 'DemoBoard':
        this.member(principal, str(vars, 'ws'));
        return { board: this.board(str(vars, 'ws')) };
      case 'DemoBoardAndAgents': {
        const ws = str(vars, 'ws');
        this.member(principal, ws);
        return {
          board: this.board(ws),
          agents: [...this.agents.values()]
            .filter((a) => a.workspaceId === ws)
            .map((a) => this.agentView(a)),
          budgets: this.budgetsOf(ws),
        };
      }
      case 'DemoBudgets':
        this.member(principal, str(vars, 'ws'));
        return { budgets: this.budgetsOf(str(vars, 'ws')) };
      case 'DemoSetBudget': {
        const ws = str(vars, 'ws');
        this.commander(principal, ws);
        const input = vars.input as { name: string; agentId: string; costLimitUsd: number };
        const budget: FakeBudget = {
          id: this.id('budget'),
          workspaceId: ws,
          agentId: input.agentId,
          name: input.name,
          costLimitUsd: input.costLimitUsd,
          spentUsd: 0,
          standing: 'OK',
          stoppedAtCall: null,
          resumedAtCall: null,
        };
        this.budgets.push(budget);
        return { setBudget: this.budgetsOf(ws).find((b) => b.id === budget.id) };
      }
      case 'DemoResumeBudget': {
        const ws = str(vars, 'ws');
        this.commander(principal, ws);
        const budget = this.budgets.find((b) => b.id === str(vars, 'id') && b.workspaceId === ws);
        if (!budget) {
          throw new Coded('NOT_FOUND', 'Budget not found');
        }
        budget.standing = 'RESUMED';
        budget.resumedAtCall = this.calls.length + 1;
        return { resumeBudget: this.budgetsOf(ws).find((b) => b.id === budget.id) };
      }
      case 'DemoStartRun': {
        const ws = str(vars, 'ws');
        const who = this.member(principal, ws);
        const mission = this.mission(ws, str(vars, 'id'));
        if (who.kind !== 'agent' || mission.claimedBy !== who.agentId) {
          throw new Coded('FORBIDDEN', 'Claim the mission before starting a run of it');
        }
        const stop = this.budgets.find(
          (b) => b.agentId === who.agentId && b.standing === 'EXCEEDED',
        );
        if (stop) {
          throw new Coded('LIMIT_EXCEEDED', this.stopReason(stop));
        }
        const input = vars.input as { model: string; billing: string };
        const run: FakeRun = {
          id: this.id('run'),
          workspaceId: ws,
          missionId: mission.id,
          agentId: who.agentId,
          billing: input.billing,
          model: input.model,
          status: 'RUNNING',
          lines: [],
          inputTokens: 0,
          costUsd: 0,
          budgetId: null,
          summary: '',
          progress: null,
        };
        this.runs.push(run);
        mission.activeRunId = run.id;
        return { startRun: { id: run.id } };
      }
      case 'DemoAppendRunLog': {
        const run = this.ownRun(principal, vars);
        const lines = vars.lines as { stream: string; text: string }[];
        if (lines.length > 500) {
          throw new Coded('VALIDATION_ERROR', 'At most 500 lines a call');
        }
        run.lines.push(...lines);
        return { appendRunLog: { lastPosition: run.lines.length } };
      }
      case 'DemoNoteRunProgress': {
        const run = this.ownRun(principal, vars);
        run.progress = { note: str(vars, 'note'), percent: vars.percent as number };
        return { noteRunProgress: { id: run.id } };
      }
      case 'DemoReportUsage': {
        const run = this.ownRun(principal, vars, false);
        const usage = vars.input as {
          inputTokens: number;
          cachedInputTokens: number;
          outputTokens: number;
        };
        // Sonnet's list prices, per token.
        const cost =
          (usage.inputTokens - usage.cachedInputTokens) * 3e-6 +
          usage.cachedInputTokens * 0.3e-6 +
          usage.outputTokens * 15e-6;
        run.inputTokens += usage.inputTokens;
        run.costUsd += cost;
        for (const budget of this.budgets.filter((b) => b.agentId === run.agentId)) {
          budget.spentUsd += cost;
          if (budget.standing === 'OK' && budget.spentUsd >= budget.costLimitUsd) {
            budget.standing = 'EXCEEDED';
            budget.stoppedAtCall = this.calls.length + 1;
            for (const going of this.runs.filter(
              (r) => r.agentId === run.agentId && r.status === 'RUNNING',
            )) {
              this.endRun(going, 'CANCELLED', this.stopReason(budget), budget.id);
            }
          }
        }
        const { status, budgetId, summary } = run;
        return { reportRunUsage: { status, budgetId, summary } };
      }
      case 'DemoFinishRun': {
        const run = this.ownRun(principal, vars);
        this.endRun(run, str(vars, 'outcome'), str(vars, 'summary'));
        return { finishRun: { id: run.id } };
      }
      case 'DemoRelease': {
        const ws = str(vars, 'ws');
        const who = this.member(principal, ws);
        const mission = this.mission(ws, str(vars, 'id'));
        if (who.kind !== 'agent' || mission.claimedBy !== who.agentId) {
          throw new Coded('CONFLICT', 'You do not hold a claim on this mission');
        }
        const run = this.runs.find((r) => r.id === mission.activeRunId);
        if (run) {
          this.endRun(run, 'ABANDONED', 'Abandoned: the agent gave the mission back.');
        }
        Object.assign(mission, {
          claimedBy: null,
          assigneeAgentId: null,
          column: mission.column === 'IN_PROGRESS' ? 'TODO' : mission.column,
        });
        return { releaseMission: { id: mission.id } };
      }
      case 'DemoCreateMission': {
        const ws = str(vars, 'ws');
        this.commander(principal, ws);
        const input = vars.input as {
          title: string;
          priority: string;
          tags: string[];
          column: BoardColumn;
        };
        const mission: FakeMission = {
          id: this.id('mission'),
          workspaceId: ws,
          title: input.title,
          column: input.column,
          priority: input.priority,
          tags: input.tags,
          assigneeAgentId: null,
          claimedBy: null,
          updatedAt: new Date().toISOString(),
          comments: [],
          activeRunId: null,
        };
        this.missions.push(mission);
        return { createMission: { id: mission.id } };
      }
      case 'DemoAssign': {
        const ws = str(vars, 'ws');
        this.commander(principal, ws);
        const mission = this.mission(ws, str(vars, 'id'));
        const agentId = vars.agentId;
        mission.assigneeAgentId = typeof agentId === 'string' ? agentId : null;
        mission.claimedBy = null;
        // The claim is gone, and the run under it with it.
        const run = this.runs.find((r) => r.id === mission.activeRunId);
        if (run) {
          this.endRun(run, 'ABANDONED', 'Abandoned: its mission’s claim ended without it.');
        }
        return { assignMission: { id: mission.id } };
      }
      case 'DemoClaim': {
        const ws = str(vars, 'ws');
        const who = this.member(principal, ws);
        const mission = this.mission(ws, str(vars, 'id'));
        if (who.kind !== 'agent' || mission.assigneeAgentId !== who.agentId) {
          throw new Coded('FORBIDDEN', 'Only the agent a mission is assigned to may claim it');
        }
        mission.claimedBy = who.agentId;
        return { claimMission: { id: mission.id } };
      }
      case 'DemoMove':
      case 'DemoComment': {
        const ws = str(vars, 'ws');
        const who = this.member(principal, ws);
        const mission = this.mission(ws, str(vars, 'id'));
        if (who.kind === 'agent' && mission.claimedBy !== who.agentId) {
          throw new Coded('FORBIDDEN', 'An agent may only change a mission it has claimed');
        }
        if (operation === 'DemoMove') {
          mission.column = str(vars, 'column') as BoardColumn;
          mission.updatedAt = new Date().toISOString();
          // Moving re-ranks the card to the end of its column.
          this.missions.splice(this.missions.indexOf(mission), 1);
          this.missions.push(mission);
          return { moveMission: { id: mission.id } };
        }
        const author = who.kind === 'agent' ? who.agentId : who.userId;
        mission.comments.push({ author, body: str(vars, 'body') });
        return { addComment: { id: this.id('comment') } };
      }
      default:
        throw new Coded('VALIDATION_ERROR', `unknown operation ${operation}`);
    }
  }
}

const until = async (what: string, probe: () => boolean, timeoutMs = 8_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) {
      throw new Error(`never happened: ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('startDemoSquad', () => {
  let dataDir: string;
  let gateway: FakeGateway;
  let squad: DemoSquad | undefined;
  let lines: string[];
  const log = (line: string) => lines.push(line);

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'demo-squad-'));
    gateway = new FakeGateway();
    lines = [];
    jest.spyOn(globalThis, 'fetch').mockImplementation(gateway.fetch);
  });
  afterEach(async () => {
    await squad?.stop();
    squad = undefined;
    jest.restoreAllMocks();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('seeds a workspace on a first run, and its agents work missions to DONE with comments', async () => {
    // A flaky comment endpoint: logged once, retried, never fatal.
    gateway.failing.set('DemoComment', { code: 'INTERNAL_ERROR', times: 3 });
    squad = await startDemoSquad({ gatewayUrl: 'http://gw', dataDir, log, paceMs: 10 });

    expect(squad.login.email).toBe('demo@mission-control.local');
    expect(squad.login.password.length).toBeGreaterThanOrEqual(20);
    expect(gateway.workspaces.get(squad.workspaceId)?.name).toBe('Demo squad');
    const agents = [...gateway.agents.values()];
    expect(agents.map((a) => a.name)).toEqual(['Atlas', 'Nova', 'Pixel', 'Sentinel']);
    expect(new Set(agents.map((a) => a.role)).size).toBe(4);
    expect(gateway.missions).toHaveLength(8);
    expect(lines).toEqual([
      'Demo user signed up: demo@mission-control.local',
      'Demo workspace created: Demo squad',
      'Demo agents registered: Atlas (lead), Nova (backend specialist), Pixel (frontend specialist), Sentinel (qa engineer)',
      'Demo agents activated: 4',
      'Demo agent keys issued: 4',
      'Demo backlog created: 8 missions',
      'Demo budget set: Nova’s daily budget ($0.15 a day for Nova)',
    ]);

    const file = join(dataDir, 'demo.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(file, 'utf8')) as { agents: { key: string }[] };
    expect(stored).toMatchObject({
      email: squad.login.email,
      password: squad.login.password,
      workspaceId: squad.workspaceId,
      backlogSeeded: true,
      budgetId: gateway.budgets[0]!.id,
    });
    expect(stored.agents.map((a) => a.key)).toEqual(agents.map((a) => a.key));

    await until(
      'two missions done',
      () => gateway.missions.filter((m) => m.column === 'DONE').length >= 2,
    );
    const done = gateway.missions.find((m) => m.column === 'DONE')!;
    expect(
      done.comments.some(
        (c) => c.author === done.claimedBy && c.body.startsWith('Ready for review'),
      ),
    ).toBe(true);
    expect(agents.every((a) => a.heartbeats.length >= 1)).toBe(true);
    expect(lines.filter((line) => line.includes('could not comment'))).toHaveLength(
      new Set(lines.filter((line) => line.includes('could not comment'))).size,
    );
    expect(
      lines.some((line) => /agent \w+ could not comment on a mission \(INTERNAL_ERROR/.test(line)),
    ).toBe(true);

    await squad.stop();
    const calls = gateway.operations.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(gateway.operations.length).toBe(calls);
  });

  it('logs in and reuses the workspace, agents and keys on a later run', async () => {
    const first = await startDemoSquad({ gatewayUrl: 'http://gw', dataDir, log, paceMs: 10 });
    await first.stop();
    lines = [];
    const issued = gateway.count('DemoIssueKey');

    squad = await startDemoSquad({ gatewayUrl: 'http://gw', dataDir, log, paceMs: 10 });

    expect(squad.workspaceId).toBe(first.workspaceId);
    expect(squad.login).toEqual(first.login);
    expect(lines).toEqual([
      'Demo user logged in: demo@mission-control.local',
      'Demo workspace reused: Demo squad',
    ]);
    expect(gateway.agents.size).toBe(4);
    expect(gateway.count('DemoSignUp')).toBe(1);
    expect(gateway.count('DemoIssueKey')).toBe(issued);
    expect(gateway.budgets).toHaveLength(1);
    // Every agent signs in with its stored key and heartbeats again.
    const before = [...gateway.agents.values()].map((a) => a.heartbeats.length);
    await until('every agent heartbeats again', () =>
      [...gateway.agents.values()].every((a, index) => a.heartbeats.length > before[index]!),
    );
  });

  it('runs each mission it works: a log of a few lines a tick, tokens, cost and an outcome', async () => {
    squad = await startDemoSquad({ gatewayUrl: 'http://gw', dataDir, log, paceMs: 10 });
    const byName = (name: string) => [...gateway.agents.values()].find((a) => a.name === name)!;
    await until(
      'two runs succeeded',
      () => gateway.runs.filter((r) => r.status === 'SUCCEEDED').length >= 2,
    );
    const done = gateway.runs.find((r) => r.status === 'SUCCEEDED')!;
    expect(done.lines.length).toBeGreaterThan(3);
    expect(done.lines.some((line) => line.text.includes('\x1b['))).toBe(true);
    expect(done.inputTokens).toBeGreaterThan(0);
    expect(done.costUsd).toBeGreaterThan(0);
    expect(done.summary).toMatch(/^Finished “/);
    // It finished before its mission went to DONE, and no write came after it ended.
    const mission = gateway.missions.find((m) => m.id === done.missionId)!;
    expect(mission.activeRunId).not.toBe(done.id);
    expect(
      gateway.calls.filter((call) => call.operation === 'DemoAppendRunLog' && !call.ok),
    ).toEqual([]);

    await until('Pixel started a run', () =>
      gateway.runs.some((r) => r.agentId === byName('Pixel').id),
    );
    const billing = (name: string) =>
      new Set(gateway.runs.filter((r) => r.agentId === byName(name).id).map((r) => r.billing));
    expect(billing('Pixel')).toEqual(new Set(['SUBSCRIPTION']));
    for (const run of gateway.runs.filter((r) => r.agentId === byName('Atlas').id)) {
      expect(run).toMatchObject({ billing: 'METERED', model: 'claude-opus-4-5' });
    }
  });

  it('stops Nova at its daily budget: the mission goes back, nothing is written, then the commander resumes it', async () => {
    squad = await startDemoSquad({ gatewayUrl: 'http://gw', dataDir, log, paceMs: 10 });
    const nova = [...gateway.agents.values()].find((a) => a.name === 'Nova')!;
    const budget = gateway.budgets[0]!;
    expect(budget).toMatchObject({ agentId: nova.id, name: 'Nova’s daily budget' });

    await until(
      'a run of Nova cancelled by its budget',
      () => gateway.runs.some((r) => r.budgetId === budget.id),
      20_000,
    );
    const cancelled = gateway.runs.find((r) => r.budgetId === budget.id)!;
    expect(cancelled).toMatchObject({ agentId: nova.id, status: 'CANCELLED' });
    expect(cancelled.summary).toMatch(/^The budget “Nova’s daily budget” \(\$0\.15 per day\)/);
    await until('the commander resumed the budget', () => budget.standing === 'RESUMED', 20_000);
    await until(
      'Nova at work again',
      () => gateway.runs.filter((r) => r.agentId === nova.id && r.status === 'RUNNING').length > 0,
      20_000,
    );

    const novasWhileStopped = gateway.calls
      .slice(budget.stoppedAtCall!, budget.resumedAtCall!)
      .filter((call) => call.agentId === nova.id)
      .map((call) => call.operation);
    // It gave back the mission it was on, wrote nothing to any run and started none.
    expect(novasWhileStopped.filter((op) => op === 'DemoRelease')).toEqual(['DemoRelease']);
    expect(
      novasWhileStopped.filter((op) =>
        [
          'DemoAppendRunLog',
          'DemoNoteRunProgress',
          'DemoReportUsage',
          'DemoFinishRun',
          'DemoStartRun',
        ].includes(op),
      ),
    ).toEqual([]);
    // Nothing it held stayed with it: the commander gave it to someone else or it waits in TODO.
    expect(
      gateway.missions.filter(
        (m) => m.id === cancelled.missionId && m.claimedBy === nova.id && m.column !== 'DONE',
      ),
    ).toEqual([]);
    expect(lines.filter((line) => line.includes('Nova') && line.includes('could not'))).toEqual([]);
  });

  it('finds the budget a run made before it could record it, and never makes a second', async () => {
    const first = await startDemoSquad({ gatewayUrl: 'http://gw', dataDir, log, paceMs: 10 });
    await first.stop();
    // A state file from before the demo set budgets has no budgetId.
    const file = join(dataDir, 'demo.json');
    const { budgetId: _budgetId, ...older } = JSON.parse(await readFile(file, 'utf8')) as Record<
      string,
      unknown
    >;
    await writeFile(file, JSON.stringify(older));
    lines = [];

    squad = await startDemoSquad({ gatewayUrl: 'http://gw', dataDir, log, paceMs: 10 });
    expect(gateway.budgets).toHaveLength(1);
    expect(lines).toContain('Demo budget set: Nova’s daily budget ($0.15 a day for Nova)');
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      budgetId: gateway.budgets[0]!.id,
    });
  });

  it('picks up where an interrupted first run stopped, without making anything twice', async () => {
    // The first run dies after creating the workspace and one agent.
    gateway.failing.set('DemoRegister', { code: 'FORBIDDEN', times: 0 });
    const registerOnce = gateway.fetch;
    jest.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const answer = await registerOnce(input, init);
      if (gateway.count('DemoRegister') === 1) {
        gateway.failing.set('DemoRegister', { code: 'FORBIDDEN', times: 1 });
      }
      return answer;
    });
    await expect(
      startDemoSquad({ gatewayUrl: 'http://gw', dataDir, log, paceMs: 10 }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    gateway.failing.clear();

    squad = await startDemoSquad({ gatewayUrl: 'http://gw', dataDir, log, paceMs: 10 });

    expect(gateway.workspaces.size).toBe(1);
    expect(gateway.users.size).toBe(1);
    expect(gateway.agents.size).toBe(4);
    expect(gateway.missions).toHaveLength(8);
    expect(lines).toContain(
      'Demo agents registered: Nova (backend specialist), Pixel (frontend specialist), Sentinel (qa engineer)',
    );
  });
});
