import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
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
  readonly operations: string[] = [];
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
    try {
      const failure = this.failing.get(operation);
      if (failure && failure.times > 0) {
        failure.times -= 1;
        throw new Coded(failure.code, 'Something went wrong on our side');
      }
      const data = this.handle(operation, variables, principal);
      return Promise.resolve(new Response(JSON.stringify({ data }), { status: 200 }));
    } catch (error) {
      if (!(error instanceof Coded)) {
        throw error;
      }
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
        };
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
    ]);

    const file = join(dataDir, 'demo.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(file, 'utf8')) as { agents: { key: string }[] };
    expect(stored).toMatchObject({
      email: squad.login.email,
      password: squad.login.password,
      workspaceId: squad.workspaceId,
      backlogSeeded: true,
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
    // Every agent signs in with its stored key and heartbeats again.
    const before = [...gateway.agents.values()].map((a) => a.heartbeats.length);
    await until('every agent heartbeats again', () =>
      [...gateway.agents.values()].every((a, index) => a.heartbeats.length > before[index]!),
    );
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
