import { Inject, Injectable } from '@nestjs/common';
import { actorOf, assertWorkspace, can, type Principal } from '@mission-control/auth';
import { AppError } from '@mission-control/errors';
import { newWebhookSecret, webhookUrlProblem } from '@mission-control/webhooks';
import type { AgentRecord } from '../agents/agents.repository';
import { AgentsService } from '../agents/agents.service';
import { AggregateRunner } from '../eventing/agent-event-store';
import { WakeDeliveriesRepository, type DeliveryRecord } from './wake-deliveries.repository';
import { removeAgentWakeHook, setAgentWakeHook } from './wake-hook.commands';
import { WakeHooksRepository } from './wake-hooks.repository';
import { WAKE_SETTINGS, type WakeSettings } from './wake.settings';

/** An agent's wake hook as a reader sees it: the URL only for those who may manage agents. */
export type WakeHookView = {
  url: string | null;
  createdAt: Date;
  lastDelivery: DeliveryRecord | null;
};

/** Setting and removing agents' wake URLs: access checks, the URL's policy, then the aggregate. */
@Injectable()
export class WakeHooksService {
  constructor(
    private readonly runner: AggregateRunner,
    private readonly agents: AgentsService,
    private readonly hooks: WakeHooksRepository,
    private readonly deliveries: WakeDeliveriesRepository,
    @Inject(WAKE_SETTINGS) private readonly settings: WakeSettings,
  ) {}

  /** Sets or replaces the agent's wake URL with a new signing secret, returned here only. */
  async set(
    principal: Principal,
    workspaceId: string,
    agentId: string,
    url: string,
  ): Promise<{ secret: string; hook: WakeHookView; agent: AgentRecord }> {
    this.agents.assertManager(principal, workspaceId);
    // Checked after access, so another workspace learns nothing from what it sends.
    const trimmed = url.trim();
    const problem = webhookUrlProblem(trimmed, { allowPrivate: this.settings.allowPrivateUrls });
    if (problem) {
      throw AppError.validation(`url: ${problem}`, { fields: [{ path: 'url', message: problem }] });
    }
    const secret = newWebhookSecret();
    const command = setAgentWakeHook({
      workspaceId,
      actor: actorOf(principal),
      data: { agentId, url: trimmed },
    });
    await this.runner.transaction(async (tx) => {
      await this.agents.runIn(tx, command);
      await this.hooks.saveSecret(tx, agentId, secret);
    });
    const agent = await this.agents.found(workspaceId, agentId);
    const hook = await this.view(principal, agent);
    if (!hook) {
      throw new Error('A wake hook that was just set must be readable');
    }
    return { secret, hook, agent };
  }

  /** Removes the agent's wake URL and its secret; wakes not yet sent are cancelled. */
  async remove(principal: Principal, workspaceId: string, agentId: string): Promise<AgentRecord> {
    this.agents.assertManager(principal, workspaceId);
    const command = removeAgentWakeHook({
      workspaceId,
      actor: actorOf(principal),
      data: { agentId },
    });
    await this.runner.transaction(async (tx) => {
      await this.agents.runIn(tx, command);
      await this.hooks.deleteSecret(tx, agentId);
      await this.deliveries.cancelForAgent(tx, agentId);
    });
    return this.agents.found(workspaceId, agentId);
  }

  /** The agent's hook as `principal` may see it; null when it has none. */
  async view(
    principal: Principal,
    agent: { id: string; workspaceId: string },
  ): Promise<WakeHookView | null> {
    assertWorkspace(principal, agent.workspaceId);
    const hook = await this.hooks.find(agent.workspaceId, agent.id);
    if (!hook) {
      return null;
    }
    return {
      // A URL may carry a token of the receiver's: only those who may change it read it.
      url: can(principal, 'manage_agents') ? hook.url : null,
      createdAt: hook.createdAt,
      lastDelivery: await this.deliveries.latest(agent.id, hook.createdAt),
    };
  }
}
