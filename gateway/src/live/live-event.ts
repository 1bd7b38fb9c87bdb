import { toJson } from '@bufbuild/protobuf';
import { can, type Principal } from '@mission-control/auth';
import type { LiveEvent, LivePayload } from '@mission-control/live-protocol';
import {
  decodeEvent,
  eventSchema,
  fromKafkaHeaders,
  isDomainEventType,
  type KafkaHeaders,
} from '@mission-control/proto';

export type { LiveEvent } from '@mission-control/live-protocol';

/** Who may see an event: every member of its workspace, or only its admins. */
export type Audience = 'members' | 'admins';

// Invitations and keys concern who can get in: only people who administer the workspace see them.
const ADMIN_ONLY_TYPES = new Set([
  'identity.v1.MemberInvited',
  'identity.v1.ApiKeyIssued',
  'identity.v1.ApiKeyRevoked',
  'agent.v1.AgentKeyIssued',
  'agent.v1.AgentKeyRevoked',
]);

export function audienceOf(type: string): Audience {
  return ADMIN_ONLY_TYPES.has(type) ? 'admins' : 'members';
}

export function canSee(principal: Principal, event: Pick<LiveEvent, 'workspaceId' | 'type'>) {
  if (principal.workspaceId === null || principal.workspaceId !== event.workspaceId) {
    return false;
  }
  return audienceOf(event.type) === 'members' || can(principal, 'admin_access');
}

/**
 * The event in a Kafka record (CloudEvents headers + protobuf value), without its position.
 * Throws a ContractError for a record that carries no valid envelope.
 */
export function liveEventOf(
  headers: KafkaHeaders,
  value: Buffer | null,
): Omit<LiveEvent, 'position'> {
  const envelope = fromKafkaHeaders(headers);
  let data: LivePayload | null = null;
  if (value !== null && isDomainEventType(envelope.type)) {
    const decoded = decodeEvent(envelope.type, value);
    // A message's JSON form is always an object.
    data = toJson(eventSchema(envelope.type), decoded.data) as LivePayload;
  }
  return {
    id: envelope.id,
    type: envelope.type,
    subject: envelope.subject,
    workspaceId: envelope.workspaceId,
    time: envelope.time,
    actor: `${envelope.actor.kind}:${envelope.actor.id}`,
    data,
  };
}
