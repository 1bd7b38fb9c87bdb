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
const ASSIGN = `mutation ($ws: ID!, $id: ID!, $agent: ID) {
  assignMission(workspaceId: $ws, missionId: $id, agentId: $agent) { id }
}`;
const CLAIM = `mutation ($ws: ID!, $id: ID!) { claimMission(workspaceId: $ws, missionId: $id) { id } }`;
const START_RUN = `mutation ($ws: ID!, $id: ID!) {
  startRun(workspaceId: $ws, missionId: $id, input: { adapter: "claude-code", model: "claude-sonnet-4-5", provider: "anthropic" }) { id }
}`;
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

  /**
   * A mission assigned to `agent` and claimed by it. The mission service learns of an agent from
   * its events, so assigning may wait a moment, as a person retrying would.
   */
  async claimedMission(admin: Member, agent: AgentWithToken, title: string): Promise<Mission> {
    const mission = await this.mission(admin, title);
    const variables = { ws: admin.workspaceId, id: mission.id, agent: agent.id };
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { errors } = await this.graph.request(ASSIGN, variables, admin.workspaceToken);
      if (!errors) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `agent ${agent.id} never became assignable: ${JSON.stringify(errors[0]?.message)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await this.graph.ok(CLAIM, { ws: admin.workspaceId, id: mission.id }, agent.token);
    return mission;
  }

  /** A run the agent started of a mission it claimed; returns the run's id. */
  async startedRun(admin: Member, agent: AgentWithToken, missionId: string): Promise<string> {
    const { startRun } = await this.graph.ok<{ startRun: { id: string } }>(
      START_RUN,
      { ws: admin.workspaceId, id: missionId },
      agent.token,
    );
    return startRun.id;
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
