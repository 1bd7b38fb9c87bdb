import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { actorOf, assertWorkspace, type Principal } from '@mission-control/auth';
import { AppError, ErrorCode } from '@mission-control/errors';
import { PRESENT_STATUSES } from '../agents/agent-status';
import { spawnSubAgent } from '../agents/agent.commands';
import { AgentsRepository, type AgentRecord } from '../agents/agents.repository';
import { AgentsService, newAgentKey } from '../agents/agents.service';
import { AggregateRunner } from '../eventing/agent-event-store';
import { SUB_AGENT_SETTINGS, type SubAgentSettings } from './sub-agent.settings';

export type SpawnSubAgentInput = {
  name: string;
  ttlSeconds: number;
  role?: string | null;
  capabilities?: string[] | null;
  model?: string | null;
  provider?: string | null;
};

export type SpawnedSubAgent = {
  key: string;
  keyId: string;
  prefix: string;
  expiresAt: Date;
  agent: AgentRecord;
};

const invalid = (path: string, message: string) =>
  AppError.validation(`${path} ${message}`, { fields: [{ path, message }] });

/**
 * Sub-agents (PRODUCT A4): a running agent spawns an ephemeral child with a key of its own that
 * stops working when the child's time to live ends or its parent stops. Depth one: a sub-agent
 * spawns none, so a child's work always counts against a parent a person registered.
 */
@Injectable()
export class SubAgentsService {
  constructor(
    private readonly runner: AggregateRunner,
    private readonly agents: AgentsRepository,
    private readonly registry: AgentsService,
    @Inject(SUB_AGENT_SETTINGS) private readonly settings: SubAgentSettings,
  ) {}

  /** The child, activated, with its key shown once. The caller is the parent: an agent. */
  async spawn(principal: Principal, input: SpawnSubAgentInput): Promise<SpawnedSubAgent> {
    if (principal.kind !== 'agent' || principal.workspaceId === null) {
      throw AppError.forbidden('Only a running agent can spawn a sub-agent');
    }
    const { workspaceId, subject: parentAgentId } = principal;
    const { ttlSeconds } = input;
    if (
      !Number.isInteger(ttlSeconds) ||
      ttlSeconds < 1 ||
      ttlSeconds > this.settings.maxTtlSeconds
    ) {
      throw invalid(
        'ttlSeconds',
        `must be a whole number from 1 to ${this.settings.maxTtlSeconds}`,
      );
    }
    const parent = await this.agents.find(workspaceId, parentAgentId);
    if (!parent) {
      throw AppError.forbidden('Only a running agent can spawn a sub-agent');
    }
    const capabilities = input.capabilities ?? parent.capabilities;
    const beyond = capabilities.filter((capability) => !parent.capabilities.includes(capability));
    if (beyond.length > 0) {
      throw invalid('capabilities', `must be among the parent's; not ${beyond.join(', ')}`);
    }
    const agentId = randomUUID();
    const keyId = randomUUID();
    const { prefix, key, secretSha256 } = newAgentKey();
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    await this.runner.transaction(async (tx) => {
      const locked = await this.agents.lockParent(tx, workspaceId, parentAgentId);
      if (!locked || !PRESENT_STATUSES.includes(locked.status)) {
        throw AppError.forbidden('Only an active agent can spawn a sub-agent');
      }
      if (locked.parentAgentId !== null) {
        throw AppError.forbidden('A sub-agent cannot spawn sub-agents of its own');
      }
      const live = await this.agents.countLiveChildren(tx, parentAgentId);
      if (live >= this.settings.maxLiveChildren) {
        // Not retryable: the limit holds until a child ends, not after a moment's wait.
        throw new AppError(
          ErrorCode.LIMIT_EXCEEDED,
          `An agent may have ${this.settings.maxLiveChildren} sub-agents in service at once`,
          { limit: this.settings.maxLiveChildren },
          { retryable: false },
        );
      }
      await this.registry.runIn(
        tx,
        spawnSubAgent({
          workspaceId,
          actor: actorOf(principal),
          data: {
            agentId,
            parentAgentId,
            name: input.name,
            role: input.role ?? parent.role,
            capabilities,
            config: parent.config,
            model: input.model ?? parent.model,
            provider: input.provider ?? parent.provider,
            expiresAtUnixMs: expiresAt.getTime(),
            keyId,
            prefix,
            secretSha256,
          },
        }),
      );
    });
    return {
      key,
      keyId,
      prefix,
      expiresAt,
      agent: await this.registry.found(workspaceId, agentId),
    };
  }

  /** The agent's sub-agents, newest first. */
  async children(
    principal: Principal,
    agent: { id: string; workspaceId: string },
  ): Promise<AgentRecord[]> {
    assertWorkspace(principal, agent.workspaceId);
    return this.agents.listChildren(agent.workspaceId, agent.id);
  }

  /** The agent's parent, if it is a sub-agent. */
  async parent(
    principal: Principal,
    agent: { workspaceId: string; parentId: string | null },
  ): Promise<AgentRecord | null> {
    assertWorkspace(principal, agent.workspaceId);
    return agent.parentId === null ? null : this.agents.find(agent.workspaceId, agent.parentId);
  }
}
