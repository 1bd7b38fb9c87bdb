import { Injectable } from '@nestjs/common';
import type { EventOf } from '@mission-control/eventing/nest';
import type { EventEnvelope } from '@mission-control/proto';
import type { Tx } from '../eventing/identity-event-store';
import { AgentKeysRepository } from './agent-keys.repository';

type Data<T extends 'agent.v1.AgentKeyIssued' | 'agent.v1.AgentKeyRevoked'> = EventOf<T>['data'];

/**
 * The agent keys identity may exchange, kept from the agent service's events. Applied in the
 * consumer's transaction with its inbox entry.
 */
@Injectable()
export class AgentKeysProjection {
  constructor(private readonly keys: AgentKeysRepository) {}

  keyIssued(tx: Tx, data: Data<'agent.v1.AgentKeyIssued'>, envelope: EventEnvelope): Promise<void> {
    return this.keys.record(tx, {
      id: data.keyId,
      agentId: data.agentId,
      workspaceId: envelope.workspaceId,
      prefix: data.prefix,
      secretHash: data.secretSha256,
      issuedAt: new Date(envelope.time),
      // 0 for a key that never expires (every key issued before sub-agents).
      expiresAt: data.expiresAtUnixMs === 0n ? null : new Date(Number(data.expiresAtUnixMs)),
    });
  }

  keyRevoked(
    tx: Tx,
    data: Data<'agent.v1.AgentKeyRevoked'>,
    envelope: EventEnvelope,
  ): Promise<void> {
    return this.keys.revoke(tx, data.keyId, new Date(envelope.time));
  }
}
