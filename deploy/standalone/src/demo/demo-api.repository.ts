import type { RecentRun } from './demo-commander.decider';
import type {
  BoardColumn,
  BoardMission,
  BudgetView,
  MissionPriority,
  RosterAgent,
} from './demo-board.model';
import type { DemoGraphqlClient } from './demo-graphql.client';

/** An access token and when it stops working (epoch ms). */
export type IssuedToken = { token: string; expiresAt: number };
export type PersonSession = IssuedToken & { refreshToken: string; userId: string };
export type WorkspaceRef = { id: string; name: string };

export type AgentRegistration = {
  name: string;
  role: string;
  capabilities: readonly string[];
  model: string;
  provider: string;
  config: string;
};

export type NewMission = {
  title: string;
  description: string;
  priority: MissionPriority;
  tags: readonly string[];
  column: BoardColumn;
};

type AuthPayload = {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  user: { id: string };
};
/** A budget to make: `costLimitUsd` in US dollars per period. */
export type NewBudget = {
  name: string;
  agentId: string;
  period: 'DAY' | 'MONTH' | 'TOTAL';
  costLimitUsd: number;
  warnPercent: number;
};

type AccessToken = { accessToken: string; accessTokenExpiresAt: string };
type BoardPayload = { columns: { missions: BoardMission[] }[] };

const AUTH_FIELDS = 'accessToken accessTokenExpiresAt refreshToken user { id }';
const MISSION_FIELDS = 'id title column priority tags assigneeAgentId claimedBy updatedAt';
const AGENT_FIELDS = 'id name status capabilities';
const BUDGET_FIELDS = 'id name agentId standing';

const SIGN_UP = `mutation DemoSignUp($email: String!, $password: String!, $name: String!) {
  signUp(email: $email, password: $password, name: $name) { ${AUTH_FIELDS} }
}`;
const LOG_IN = `mutation DemoLogIn($email: String!, $password: String!) {
  logIn(email: $email, password: $password) { ${AUTH_FIELDS} }
}`;
const REFRESH = `mutation DemoRefresh($refreshToken: String!) {
  refreshSession(refreshToken: $refreshToken) { ${AUTH_FIELDS} }
}`;
const SWITCH = `mutation DemoSwitch($workspaceId: String!) {
  switchWorkspace(workspaceId: $workspaceId) { accessToken accessTokenExpiresAt }
}`;
const CREATE_WORKSPACE = `mutation DemoCreateWorkspace($name: String!) {
  createWorkspace(name: $name) { id name }
}`;
const MEMBERSHIPS = `query DemoMemberships { me { memberships { workspace { id name } } } }`;
const AGENTS = `query DemoAgents($ws: ID!) { agents(workspaceId: $ws) { ${AGENT_FIELDS} } }`;
const REGISTER = `mutation DemoRegister($ws: ID!, $input: RegisterAgentInput!) {
  registerAgent(workspaceId: $ws, input: $input) { ${AGENT_FIELDS} }
}`;
const ACTIVATE = `mutation DemoActivate($ws: ID!, $id: ID!) {
  activateAgent(workspaceId: $ws, id: $id) { ${AGENT_FIELDS} }
}`;
const ISSUE_KEY = `mutation DemoIssueKey($ws: ID!, $id: ID!) {
  issueAgentKey(workspaceId: $ws, agentId: $id) { key }
}`;
const EXCHANGE = `mutation DemoExchange($key: String!) {
  exchangeAgentKey(key: $key) { accessToken accessTokenExpiresAt }
}`;
const BOARD = `query DemoBoard($ws: ID!) {
  board(workspaceId: $ws) { columns { missions { ${MISSION_FIELDS} } } }
}`;
// One round trip for what the commander looks at each tick.
const BOARD_AND_AGENTS = `query DemoBoardAndAgents($ws: ID!) {
  board(workspaceId: $ws) { columns { missions { ${MISSION_FIELDS} } } }
  agents(workspaceId: $ws) { ${AGENT_FIELDS} }
  budgets(workspaceId: $ws) { ${BUDGET_FIELDS} }
  runs(workspaceId: $ws, first: 50) { nodes { missionId agentId status } }
}`;
const BUDGETS = `query DemoBudgets($ws: ID!) { budgets(workspaceId: $ws) { ${BUDGET_FIELDS} } }`;
const SET_BUDGET = `mutation DemoSetBudget($ws: ID!, $input: SetBudgetInput!) {
  setBudget(workspaceId: $ws, input: $input) { ${BUDGET_FIELDS} }
}`;
const RESUME_BUDGET = `mutation DemoResumeBudget($ws: ID!, $id: ID!) {
  resumeBudget(workspaceId: $ws, budgetId: $id) { ${BUDGET_FIELDS} }
}`;
const CREATE_MISSION = `mutation DemoCreateMission($ws: ID!, $input: CreateMissionInput!) {
  createMission(workspaceId: $ws, input: $input) { id }
}`;
const MOVE = `mutation DemoMove($ws: ID!, $id: ID!, $column: BoardColumn!) {
  moveMission(workspaceId: $ws, missionId: $id, column: $column) { id }
}`;
const ASSIGN = `mutation DemoAssign($ws: ID!, $id: ID!, $agentId: ID) {
  assignMission(workspaceId: $ws, missionId: $id, agentId: $agentId) { id }
}`;
const COMMENT = `mutation DemoComment($ws: ID!, $id: ID!, $body: String!) {
  addComment(workspaceId: $ws, missionId: $id, body: $body) { id }
}`;

const issued = (payload: AccessToken): IssuedToken => ({
  token: payload.accessToken,
  expiresAt: Date.parse(payload.accessTokenExpiresAt),
});

const session = (payload: AuthPayload): PersonSession => ({
  ...issued(payload),
  refreshToken: payload.refreshToken,
  userId: payload.user.id,
});

const flatten = (board: BoardPayload): BoardMission[] =>
  board.columns.flatMap((column) => column.missions);

/** Every call the demo makes, typed; the only place that knows the GraphQL documents. */
export class DemoApiRepository {
  constructor(private readonly graph: DemoGraphqlClient) {}

  async signUp(email: string, password: string, name: string): Promise<PersonSession> {
    const data = await this.graph.request<{ signUp: AuthPayload }>('signUp', SIGN_UP, {
      email,
      password,
      name,
    });
    return session(data.signUp);
  }

  async logIn(email: string, password: string): Promise<PersonSession> {
    const data = await this.graph.request<{ logIn: AuthPayload }>('logIn', LOG_IN, {
      email,
      password,
    });
    return session(data.logIn);
  }

  async refreshSession(refreshToken: string): Promise<PersonSession> {
    const data = await this.graph.request<{ refreshSession: AuthPayload }>(
      'refreshSession',
      REFRESH,
      { refreshToken },
    );
    return session(data.refreshSession);
  }

  async switchWorkspace(workspaceId: string, token: string): Promise<IssuedToken> {
    const data = await this.graph.request<{ switchWorkspace: AccessToken }>(
      'switchWorkspace',
      SWITCH,
      { workspaceId },
      token,
    );
    return issued(data.switchWorkspace);
  }

  async createWorkspace(name: string, token: string): Promise<WorkspaceRef> {
    const data = await this.graph.request<{ createWorkspace: WorkspaceRef }>(
      'createWorkspace',
      CREATE_WORKSPACE,
      { name },
      token,
    );
    return data.createWorkspace;
  }

  async workspaces(token: string): Promise<WorkspaceRef[]> {
    const data = await this.graph.request<{
      me: { memberships: { workspace: WorkspaceRef }[] };
    }>('me', MEMBERSHIPS, {}, token);
    return data.me.memberships.map((membership) => membership.workspace);
  }

  async agents(workspaceId: string, token: string): Promise<RosterAgent[]> {
    const data = await this.graph.request<{ agents: RosterAgent[] }>(
      'agents',
      AGENTS,
      { ws: workspaceId },
      token,
    );
    return data.agents;
  }

  async registerAgent(
    workspaceId: string,
    input: AgentRegistration,
    token: string,
  ): Promise<RosterAgent> {
    const data = await this.graph.request<{ registerAgent: RosterAgent }>(
      'registerAgent',
      REGISTER,
      { ws: workspaceId, input: { ...input, capabilities: [...input.capabilities] } },
      token,
    );
    return data.registerAgent;
  }

  async activateAgent(workspaceId: string, agentId: string, token: string): Promise<RosterAgent> {
    const data = await this.graph.request<{ activateAgent: RosterAgent }>(
      'activateAgent',
      ACTIVATE,
      { ws: workspaceId, id: agentId },
      token,
    );
    return data.activateAgent;
  }

  async issueAgentKey(workspaceId: string, agentId: string, token: string): Promise<string> {
    const data = await this.graph.request<{ issueAgentKey: { key: string } }>(
      'issueAgentKey',
      ISSUE_KEY,
      { ws: workspaceId, id: agentId },
      token,
    );
    return data.issueAgentKey.key;
  }

  async exchangeAgentKey(key: string): Promise<IssuedToken> {
    const data = await this.graph.request<{ exchangeAgentKey: AccessToken }>(
      'exchangeAgentKey',
      EXCHANGE,
      { key },
    );
    return issued(data.exchangeAgentKey);
  }

  async board(workspaceId: string, token: string): Promise<BoardMission[]> {
    const data = await this.graph.request<{ board: BoardPayload }>(
      'board',
      BOARD,
      { ws: workspaceId },
      token,
    );
    return flatten(data.board);
  }

  /** What the commander looks at each tick, in one round trip; runs newest first. */
  async boardAndAgents(
    workspaceId: string,
    token: string,
  ): Promise<{
    board: BoardMission[];
    agents: RosterAgent[];
    budgets: BudgetView[];
    recentRuns: RecentRun[];
  }> {
    const data = await this.graph.request<{
      board: BoardPayload;
      agents: RosterAgent[];
      budgets: BudgetView[];
      runs: { nodes: RecentRun[] };
    }>('board', BOARD_AND_AGENTS, { ws: workspaceId }, token);
    return {
      board: flatten(data.board),
      agents: data.agents,
      budgets: data.budgets,
      recentRuns: data.runs.nodes,
    };
  }

  async budgets(workspaceId: string, token: string): Promise<BudgetView[]> {
    const data = await this.graph.request<{ budgets: BudgetView[] }>(
      'budgets',
      BUDGETS,
      { ws: workspaceId },
      token,
    );
    return data.budgets;
  }

  async setBudget(workspaceId: string, input: NewBudget, token: string): Promise<BudgetView> {
    const data = await this.graph.request<{ setBudget: BudgetView }>(
      'setBudget',
      SET_BUDGET,
      { ws: workspaceId, input },
      token,
    );
    return data.setBudget;
  }

  async resumeBudget(workspaceId: string, budgetId: string, token: string): Promise<void> {
    await this.graph.request(
      'resumeBudget',
      RESUME_BUDGET,
      { ws: workspaceId, id: budgetId },
      token,
    );
  }

  async createMission(workspaceId: string, input: NewMission, token: string): Promise<string> {
    const data = await this.graph.request<{ createMission: { id: string } }>(
      'createMission',
      CREATE_MISSION,
      { ws: workspaceId, input: { ...input, tags: [...input.tags] } },
      token,
    );
    return data.createMission.id;
  }

  async moveMission(
    workspaceId: string,
    missionId: string,
    column: BoardColumn,
    token: string,
  ): Promise<void> {
    await this.graph.request(
      'moveMission',
      MOVE,
      { ws: workspaceId, id: missionId, column },
      token,
    );
  }

  async assignMission(
    workspaceId: string,
    missionId: string,
    agentId: string | null,
    token: string,
  ): Promise<void> {
    await this.graph.request(
      'assignMission',
      ASSIGN,
      { ws: workspaceId, id: missionId, agentId },
      token,
    );
  }

  async addComment(
    workspaceId: string,
    missionId: string,
    body: string,
    token: string,
  ): Promise<void> {
    await this.graph.request(
      'addComment',
      COMMENT,
      { ws: workspaceId, id: missionId, body },
      token,
    );
  }
}
