import { Inject, Injectable } from '@nestjs/common';
import { AgentSweep, type SweptAgent } from '../agents/agent-sweep';
import { markAgentOffline } from '../agents/agent.commands';
import { AgentProjection } from '../agents/agent.projection';
import { AgentsRepository } from '../agents/agents.repository';
import { AggregateRunner, type Tx } from '../eventing/agent-event-store';
import { PRESENCE_SETTINGS, type PresenceSettings } from './presence.settings';

const SWEEPER = { kind: 'system', id: 'agent-presence-sweeper' } as const;

/** Presence from heartbeat expiry, computed here and nowhere else: silent agents go offline. */
@Injectable()
export class PresenceSweeper extends AgentSweep {
  constructor(
    runner: AggregateRunner,
    projection: AgentProjection,
    private readonly agents: AgentsRepository,
    @Inject(PRESENCE_SETTINGS) private readonly settings: PresenceSettings,
  ) {
    super(runner, projection, settings.sweepIntervalMs);
  }

  protected async lockDue(tx: Tx, limit: number): Promise<SweptAgent[]> {
    const silent = await this.agents.lockSilent(tx, this.settings.offlineAfterSeconds, limit);
    return silent.map((agent) => ({
      id: agent.id,
      command: markAgentOffline({
        workspaceId: agent.workspaceId,
        actor: SWEEPER,
        data: { agentId: agent.id },
      }),
    }));
  }
}
