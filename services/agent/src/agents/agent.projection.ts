import { Injectable } from '@nestjs/common';
import { assertNever, type StoredEvent } from '@mission-control/eventing';
import type { Tx } from '../eventing/agent-event-store';
import { fromProtoStatus } from './agent-status';
import type { AgentEvent } from './agent.decider';
import { AgentsRepository } from './agents.repository';
import { WakeHooksRepository } from '../wake/wake-hooks.repository';

/** Keeps the agents read table in step with the agent streams, on the append's transaction. */
@Injectable()
export class AgentProjection {
  constructor(
    private readonly agents: AgentsRepository,
    private readonly wakeHooks: WakeHooksRepository,
  ) {}

  /** `events[i]` was stored as `stored[i]`. */
  async apply(
    tx: Tx,
    events: readonly AgentEvent[],
    stored: readonly StoredEvent[],
  ): Promise<void> {
    for (const [index, event] of events.entries()) {
      const record = stored[index];
      if (!record) {
        throw new Error('Every projected event needs its stored record');
      }
      await this.applyOne(tx, event, record);
    }
  }

  private async applyOne(tx: Tx, event: AgentEvent, stored: StoredEvent): Promise<void> {
    const { version, recordedAt: at } = stored;
    const id = event.data.agentId;
    switch (event.type) {
      case 'agent.v1.AgentRegistered':
        return this.agents.insert(tx, {
          id,
          workspaceId: stored.metadata.workspaceId,
          profile: event.data,
          version,
          at,
        });
      case 'agent.v1.AgentUpdated':
        return this.agents.updateProfile(tx, id, event.data, version, at);
      case 'agent.v1.AgentActivated':
        return this.agents.markActivated(tx, id, version, at);
      case 'agent.v1.SubAgentSpawned':
        return this.agents.markSubAgent(
          tx,
          id,
          {
            parentAgentId: event.data.parentAgentId,
            expiresAt: new Date(Number(event.data.expiresAtUnixMs)),
          },
          version,
          at,
        );
      case 'agent.v1.AgentDeactivated':
      case 'agent.v1.SubAgentEnded':
      case 'agent.v1.AgentKeyIssued':
      case 'agent.v1.AgentKeyRevoked':
        return this.agents.touch(tx, id, version, at);
      case 'agent.v1.AgentWakeHookSet':
        await this.agents.touch(tx, id, version, at);
        return this.wakeHooks.applySet(tx, {
          agentId: id,
          workspaceId: stored.metadata.workspaceId,
          url: event.data.url,
          version,
          at,
        });
      case 'agent.v1.AgentWakeHookRemoved':
        await this.agents.touch(tx, id, version, at);
        return this.wakeHooks.applyRemoved(tx, id, version);
      case 'agent.v1.AgentStatusChanged': {
        const status = fromProtoStatus(event.data.toStatus);
        // Offline and inactive agents are doing nothing, whatever they last said.
        const activity =
          status === 'offline' || status === 'inactive' ? null : event.data.activity || null;
        return this.agents.setStatus(tx, id, status, activity, version, at);
      }
      default:
        return assertNever(event, 'event');
    }
  }
}
