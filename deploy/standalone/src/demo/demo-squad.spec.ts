import { constants } from 'node:fs';
import { access, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BOARD_COLUMNS, type BoardColumn } from './demo-board.model';
import {
  parseRunnerConfig,
  type Runner,
  type RunnerConfigInput,
  type RunnerOptions,
} from '@mission-control/runner';
import { DEMO_MODEL_BIN, startDemoSquad, type DemoSquad } from './demo-squad';

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
};
type FakeRun = {
  id: string;
  workspaceId: string;
  missionId: string;
  agentId: string;
  status: string;
};
type FakeBudget = {
  id: string;
  workspaceId: string;
  agentId: string | null;
  name: string;
  costLimitUsd: number;
  standing: string;
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
 * The gateway's public API as far as the demo's people side uses it, in memory, with the rules
 * that matter to it: workspace tokens, keys learned a moment after they are issued, revoked keys.
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
  /** Keys a person revoked: refused for good. */
  readonly revoked = new Set<string>();
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
          .map(({ comments: _comments, workspaceId: _ws, ...card }) => card),
      })),
    };
  }

  private budgetsOf(workspaceId: string) {
    return this.budgets
      .filter((b) => b.workspaceId === workspaceId)
      .map(({ id, name, agentId, standing }) => ({ id, name, agentId, standing }));
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
        if (!agent || agent.refusalsLeft > 0 || this.revoked.has(key)) {
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
          // Newest first, as the API lists them.
          runs: {
            nodes: this.runs
              .filter((r) => r.workspaceId === ws)
              .reverse()
              .map(({ missionId, agentId, status }) => ({ missionId, agentId, status })),
          },
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
          standing: 'OK',
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
        return { resumeBudget: this.budgetsOf(ws).find((b) => b.id === budget.id) };
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
        return { assignMission: { id: mission.id } };
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

type StartedRunner = { config: RunnerConfigInput; options: RunnerOptions; stop: jest.Mock };

/** Stands in for the runner: what it was started with, and whether it was stopped. */
function fakeRunners() {
  const started: StartedRunner[] = [];
  const startRunner = (config: RunnerConfigInput, options: RunnerOptions = {}) => {
    const stop = jest.fn(() => Promise.resolve());
    started.push({ config, options, stop });
    return Promise.resolve({ stop } as unknown as Runner);
  };
  return { started, startRunner };
}

const keyTiming = { keyWaitMs: 300, retryEveryMs: 5 };

describe('startDemoSquad', () => {
  let dataDir: string;
  let gateway: FakeGateway;
  let squad: DemoSquad | undefined;
  let lines: string[];
  let runners: ReturnType<typeof fakeRunners>;
  const log = (line: string) => lines.push(line);
  const start = (random?: () => number) =>
    startDemoSquad({
      gatewayUrl: 'http://gw',
      dataDir,
      log,
      paceMs: 10,
      keyTiming,
      startRunner: runners.startRunner,
      ...(random ? { random } : {}),
    });
  const agentNamed = (name: string) => [...gateway.agents.values()].find((a) => a.name === name)!;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'demo-squad-'));
    gateway = new FakeGateway();
    runners = fakeRunners();
    lines = [];
    jest.spyOn(globalThis, 'fetch').mockImplementation(gateway.fetch);
  });
  afterEach(async () => {
    await squad?.stop();
    squad = undefined;
    jest.restoreAllMocks();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('seeds a workspace on a first run, and hands its agents to a runner that runs the demo model', async () => {
    squad = await start();

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

    // One runner, in this process, with every agent on the command adapter and its own key, which
    // the API accepted before the runner got it (new keys are refused for a moment).
    expect(runners.started).toHaveLength(1);
    const [{ config, options }] = runners.started as [StartedRunner];
    expect(options.handleSignals).toBe(false);
    const parsed = parseRunnerConfig(config, process.env);
    expect(parsed).toMatchObject({
      gatewayUrl: 'http://gw',
      workRoot: join(dataDir, 'demo-runs'),
      cleanWorkFolders: true,
    });
    expect(parsed.agents.map((a) => [a.name, a.key])).toEqual(agents.map((a) => [a.name, a.key]));
    expect(agents.every((a) => a.refusalsLeft === 0)).toBe(true);
    for (const agent of parsed.agents) {
      expect(agent).toMatchObject({
        adapter: 'command',
        concurrency: 1,
        onStart: 'IN_PROGRESS',
        onSuccess: 'REVIEW',
        onFailure: 'TODO',
        options: { command: DEMO_MODEL_BIN, args: ['{{missionFile}}'] },
      });
    }
    const byName = (name: string) => parsed.agents.find((a) => a.name === name)!;
    expect(byName('Pixel')).toMatchObject({
      billing: 'SUBSCRIPTION',
      options: { model: 'gpt-5-codex', provider: 'openai', env: { MC_DEMO_MODEL: 'gpt-5-codex' } },
    });
    expect(byName('Nova')).toMatchObject({
      billing: 'METERED',
      options: { model: 'claude-sonnet-4-5', env: { MC_DEMO_PACE_MS: '10' } },
    });
    await access(DEMO_MODEL_BIN, constants.X_OK);

    // Stopped, it stops the commander and the runner, and calls nothing more.
    await squad.stop();
    expect(runners.started[0]!.stop).toHaveBeenCalledTimes(1);
    const calls = gateway.operations.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(gateway.operations.length).toBe(calls);
    squad = undefined;
  });

  it('logs in and reuses the workspace, agents and keys on a later run', async () => {
    const first = await start();
    await first.stop();
    lines = [];
    const issued = gateway.count('DemoIssueKey');

    squad = await start();

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
    const keys = (runner: StartedRunner) =>
      parseRunnerConfig(runner.config, process.env).agents.map((a) => a.key);
    expect(keys(runners.started[1]!)).toEqual(keys(runners.started[0]!));
  });

  it('reissues a key the API refuses for good (a person revoked it) once, and keeps the new one', async () => {
    const first = await start();
    await first.stop();
    const nova = agentNamed('Nova');
    gateway.revoked.add(nova.key!);
    lines = [];
    const issued = gateway.count('DemoIssueKey');

    squad = await start();

    expect(lines).toContain('Demo agent key reissued: Nova');
    expect(gateway.count('DemoIssueKey')).toBe(issued + 1);
    expect(gateway.agents.size).toBe(4);
    const config = parseRunnerConfig(runners.started[1]!.config, process.env);
    expect(config.agents.find((a) => a.name === 'Nova')!.key).toBe(nova.key);
    expect(gateway.revoked.has(nova.key!)).toBe(false);
    const stored = JSON.parse(await readFile(join(dataDir, 'demo.json'), 'utf8')) as {
      agents: { name: string; key: string }[];
    };
    expect(stored.agents.find((a) => a.name === 'Nova')!.key).toBe(nova.key);
  });

  it('reviews what the runner finished: merged to Done, with a word to the agent whose run it was', async () => {
    squad = await start(() => 0.9);
    const atlas = agentNamed('Atlas');
    const finished = gateway.missions.find((m) => m.column === 'TODO')!;
    Object.assign(finished, { column: 'REVIEW', updatedAt: new Date(0).toISOString() });
    gateway.runs.push({
      id: 'run-1',
      workspaceId: squad.workspaceId,
      missionId: finished.id,
      agentId: atlas.id,
      status: 'SUCCEEDED',
    });

    await until('the mission merged', () => finished.column === 'DONE');
    expect(finished.comments).toEqual([
      {
        author: expect.stringMatching(/^user-/) as string,
        body: expect.stringMatching(/^@Atlas /) as string,
      },
    ]);
  });

  it('resumes the demo’s budget a while after it stopped Nova', async () => {
    squad = await start();
    const budget = gateway.budgets[0]!;
    budget.standing = 'EXCEEDED';
    await until('the commander resumed the budget', () => budget.standing === 'RESUMED');
  });

  it('finds the budget a run made before it could record it, and never makes a second', async () => {
    const first = await start();
    await first.stop();
    // A state file from before the demo set budgets has no budgetId.
    const file = join(dataDir, 'demo.json');
    const { budgetId: _budgetId, ...older } = JSON.parse(await readFile(file, 'utf8')) as Record<
      string,
      unknown
    >;
    await writeFile(file, JSON.stringify(older));
    lines = [];

    squad = await start();
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
    await expect(start()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    gateway.failing.clear();

    squad = await start();

    expect(gateway.workspaces.size).toBe(1);
    expect(gateway.users.size).toBe(1);
    expect(gateway.agents.size).toBe(4);
    expect(gateway.missions).toHaveLength(8);
    expect(runners.started).toHaveLength(1);
    expect(lines).toContain(
      'Demo agents registered: Nova (backend specialist), Pixel (frontend specialist), Sentinel (qa engineer)',
    );
  });
});
