import {
  activeAgent,
  adminOfNewWorkspace,
  graph,
  type Stack,
  startStack,
} from '@mission-control/testing';
import { AgentSession, MissionControlClient, MissionControlError } from '../src';

describe('AgentSession.spawnSubAgent against the real gateway and services', () => {
  let stack: Stack;
  const sessions: AgentSession[] = [];

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.stop()));
    await stack?.stop();
  });

  const session = (agentKey: string) => {
    const agent = new AgentSession({ url: stack.gatewayUrl, agentKey, live: false });
    sessions.push(agent);
    return agent;
  };

  it('gives a running agent a child with its own key and expiry, which starts a session of its own', async () => {
    const admin = await adminOfNewWorkspace(stack.gatewayUrl, 'sdk-sub-agents');
    const lead = await activeAgent(stack.gatewayUrl, admin, 'lead');
    const parent = session(lead.key);
    await parent.start();

    const before = Date.now();
    const child = await parent.spawnSubAgent({ name: 'Helper', ttlSeconds: 300 });
    expect(child.key).toMatch(/^mca_[a-z0-9]+_/);
    expect(child.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 300_000 - 1_000);
    expect(child.agent).toMatchObject({
      name: 'Helper',
      status: 'IDLE',
      parentId: lead.id,
      workspaceId: admin.workspaceId,
    });

    const identity = await session(child.key).start();
    expect(identity).toMatchObject({ id: child.agent.id, workspaceId: admin.workspaceId });
    const { agent } = await graph<{ agent: { children: { id: string; status: string }[] } }>(
      stack.gatewayUrl,
      'query ($ws: ID!, $id: ID!) { agent(workspaceId: $ws, id: $id) { children { id status } } }',
      { ws: admin.workspaceId, id: lead.id },
      admin.token,
    );
    expect(agent.children).toEqual([{ id: child.agent.id, status: 'IDLE' }]);
  });

  it('answers a coded error, sent once, for a time to live past the limit', async () => {
    const admin = await adminOfNewWorkspace(stack.gatewayUrl, 'sdk-sub-agents-ttl');
    const lead = await activeAgent(stack.gatewayUrl, admin, 'lead');
    const client = new MissionControlClient({ url: stack.gatewayUrl, agentKey: lead.key });
    const error = await client
      .spawnSubAgent({ name: 'Helper', ttlSeconds: 86_400 })
      .then(() => null)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MissionControlError);
    expect((error as MissionControlError).code).toBe('VALIDATION_ERROR');
  });
});
