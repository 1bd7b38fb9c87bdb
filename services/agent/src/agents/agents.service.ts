import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { assertPermission, assertWorkspace, type Principal } from '@mission-control/auth';
import { AppError } from '@mission-control/errors';
import { isId } from '@mission-control/eventing';
import { actorOf } from '@mission-control/auth';
import { AggregateRunner, type Tx } from '../eventing/agent-event-store';
import {
  activateAgent,
  deactivateAgent,
  endSubAgent,
  issueAgentKey,
  registerAgent,
  updateAgent,
  type AgentCommand,
} from './agent.commands';
import { agentDecider, agentStreamId } from './agent.decider';
import { AgentProjection } from './agent.projection';
import { AgentsRepository, type AgentRecord } from './agents.repository';
import { SUB_AGENT_SWEEPER } from '../sub-agents/sub-agent.settings';

export type AgentProfileInput = {
  name?: string | null;
  role?: string | null;
  capabilities?: string[] | null;
  config?: string | null;
  model?: string | null;
  provider?: string | null;
};

/** `mca_<prefix>_<secret>`: the prefix names the key in lists and logs; the secret is 256 bits. */
export const newAgentKey = () => {
  const prefix = randomBytes(6).toString('hex');
  const key = `mca_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { prefix, key, secretSha256: new Uint8Array(createHash('sha256').update(key).digest()) };
};

// GraphQL gives null for a field left out; commands want it absent.
const present = <T>(value: T | null | undefined): T | undefined => value ?? undefined;
const profileOf = (input: AgentProfileInput) => ({
  name: present(input.name),
  role: present(input.role),
  capabilities: present(input.capabilities),
  config: present(input.config),
  model: present(input.model),
  provider: present(input.provider),
});

/** The agent registry: access checks, then the agent aggregate. */
@Injectable()
export class AgentsService {
  constructor(
    private readonly runner: AggregateRunner,
    private readonly agents: AgentsRepository,
    private readonly projection: AgentProjection,
  ) {}

  async list(principal: Principal, workspaceId: string): Promise<AgentRecord[]> {
    assertWorkspace(principal, workspaceId);
    return this.agents.list(workspaceId);
  }

  async get(principal: Principal, workspaceId: string, agentId: string): Promise<AgentRecord> {
    assertWorkspace(principal, workspaceId);
    return this.found(workspaceId, agentId);
  }

  /** For the gateway's entity references: only an agent of the caller's own workspace. */
  async reference(principal: Principal, agentId: string): Promise<AgentRecord | null> {
    // Missions assigned before assignees were checked may name an agent by any string.
    if (!principal.workspaceId || !isId(agentId)) {
      return null;
    }
    return this.agents.find(principal.workspaceId, agentId);
  }

  async register(
    principal: Principal,
    workspaceId: string,
    input: AgentProfileInput,
  ): Promise<AgentRecord> {
    this.assertManager(principal, workspaceId);
    const agentId = randomUUID();
    const profile = profileOf(input);
    await this.run(
      registerAgent({
        workspaceId,
        actor: actorOf(principal),
        data: { ...profile, agentId, name: profile.name ?? '', role: profile.role ?? '' },
      }),
    );
    return this.found(workspaceId, agentId);
  }

  async update(
    principal: Principal,
    workspaceId: string,
    agentId: string,
    input: AgentProfileInput,
  ): Promise<AgentRecord> {
    this.assertManager(principal, workspaceId);
    await this.run(
      updateAgent({
        workspaceId,
        actor: actorOf(principal),
        data: { agentId, ...profileOf(input) },
      }),
    );
    return this.found(workspaceId, agentId);
  }

  async activate(principal: Principal, workspaceId: string, agentId: string) {
    this.assertManager(principal, workspaceId);
    await this.run(activateAgent({ workspaceId, actor: actorOf(principal), data: { agentId } }));
    return this.found(workspaceId, agentId);
  }

  /** The agent's sub-agents end with it, in the same transaction: their keys are revoked too. */
  async deactivate(principal: Principal, workspaceId: string, agentId: string) {
    this.assertManager(principal, workspaceId);
    await this.runner.transaction(async (tx) => {
      await this.runIn(
        tx,
        deactivateAgent({ workspaceId, actor: actorOf(principal), data: { agentId } }),
      );
      for (const childId of await this.agents.lockLiveChildren(tx, agentId)) {
        await this.runIn(
          tx,
          endSubAgent({
            workspaceId,
            actor: SUB_AGENT_SWEEPER,
            data: { agentId: childId, reason: 'parent_stopped' },
          }),
        );
      }
    });
    return this.found(workspaceId, agentId);
  }

  /** A new key for the agent; any key it had stops working. */
  async issueKey(
    principal: Principal,
    workspaceId: string,
    agentId: string,
  ): Promise<{ key: string; keyId: string; prefix: string; agent: AgentRecord }> {
    this.assertManager(principal, workspaceId);
    const keyId = randomUUID();
    const { prefix, key, secretSha256 } = newAgentKey();
    await this.run(
      issueAgentKey({
        workspaceId,
        actor: actorOf(principal),
        data: { agentId, keyId, prefix, secretSha256 },
      }),
    );
    return { key, keyId, prefix, agent: await this.found(workspaceId, agentId) };
  }

  /** Fails unless `principal` may manage the agents of `workspaceId`. */
  assertManager(principal: Principal, workspaceId: string): void {
    assertWorkspace(principal, workspaceId);
    assertPermission(principal, 'manage_agents');
  }

  /** `run` in the caller's transaction, so what else the caller writes commits with the events. */
  async runIn(tx: Tx, command: AgentCommand): Promise<void> {
    const decided = await this.runner.execute(
      tx,
      agentDecider,
      agentStreamId(command.data.agentId),
      command,
    );
    await this.projection.apply(tx, decided.events, decided.stored);
  }

  /** The agent, or NOT_FOUND when `workspaceId` has none with that id. */
  async found(workspaceId: string, agentId: string): Promise<AgentRecord> {
    const agent = await this.agents.find(workspaceId, agentId);
    if (!agent) {
      throw AppError.notFound('Agent');
    }
    return agent;
  }

  private run(command: AgentCommand): Promise<void> {
    return this.runner.transaction((tx) => this.runIn(tx, command));
  }
}
