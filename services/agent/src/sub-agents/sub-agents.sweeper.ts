import { Inject, Injectable } from '@nestjs/common';
import { AgentSweep, type SweptAgent } from '../agents/agent-sweep';
import { endSubAgent } from '../agents/agent.commands';
import { AgentProjection } from '../agents/agent.projection';
import { AgentsRepository } from '../agents/agents.repository';
import { AggregateRunner, type Tx } from '../eventing/agent-event-store';
import { SUB_AGENT_SETTINGS, SUB_AGENT_SWEEPER, type SubAgentSettings } from './sub-agent.settings';

/**
 * Ends sub-agents whose time to live ran out or whose parent stopped (deactivated, or offline);
 * the key's revocation is among the events of the end.
 */
@Injectable()
export class SubAgentsSweeper extends AgentSweep {
  constructor(
    runner: AggregateRunner,
    projection: AgentProjection,
    private readonly agents: AgentsRepository,
    @Inject(SUB_AGENT_SETTINGS) settings: SubAgentSettings,
  ) {
    super(runner, projection, settings.sweepIntervalMs);
  }

  protected async lockDue(tx: Tx, limit: number): Promise<SweptAgent[]> {
    const endable = await this.agents.lockEndable(tx, limit);
    return endable.map((child) => ({
      id: child.id,
      command: endSubAgent({
        workspaceId: child.workspaceId,
        actor: SUB_AGENT_SWEEPER,
        data: { agentId: child.id, reason: child.expired ? 'expired' : 'parent_stopped' },
      }),
    }));
  }
}
