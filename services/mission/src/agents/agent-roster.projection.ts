import { Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@mission-control/proto';
import type { Tx } from '../eventing/mission-event-store';
import { AgentRosterRepository } from './agent-roster.repository';

/**
 * Keeps the mission schema's roster of agents, in the consumer's transaction with its inbox. An
 * agent starts inactive; only activation makes it assignable, and deactivation ends that. Whether
 * it heartbeats (online) follows its status.
 */
@Injectable()
export class AgentRosterProjection {
  constructor(private readonly roster: AgentRosterRepository) {}

  record(tx: Tx, agentId: string, active: boolean, envelope: EventEnvelope): Promise<void> {
    return this.roster.record(tx, {
      id: agentId,
      active,
      workspaceId: envelope.workspaceId,
      version: envelope.streamVersion,
      at: new Date(envelope.time),
    });
  }

  recordParent(tx: Tx, agentId: string, parentAgentId: string, envelope: EventEnvelope) {
    return this.roster.recordParent(tx, {
      id: agentId,
      parentAgentId,
      workspaceId: envelope.workspaceId,
      version: envelope.streamVersion,
      at: new Date(envelope.time),
    });
  }

  recordPresence(tx: Tx, agentId: string, online: boolean, envelope: EventEnvelope): Promise<void> {
    return this.roster.recordPresence(tx, {
      id: agentId,
      online,
      workspaceId: envelope.workspaceId,
      version: envelope.streamVersion,
      at: new Date(envelope.time),
    });
  }
}
