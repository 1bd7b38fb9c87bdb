import { Injectable } from '@nestjs/common';
import type { ReceivedEvent } from '@mission-control/eventing';
import { decodeEvent } from '@mission-control/proto';
import type { Tx } from '../eventing/mission-event-store';
import { AgentRosterRepository } from './agent-roster.repository';

/** Every other agent event (profile, status, keys) is no concern of missions. */
const ROSTER_EVENTS = new Set([
  'agent.v1.AgentRegistered',
  'agent.v1.AgentActivated',
  'agent.v1.AgentDeactivated',
]);

/**
 * Keeps the mission schema's roster of agents, in the consumer's transaction with its inbox. An
 * agent starts inactive; only activation makes it assignable, and deactivation ends that.
 */
@Injectable()
export class AgentRosterProjection {
  constructor(private readonly roster: AgentRosterRepository) {}

  async apply({ envelope, payload }: ReceivedEvent, tx: Tx): Promise<void> {
    if (!ROSTER_EVENTS.has(envelope.type)) {
      return;
    }
    const event = decodeEvent(envelope.type, payload);
    const fact = {
      workspaceId: envelope.workspaceId,
      version: envelope.streamVersion,
      at: new Date(envelope.time),
    };
    switch (event.type) {
      case 'agent.v1.AgentRegistered':
      case 'agent.v1.AgentDeactivated':
        return this.roster.record(tx, { ...fact, id: event.data.agentId, active: false });
      case 'agent.v1.AgentActivated':
        return this.roster.record(tx, { ...fact, id: event.data.agentId, active: true });
      default:
        return;
    }
  }
}
