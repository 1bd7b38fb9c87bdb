import type { GraphQLSchema } from 'graphql';
import { getNamedType } from 'graphql';
import { GraphClient, type GraphQLResult } from '../support/graph-client';
import { IdentityWorld, type Member } from '../support/identity-world';
import {
  composedSchema,
  documentFor,
  operations,
  plainValue,
  targetArgs,
  type Operation,
} from '../support/schema-walk';
import { SquadWorld, type Agent, type Mission } from '../support/squad-world';
import { startStack, type Stack } from '@mission-control/testing';

/**
 * Fields that take no record id, reviewed one by one: they act on the caller alone or on a
 * secret only its holder has, so there is nothing of another workspace to aim them at.
 */
const NOT_AIMED_AT_A_WORKSPACE: Record<string, string> = {
  me: 'the caller',
  signUp: 'creates a new account',
  logIn: 'the caller’s own credentials',
  refreshSession: 'a refresh token only its holder has',
  logOut: 'a refresh token only its holder has',
  exchangeApiKey: 'an API key secret only its holder has',
  exchangeAgentKey: 'an agent key secret only its holder has',
  heartbeat: 'the calling agent itself',
  spawnSubAgent: 'a child of the calling agent itself, in its own workspace',
  createWorkspace: 'creates a new workspace for the caller',
  acceptInvitation: 'an invitation token sent to the invited address only',
  sessions: 'the caller’s own sessions',
  signOutEverywhere: 'the caller’s own sessions',
  changePassword: 'the caller’s own password',
};

/** The session a person's access token belongs to (its `sid` claim). */
const sessionOf = (token: string): string =>
  (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;

const DENIED = ['FORBIDDEN', 'NOT_FOUND'];

describe('no principal of workspace B reaches workspace A through any field of the graph', () => {
  let stack: Stack;
  let graph: GraphClient;
  let schema: GraphQLSchema;
  let a: {
    admin: Member;
    viewer: Member;
    apiKeyId: string;
    invitationId: string;
    name: string;
    agent: Agent;
    missions: [Mission, Mission];
    /** A run of A's, by an agent of A at work on a third mission. */
    runId: string;
    budgetId: string;
    /** A runtime host an agent of A reported. */
    hostId: string;
  };
  let callers: { label: string; token: string }[];

  beforeAll(async () => {
    stack = await startStack();
    graph = new GraphClient(stack.gatewayUrl);
    const world = new IdentityWorld(graph);
    const squads = new SquadWorld(graph);
    const name = `tenant-a-${Date.now()}`;
    const admin = await world.workspace(name);
    a = {
      admin,
      viewer: await world.member(admin, 'VIEWER'),
      apiKeyId: (await world.apiKey(admin)).id,
      invitationId: (await world.invitation(admin)).id,
      name,
      agent: await squads.agent(admin, `agent-of-${name}`),
      missions: [
        await squads.mission(admin, `first-mission-of-${name}`),
        await squads.mission(admin, `second-mission-of-${name}`),
      ],
      runId: '',
      budgetId: '',
      hostId: '',
    };
    const worker = await squads.activeAgent(admin, `worker-of-${name}`);
    const working = await squads.claimedMission(admin, worker, `mission-at-work-of-${name}`);
    a.runId = await squads.startedRun(admin, worker, working.id);
    const { reportHost } = await graph.ok<{ reportHost: { id: string } }>(
      'mutation ($ws: ID!, $name: String!) { reportHost(workspaceId: $ws, input: { hostKey: "tenant-a-runner", hostname: $name, kind: SERVER, cpuCount: 4, memoryBytes: 8589934592 }) { id } }',
      { ws: admin.workspaceId, name: `host-of-${name}` },
      worker.token,
    );
    a.hostId = reportHost.id;
    const { setBudget } = await graph.ok<{ setBudget: { id: string } }>(
      'mutation ($ws: ID!, $name: String!) { setBudget(workspaceId: $ws, input: { name: $name, period: MONTH, costLimitUsd: 50 }) { id } }',
      { ws: admin.workspaceId, name: `budget-of-${name}`.slice(0, 100) },
      admin.workspaceToken,
    );
    a.budgetId = setBudget.id;
    const bAdmin = await world.workspace('tenant-b');
    const bAgent = await squads.activeAgent(bAdmin, 'agent-of-b');
    const bKey = await world.apiKey(bAdmin);
    const { exchangeApiKey } = await graph.ok<{ exchangeApiKey: { accessToken: string } }>(
      'mutation ($key: String!) { exchangeApiKey(key: $key) { accessToken } }',
      { key: bKey.secret },
    );
    callers = [
      { label: 'admin of B', token: bAdmin.workspaceToken },
      { label: 'user of B outside any workspace', token: bAdmin.token },
      { label: 'API key of B', token: exchangeApiKey.accessToken },
      { label: 'agent of B', token: bAgent.token },
    ];
    schema = await composedSchema(graph);
  });
  afterAll(() => stack?.stop());

  /** A's record for a target argument, by its name (and for `id`, by what the field returns). */
  function aimAtA(operation: Operation, argName: string): string {
    switch (argName) {
      case 'workspaceId':
        return a.admin.workspaceId;
      case 'userId':
        return a.viewer.userId;
      case 'apiKeyId':
        return a.apiKeyId;
      case 'invitationId':
        return a.invitationId;
      case 'sessionId':
        return sessionOf(a.viewer.token);
      case 'agentId':
        return a.agent.id;
      case 'missionId':
      case 'afterId':
        return a.missions[0].id;
      case 'runId':
        return a.runId;
      case 'budgetId':
        return a.budgetId;
      case 'hostId':
        return a.hostId;
      case 'beforeId':
      case 'blockerId':
        return a.missions[1].id;
      case 'id': {
        const returns = getNamedType(operation.field.type).name;
        switch (returns) {
          case 'Workspace':
            return a.admin.workspaceId;
          case 'User':
            return a.viewer.userId;
          case 'Agent':
            return a.agent.id;
          case 'Mission':
            return a.missions[0].id;
          case 'Run':
            return a.runId;
          case 'Host':
            return a.hostId;
        }
        throw new Error(`${operation.field.name}(id) returns ${returns}: teach aimAtA about it`);
      }
      default:
        throw new Error(
          `${operation.field.name}(${argName}): teach aimAtA which record of A to use`,
        );
    }
  }

  it('every field is either aimed at a record or reviewed as not aimed at a workspace', () => {
    const unreviewed = operations(schema)
      .filter(
        ({ field }) => targetArgs(field).length === 0 && !(field.name in NOT_AIMED_AT_A_WORKSPACE),
      )
      .map(({ field }) => field.name);
    expect(unreviewed).toEqual([]);
  });

  it('answers FORBIDDEN or NOT_FOUND, with no data, to every field aimed at A', async () => {
    const aimed = operations(schema).filter(({ field }) => targetArgs(field).length > 0);
    expect(aimed.length).toBeGreaterThanOrEqual(8);
    const leaks: string[] = [];
    for (const operation of aimed) {
      const variables = Object.fromEntries(
        operation.field.args.map((arg) => [
          arg.name,
          targetArgs(operation.field).includes(arg)
            ? aimAtA(operation, arg.name)
            : plainValue(arg.type, arg.name),
        ]),
      );
      for (const caller of callers) {
        const result: GraphQLResult = await graph.request(
          documentFor(operation),
          variables,
          caller.token,
        );
        const codes = (result.errors ?? []).map((error) => error.extensions?.code);
        const data = result.data?.[operation.field.name];
        const text = JSON.stringify(result);
        if (
          !codes.some((code) => DENIED.includes(code ?? '')) ||
          (data !== null && data !== undefined) ||
          // A's agent and mission names carry A's name too.
          text.includes(a.name) ||
          text.includes(a.admin.email) ||
          text.includes(a.viewer.email)
        ) {
          leaks.push(`${operation.kind} ${operation.field.name} as ${caller.label}: ${text}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it('still lets A’s own members read A (the probe is not refusing everything)', async () => {
    const { workspace } = await graph.ok<{ workspace: { name: string } }>(
      'query ($id: ID!) { workspace(id: $id) { name } }',
      { id: a.admin.workspaceId },
      a.viewer.workspaceToken,
    );
    expect(workspace.name).toBe(a.name);
  });
});
