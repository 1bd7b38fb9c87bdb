import { randomUUID } from 'node:crypto';
import { GraphClient } from '../support/graph-client';
import { IdentityWorld, type Member, type RoleValue } from '../support/identity-world';
import { composedSchema, operations } from '../support/schema-walk';
import { SquadWorld } from '../support/squad-world';
import { startStack, type Stack } from '@mission-control/testing';

const ROLES: RoleValue[] = ['ADMIN', 'MISSION_COMMANDER', 'AGENT_OPERATOR', 'VIEWER'];

/** What each role may do. A mutation missing here (or from EXEMPT) fails the first test. */
const EXPECTED: Record<string, Record<RoleValue, 'allow' | 'deny'>> = {
  createWorkspace: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'allow',
    AGENT_OPERATOR: 'allow',
    VIEWER: 'allow',
  },
  switchWorkspace: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'allow',
    AGENT_OPERATOR: 'allow',
    VIEWER: 'allow',
  },
  renameWorkspace: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  revokeInvitation: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  inviteMember: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  changeMemberRole: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  issueApiKey: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  revokeApiKey: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  removeMember: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  // manage_agents
  registerAgent: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'allow',
    VIEWER: 'deny',
  },
  updateAgent: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'allow',
    VIEWER: 'deny',
  },
  activateAgent: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'allow',
    VIEWER: 'deny',
  },
  issueAgentKey: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'allow',
    VIEWER: 'deny',
  },
  deactivateAgent: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'allow',
    VIEWER: 'deny',
  },
  setAgentWakeHook: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'allow',
    VIEWER: 'deny',
  },
  removeAgentWakeHook: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'allow',
    VIEWER: 'deny',
  },
  // create_missions
  createMission: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'allow',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  updateMission: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'allow',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  moveMission: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'allow',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  assignMission: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'allow',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  addComment: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'allow',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  addMissionDependency: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'allow',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  removeMissionDependency: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'allow',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  // Agents only: no person's role lets them speak as an agent.
  claimMission: {
    ADMIN: 'deny',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  heartbeat: { ADMIN: 'deny', MISSION_COMMANDER: 'deny', AGENT_OPERATOR: 'deny', VIEWER: 'deny' },
  spawnSubAgent: {
    ADMIN: 'deny',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  reportHost: { ADMIN: 'deny', MISSION_COMMANDER: 'deny', AGENT_OPERATOR: 'deny', VIEWER: 'deny' },
  reportHostSample: {
    ADMIN: 'deny',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  // manage_agents
  removeHost: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'allow',
    VIEWER: 'deny',
  },
  nextMission: { ADMIN: 'deny', MISSION_COMMANDER: 'deny', AGENT_OPERATOR: 'deny', VIEWER: 'deny' },
  startRun: { ADMIN: 'deny', MISSION_COMMANDER: 'deny', AGENT_OPERATOR: 'deny', VIEWER: 'deny' },
  renewLease: { ADMIN: 'deny', MISSION_COMMANDER: 'deny', AGENT_OPERATOR: 'deny', VIEWER: 'deny' },
  releaseMission: {
    ADMIN: 'deny',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  appendRunLog: {
    ADMIN: 'deny',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  noteRunProgress: {
    ADMIN: 'deny',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  reportRunUsage: {
    ADMIN: 'deny',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  // People cancel a run with create_missions; only its agent says how else it ended.
  finishRun: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'allow',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  // admin_access: spending limits are the workspace owner's call.
  setBudget: { ADMIN: 'allow', MISSION_COMMANDER: 'deny', AGENT_OPERATOR: 'deny', VIEWER: 'deny' },
  resumeBudget: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  deleteBudget: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
  // admin_access: what happens to lapsed work is the workspace owner's call.
  setWorkPolicy: {
    ADMIN: 'allow',
    MISSION_COMMANDER: 'deny',
    AGENT_OPERATOR: 'deny',
    VIEWER: 'deny',
  },
};

/** Not a matter of workspace role: who you are is the whole check. */
const EXEMPT: Record<string, string> = {
  signUp: 'anyone',
  logIn: 'anyone with the password',
  refreshSession: 'the refresh token holder',
  logOut: 'the refresh token holder',
  exchangeApiKey: 'the API key holder',
  exchangeAgentKey: 'the agent key holder',
  acceptInvitation: 'the invited address',
  // A person's own sessions and password, whatever their role (services/identity settings spec).
  changePassword: 'the signed-in person',
  revokeSession: 'the signed-in person',
  signOutEverywhere: 'the signed-in person',
};

type Setup = {
  actor: Member;
  target: Member;
  apiKeyId: string;
  invitationId: string;
  agentId: string;
  /** An active agent: the only kind a mission may be assigned to. */
  assigneeId: string;
  missions: [string, string];
  /** A run the assignee agent is running, of a third mission. */
  runId: string;
  /** A budget of the (inactive) agent, stopped from the start: its limit is 0 tokens. */
  budgetId: string;
  /** A runtime host the assignee agent reported. */
  hostId: string;
};

/** One valid call per mutation, aimed at records of the actor's own workspace. */
const CALLS: Record<
  string,
  (setup: Setup) => { query: string; variables: Record<string, unknown> }
> = {
  createWorkspace: () => ({
    query: 'mutation { createWorkspace(name: "rbac-own") { id } }',
    variables: {},
  }),
  switchWorkspace: ({ actor }) => ({
    query: 'mutation ($id: String!) { switchWorkspace(workspaceId: $id) { accessToken } }',
    variables: { id: actor.workspaceId },
  }),
  renameWorkspace: ({ actor }) => ({
    query: 'mutation ($id: ID!) { renameWorkspace(workspaceId: $id, name: "rbac renamed") { id } }',
    variables: { id: actor.workspaceId },
  }),
  revokeInvitation: ({ actor, invitationId }) => ({
    query:
      'mutation ($id: ID!, $inv: ID!) { revokeInvitation(workspaceId: $id, invitationId: $inv) { id } }',
    variables: { id: actor.workspaceId, inv: invitationId },
  }),
  inviteMember: ({ actor }) => ({
    query:
      'mutation ($id: ID!, $email: String!) { inviteMember(workspaceId: $id, email: $email, role: VIEWER) { token } }',
    variables: { id: actor.workspaceId, email: `invitee-${randomUUID().slice(0, 8)}@example.com` },
  }),
  changeMemberRole: ({ actor, target }) => ({
    query:
      'mutation ($id: ID!, $user: ID!) { changeMemberRole(workspaceId: $id, userId: $user, role: AGENT_OPERATOR) { role } }',
    variables: { id: actor.workspaceId, user: target.userId },
  }),
  issueApiKey: ({ actor }) => ({
    query:
      'mutation ($id: ID!) { issueApiKey(workspaceId: $id, name: "rbac", scopes: [VIEW_ANALYTICS]) { apiKey { id } } }',
    variables: { id: actor.workspaceId },
  }),
  revokeApiKey: ({ actor, apiKeyId }) => ({
    query:
      'mutation ($id: ID!, $key: ID!) { revokeApiKey(workspaceId: $id, apiKeyId: $key) { id } }',
    variables: { id: actor.workspaceId, key: apiKeyId },
  }),
  registerAgent: ({ actor }) => ({
    query:
      'mutation ($ws: ID!) { registerAgent(workspaceId: $ws, input: { name: "rbac", role: "intern" }) { id } }',
    variables: { ws: actor.workspaceId },
  }),
  updateAgent: ({ actor, agentId }) => ({
    query:
      'mutation ($ws: ID!, $id: ID!) { updateAgent(workspaceId: $ws, id: $id, input: { role: "lead" }) { id } }',
    variables: { ws: actor.workspaceId, id: agentId },
  }),
  activateAgent: ({ actor, agentId }) => ({
    query: 'mutation ($ws: ID!, $id: ID!) { activateAgent(workspaceId: $ws, id: $id) { id } }',
    variables: { ws: actor.workspaceId, id: agentId },
  }),
  issueAgentKey: ({ actor, agentId }) => ({
    query:
      'mutation ($ws: ID!, $id: ID!) { issueAgentKey(workspaceId: $ws, agentId: $id) { keyId } }',
    variables: { ws: actor.workspaceId, id: agentId },
  }),
  deactivateAgent: ({ actor, agentId }) => ({
    query: 'mutation ($ws: ID!, $id: ID!) { deactivateAgent(workspaceId: $ws, id: $id) { id } }',
    variables: { ws: actor.workspaceId, id: agentId },
  }),
  setAgentWakeHook: ({ actor, agentId }) => ({
    query:
      'mutation ($ws: ID!, $id: ID!) { setAgentWakeHook(workspaceId: $ws, agentId: $id, url: "https://agents.example.com/wake") { secret } }',
    variables: { ws: actor.workspaceId, id: agentId },
  }),
  removeAgentWakeHook: ({ actor, agentId }) => ({
    query:
      'mutation ($ws: ID!, $id: ID!) { removeAgentWakeHook(workspaceId: $ws, agentId: $id) { id } }',
    variables: { ws: actor.workspaceId, id: agentId },
  }),
  createMission: ({ actor }) => ({
    query:
      'mutation ($ws: ID!) { createMission(workspaceId: $ws, input: { title: "rbac" }) { id } }',
    variables: { ws: actor.workspaceId },
  }),
  updateMission: ({ actor, missions }) => ({
    query:
      'mutation ($ws: ID!, $id: ID!) { updateMission(workspaceId: $ws, missionId: $id, input: { priority: HIGH }) { id } }',
    variables: { ws: actor.workspaceId, id: missions[0] },
  }),
  moveMission: ({ actor, missions }) => ({
    query:
      'mutation ($ws: ID!, $id: ID!, $after: ID) { moveMission(workspaceId: $ws, missionId: $id, column: TODO, afterId: $after) { id } }',
    variables: { ws: actor.workspaceId, id: missions[0], after: missions[1] },
  }),
  assignMission: ({ actor, missions, assigneeId }) => ({
    query:
      'mutation ($ws: ID!, $id: ID!, $agent: ID) { assignMission(workspaceId: $ws, missionId: $id, agentId: $agent) { id } }',
    variables: { ws: actor.workspaceId, id: missions[0], agent: assigneeId },
  }),
  addComment: ({ actor, missions }) => ({
    query:
      'mutation ($ws: ID!, $id: ID!) { addComment(workspaceId: $ws, missionId: $id, body: "rbac @scout") { id } }',
    variables: { ws: actor.workspaceId, id: missions[0] },
  }),
  // The second mission waits for the first: adding it again, or removing it twice, is no error.
  addMissionDependency: ({ actor, missions }) => ({
    query:
      'mutation ($ws: ID!, $id: ID!, $blocker: ID!) { addMissionDependency(workspaceId: $ws, missionId: $id, blockerId: $blocker) { id } }',
    variables: { ws: actor.workspaceId, id: missions[1], blocker: missions[0] },
  }),
  removeMissionDependency: ({ actor, missions }) => ({
    query:
      'mutation ($ws: ID!, $id: ID!, $blocker: ID!) { removeMissionDependency(workspaceId: $ws, missionId: $id, blockerId: $blocker) { id } }',
    variables: { ws: actor.workspaceId, id: missions[1], blocker: missions[0] },
  }),
  claimMission: ({ actor, missions }) => ({
    query:
      'mutation ($ws: ID!, $id: ID!) { claimMission(workspaceId: $ws, missionId: $id) { id } }',
    variables: { ws: actor.workspaceId, id: missions[0] },
  }),
  heartbeat: () => ({
    query: 'mutation { heartbeat(status: BUSY, activity: "rbac") { id } }',
    variables: {},
  }),
  spawnSubAgent: () => ({
    query: 'mutation { spawnSubAgent(input: { name: "rbac", ttlSeconds: 60 }) { key } }',
    variables: {},
  }),
  reportHost: ({ actor }) => ({
    query:
      'mutation ($ws: ID!) { reportHost(workspaceId: $ws, input: { hostKey: "rbac-person", hostname: "rbac", kind: SERVER, cpuCount: 1, memoryBytes: 1024 }) { id } }',
    variables: { ws: actor.workspaceId },
  }),
  reportHostSample: ({ actor, hostId }) => ({
    query:
      'mutation ($ws: ID!, $host: ID!) { reportHostSample(workspaceId: $ws, hostId: $host, input: { cpuPercent: 1, memoryUsedBytes: 1, diskUsedBytes: 1, diskTotalBytes: 2 }) { id } }',
    variables: { ws: actor.workspaceId, host: hostId },
  }),
  removeHost: ({ actor, hostId }) => ({
    query: 'mutation ($ws: ID!, $id: ID!) { removeHost(workspaceId: $ws, id: $id) { id } }',
    variables: { ws: actor.workspaceId, id: hostId },
  }),
  nextMission: ({ actor }) => ({
    query: 'mutation ($ws: ID!) { nextMission(workspaceId: $ws) { id } }',
    variables: { ws: actor.workspaceId },
  }),
  startRun: ({ actor, missions }) => ({
    query:
      'mutation ($ws: ID!, $id: ID!) { startRun(workspaceId: $ws, missionId: $id, input: { adapter: "sdk", model: "gpt-5", provider: "openai" }) { id } }',
    variables: { ws: actor.workspaceId, id: missions[0] },
  }),
  renewLease: ({ actor, missions }) => ({
    query: 'mutation ($ws: ID!, $id: ID!) { renewLease(workspaceId: $ws, missionId: $id) { id } }',
    variables: { ws: actor.workspaceId, id: missions[0] },
  }),
  releaseMission: ({ actor, missions }) => ({
    query:
      'mutation ($ws: ID!, $id: ID!) { releaseMission(workspaceId: $ws, missionId: $id) { id } }',
    variables: { ws: actor.workspaceId, id: missions[0] },
  }),
  appendRunLog: ({ actor, runId }) => ({
    query:
      'mutation ($ws: ID!, $run: ID!) { appendRunLog(workspaceId: $ws, runId: $run, lines: [{ text: "rbac" }]) { lastPosition } }',
    variables: { ws: actor.workspaceId, run: runId },
  }),
  reportRunUsage: ({ actor, runId }) => ({
    query:
      'mutation ($ws: ID!, $run: ID!) { reportRunUsage(workspaceId: $ws, runId: $run, input: { model: "gpt-5", inputTokens: 1, outputTokens: 1 }) { id } }',
    variables: { ws: actor.workspaceId, run: runId },
  }),
  noteRunProgress: ({ actor, runId }) => ({
    query:
      'mutation ($ws: ID!, $run: ID!) { noteRunProgress(workspaceId: $ws, runId: $run, note: "rbac") { id } }',
    variables: { ws: actor.workspaceId, run: runId },
  }),
  finishRun: ({ actor, runId }) => ({
    query:
      'mutation ($ws: ID!, $run: ID!) { finishRun(workspaceId: $ws, runId: $run, outcome: CANCELLED) { id } }',
    variables: { ws: actor.workspaceId, run: runId },
  }),
  setBudget: ({ actor }) => ({
    query:
      'mutation ($ws: ID!) { setBudget(workspaceId: $ws, input: { name: "rbac", period: MONTH, costLimitUsd: 100 }) { id } }',
    variables: { ws: actor.workspaceId },
  }),
  // Before deleteBudget, which removes it.
  resumeBudget: ({ actor, budgetId }) => ({
    query: 'mutation ($ws: ID!, $id: ID!) { resumeBudget(workspaceId: $ws, budgetId: $id) { id } }',
    variables: { ws: actor.workspaceId, id: budgetId },
  }),
  deleteBudget: ({ actor, budgetId }) => ({
    query: 'mutation ($ws: ID!, $id: ID!) { deleteBudget(workspaceId: $ws, budgetId: $id) { id } }',
    variables: { ws: actor.workspaceId, id: budgetId },
  }),
  setWorkPolicy: ({ actor }) => ({
    query:
      'mutation ($ws: ID!) { setWorkPolicy(workspaceId: $ws, lapsedClaims: REQUEUE) { lapsedClaims } }',
    variables: { ws: actor.workspaceId },
  }),
  // Last: it removes the target.
  removeMember: ({ actor, target }) => ({
    query: 'mutation ($id: ID!, $user: ID!) { removeMember(workspaceId: $id, userId: $user) }',
    variables: { id: actor.workspaceId, user: target.userId },
  }),
};

describe('RBAC: 4 roles × every mutation of the graph', () => {
  let stack: Stack;
  let graph: GraphClient;
  let world: IdentityWorld;
  let squads: SquadWorld;

  beforeAll(async () => {
    stack = await startStack();
    graph = new GraphClient(stack.gatewayUrl);
    world = new IdentityWorld(graph);
    squads = new SquadWorld(graph);
  });
  afterAll(() => stack?.stop());

  it('has an expected row for every mutation in the composed schema', async () => {
    const mutations = operations(await composedSchema(graph))
      .filter((operation) => operation.kind === 'mutation')
      .map((operation) => operation.field.name)
      .sort();
    expect(mutations).toEqual([...Object.keys(EXPECTED), ...Object.keys(EXEMPT)].sort());
    expect(Object.keys(CALLS).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(ROLES)('%s gets exactly what the table allows', async (role) => {
    const admin = await world.workspace(`rbac-${role.toLowerCase()}`);
    const actor = role === 'ADMIN' ? admin : await world.member(admin, role);
    const target = await world.member(admin, 'VIEWER', 'target');
    const { id: apiKeyId } = await world.apiKey(admin);
    const { id: invitationId } = await world.invitation(admin);
    const { id: agentId } = await squads.agent(admin, 'rbac-scout');
    const assignee = await squads.activeAgent(admin, 'rbac-assignee');
    const assigneeId = assignee.id;
    const missions: [string, string] = [
      (await squads.mission(admin, 'rbac one')).id,
      (await squads.mission(admin, 'rbac two')).id,
    ];
    const running = await squads.claimedMission(admin, assignee, 'rbac three');
    const runId = await squads.startedRun(admin, assignee, running.id);
    const budget = await graph.request<{ setBudget: { id: string } }>(
      'mutation ($ws: ID!, $agent: ID) { setBudget(workspaceId: $ws, input: { name: "rbac stopped", agentId: $agent, period: DAY, tokenLimit: 0 }) { id } }',
      { ws: admin.workspaceId, agent: agentId },
      admin.workspaceToken,
    );
    const budgetId = budget.data!.setBudget.id;
    const host = await graph.request<{ reportHost: { id: string } }>(
      'mutation ($ws: ID!) { reportHost(workspaceId: $ws, input: { hostKey: "rbac-runner", hostname: "rbac", kind: SERVER, cpuCount: 2, memoryBytes: 2048 }) { id } }',
      { ws: admin.workspaceId },
      assignee.token,
    );
    const hostId = host.data!.reportHost.id;
    const got: Record<string, string> = {};
    for (const [mutation, call] of Object.entries(CALLS)) {
      const { query, variables } = call({
        actor,
        target,
        apiKeyId,
        invitationId,
        agentId,
        assigneeId,
        missions,
        runId,
        budgetId,
        hostId,
      });
      const result = await graph.request(query, variables, actor.workspaceToken);
      const codes = (result.errors ?? []).map((error) => error.extensions?.code ?? 'UNCODED');
      got[mutation] =
        codes.length === 0
          ? 'allow'
          : codes.every((code) => code === 'FORBIDDEN')
            ? 'deny'
            : codes.join(',');
    }
    const expected = Object.fromEntries(
      Object.entries(EXPECTED).map(([name, row]) => [name, row[role]]),
    );
    expect(got).toEqual(expected);
  });
});
