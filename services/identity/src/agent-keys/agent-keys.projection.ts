import { Injectable } from '@nestjs/common';
import type { ReceivedEvent } from '@mission-control/eventing';
import { decodeEvent } from '@mission-control/proto';
import type { Tx } from '../eventing/identity-event-store';
import { AgentKeysRepository } from './agent-keys.repository';

/**
 * The agent keys identity may exchange, kept from the agent service's events. Applied in the
 * consumer's transaction with its inbox entry; every other agent event is no concern of identity.
 */
const KEY_EVENTS = new Set(['agent.v1.AgentKeyIssued', 'agent.v1.AgentKeyRevoked']);

@Injectable()
export class AgentKeysProjection {
  constructor(private readonly keys: AgentKeysRepository) {}

  async apply({ envelope, payload }: ReceivedEvent, tx: Tx): Promise<void> {
    if (!KEY_EVENTS.has(envelope.type)) {
      return;
    }
    const event = decodeEvent(envelope.type, payload);
    switch (event.type) {
      case 'agent.v1.AgentKeyIssued':
        return this.keys.record(tx, {
          id: event.data.keyId,
          agentId: event.data.agentId,
          workspaceId: envelope.workspaceId,
          prefix: event.data.prefix,
          secretHash: event.data.secretSha256,
          issuedAt: new Date(envelope.time),
        });
      case 'agent.v1.AgentKeyRevoked':
        return this.keys.revoke(tx, event.data.keyId, new Date(envelope.time));
      default:
        return;
    }
  }
}
