import { GraphClient } from '../support/graph-client';
import { IdentityWorld } from '../support/identity-world';
import { SquadWorld } from '../support/squad-world';
import { startStack, type Stack } from '@mission-control/testing';

const SPAWN = `mutation ($input: SpawnSubAgentInput!) {
  spawnSubAgent(input: $input) { key expiresAt agent { id parentId status } }
}`;
const HEARTBEAT = `mutation { heartbeat(status: BUSY, activity: "sub-agent") { id status } }`;
const EXCHANGE = `mutation ($key: String!) { exchangeAgentKey(key: $key) { accessToken } }`;
const DEACTIVATE = `mutation ($ws: ID!, $id: ID!) { deactivateAgent(workspaceId: $ws, id: $id) { id } }`;
const TREE = `query ($ws: ID!, $id: ID!) {
  agent(workspaceId: $ws, id: $id) { children { id status expiresAt parent { id } } }
}`;

type Spawned = { key: string; expiresAt: string; agent: { id: string; parentId: string } };

// PRODUCT A4 through the gateway: identity, the agent service and the gateway as processes.
describe('sub-agents, end to end', () => {
  let stack: Stack;
  let graph: GraphClient;
  let world: IdentityWorld;
  let squads: SquadWorld;

  beforeAll(async () => {
    // Sub-agents are ended within half a second of their time.
    stack = await startStack({ env: { AGENT_SUB_AGENT_SWEEP_INTERVAL_MS: '250' } });
    graph = new GraphClient(stack.gatewayUrl);
    world = new IdentityWorld(graph);
    squads = new SquadWorld(graph);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const codeOf = async (query: string, variables: Record<string, unknown>, token: string) =>
    (await graph.request(query, variables, token)).errors?.[0]?.extensions?.code ?? 'OK';
  const spawn = async (token: string, ttlSeconds: number) =>
    (
      await graph.ok<{ spawnSubAgent: Spawned }>(
        SPAWN,
        { input: { name: 'Helper', ttlSeconds } },
        token,
      )
    ).spawnSubAgent;
  const until = async (what: string, probe: () => Promise<boolean>, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await probe())) {
      if (Date.now() > deadline) {
        throw new Error(`${what}: not within ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('a child works with its own key until its time runs out, then is refused at the edge and at the exchange', async () => {
    const admin = await world.workspace('sub-agents-ttl');
    const lead = await squads.activeAgent(admin, 'lead');
    const child = await spawn(lead.token, 2);
    expect(child.agent.parentId).toBe(lead.id);

    const token = await squads.agentToken(child.key);
    expect(await codeOf(HEARTBEAT, {}, token)).toBe('OK');
    const { agent } = await graph.ok<{
      agent: { children: { id: string; status: string; parent: { id: string } }[] };
    }>(TREE, { ws: admin.workspaceId, id: lead.id }, admin.workspaceToken);
    expect(agent.children).toEqual([
      expect.objectContaining({ id: child.agent.id, status: 'BUSY', parent: { id: lead.id } }),
    ]);

    // Past its expiry: the sweeper revokes the key, and the gateway refuses the token it had.
    await until(
      'the child refused',
      async () => (await codeOf(HEARTBEAT, {}, token)) === 'UNAUTHENTICATED',
    );
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(child.expiresAt));
    expect(await codeOf(EXCHANGE, { key: child.key }, '')).toBe('UNAUTHENTICATED');
    // The parent goes on.
    expect(await codeOf(HEARTBEAT, {}, lead.token)).toBe('OK');
  });

  it('a parent that is deactivated takes its children with it', async () => {
    const admin = await world.workspace('sub-agents-parent');
    const lead = await squads.activeAgent(admin, 'lead');
    const child = await spawn(lead.token, 600);
    const token = await squads.agentToken(child.key);
    expect(await codeOf(HEARTBEAT, {}, token)).toBe('OK');

    await graph.ok(DEACTIVATE, { ws: admin.workspaceId, id: lead.id }, admin.workspaceToken);
    await until(
      'the child refused',
      async () => (await codeOf(HEARTBEAT, {}, token)) === 'UNAUTHENTICATED',
    );
    await until(
      'the exchange refused',
      async () => (await codeOf(EXCHANGE, { key: child.key }, '')) === 'UNAUTHENTICATED',
    );
  });
});
