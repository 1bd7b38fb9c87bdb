import { toJson } from '@bufbuild/protobuf';
import { can, type Principal } from '@mission-control/auth';
import { AppError } from '@mission-control/errors';
import {
  type LiveEvent,
  type LivePayload,
  wakeOfMission,
  type WakeTarget,
} from '@mission-control/live-protocol';
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

/**
 * Events too many and too narrow to send a whole workspace: a run's log chunks go only to those
 * watching that run (its stream, the event's subject); its start, usage and end go to everyone.
 */
const WATCHED_ONLY_TYPES = new Set(['mission.v1.RunLogAppended']);

export const isWatchedOnly = (type: string): boolean => WATCHED_ONLY_TYPES.has(type);

/** Streams a client may watch: a run (`run-<uuid>`). */
const WATCHABLE = /^run-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const MAX_WATCHED = 10;

/** The streams a client asked to watch, or a VALIDATION_ERROR saying what is wrong with them. */
export function watchedStreams(value: unknown): Set<string> {
  if (value === undefined) {
    return new Set();
  }
  if (
    !Array.isArray(value) ||
    value.length > MAX_WATCHED ||
    !value.every((item) => typeof item === 'string' && WATCHABLE.test(item))
  ) {
    throw AppError.validation(
      `auth.watch must list at most ${MAX_WATCHED} streams to watch, each run-<id>`,
    );
  }
  return new Set(value as string[]);
}

/** Whether a client watching `watched` receives the event (its access aside). */
export const reaches = (event: Pick<LiveEvent, 'type' | 'subject'>, watched: ReadonlySet<string>) =>
  !isWatchedOnly(event.type) || watched.has(event.subject);

/** Who among a workspace's agents a mission event wakes, and why (see `wakeOfMission`). */
export function wakeOf(event: Pick<LiveEvent, 'type' | 'data' | 'actor'>): WakeTarget | null {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const data = event.data ?? {};
  return wakeOfMission({
    type: event.type,
    missionId: text(data.missionId) ?? '',
    // MissionAssigned names it agentId; MissionBecameReady, assigneeAgentId.
    assigneeId: text(data.agentId) ?? text(data.assigneeAgentId),
    landsInTodo: (data.toColumn ?? data.column) === 'BOARD_COLUMN_TODO',
    actorAgentId: event.actor.startsWith('agent:') ? event.actor.slice('agent:'.length) : undefined,
  });
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
