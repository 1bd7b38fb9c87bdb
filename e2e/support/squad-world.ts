import type { GraphClient } from './graph-client';
import type { Member } from './identity-world';

export type Agent = { id: string; name: string };
export type AgentWithToken = Agent & { key: string; token: string };
export type Mission = { id: string; title: string };

const REGISTER = `mutation ($ws: ID!, $name: String!) {
  registerAgent(workspaceId: $ws, input: { name: $name, role: "specialist", capabilities: ["code"] }) { id name }
}`;
const ACTIVATE = `mutation ($ws: ID!, $id: ID!) { activateAgent(workspaceId: $ws, id: $id) { id } }`;
const ISSUE_KEY = `mutation ($ws: ID!, $id: ID!) { issueAgentKey(workspaceId: $ws, agentId: $id) { key } }`;
const EXCHANGE = `mutation ($key: String!) { exchangeAgentKey(key: $key) { accessToken } }`;
const CREATE_MISSION = `mutation ($ws: ID!, $title: String!, $description: String) {
  createMission(workspaceId: $ws, input: { title: $title, description: $description, column: TODO }) { id title }
}`;

/** Agents and missions made through the gateway, as people and agents make them. */
export class SquadWorld {
  constructor(private readonly graph: GraphClient) {}

  async agent(admin: Member, name: string): Promise<Agent> {
    const { registerAgent } = await this.graph.ok<{ registerAgent: Agent }>(
      REGISTER,
      { ws: admin.workspaceId, name },
      admin.workspaceToken,
    );
    return registerAgent;
  }

  /** A registered, active agent holding a key and a token of its own. */
  async activeAgent(admin: Member, name: string): Promise<AgentWithToken> {
    const agent = await this.agent(admin, name);
    await this.graph.ok(ACTIVATE, { ws: admin.workspaceId, id: agent.id }, admin.workspaceToken);
    const { issueAgentKey } = await this.graph.ok<{ issueAgentKey: { key: string } }>(
      ISSUE_KEY,
      { ws: admin.workspaceId, id: agent.id },
      admin.workspaceToken,
    );
    return { ...agent, key: issueAgentKey.key, token: await this.agentToken(issueAgentKey.key) };
  }

  /**
   * The key's access token. Identity learns keys from the agent service's events, so a key
   * works moments after it is issued: an agent retries, as this does.
   */
  async agentToken(key: string, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = await this.graph.request<{ exchangeAgentKey: { accessToken: string } }>(
        EXCHANGE,
        { key },
      );
      if (result.data?.exchangeAgentKey) {
        return result.data.exchangeAgentKey.accessToken;
      }
      if (Date.now() > deadline) {
        throw new Error(`agent key never became valid: ${JSON.stringify(result.errors)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async mission(member: Member, title: string, description = ''): Promise<Mission> {
    const { createMission } = await this.graph.ok<{ createMission: Mission }>(
      CREATE_MISSION,
      { ws: member.workspaceId, title, description },
      member.workspaceToken,
    );
    return createMission;
  }
}
