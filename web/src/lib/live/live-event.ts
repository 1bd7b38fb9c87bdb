/** One domain event as the gateway pushes it (gateway/src/live/live-event.ts). */
export type LiveEvent = {
  id: string;
  /** e.g. `mission.v1.MissionMoved`. */
  type: string;
  /** The mission or agent the event is about. */
  subject: string;
  workspaceId: string;
  time: string;
  /** `<kind>:<id>` of who caused it. */
  actor: string;
  /** The payload as protobuf JSON (camelCase, defaults left out); null for an unknown type. */
  data: Record<string, unknown> | null;
  /** Opaque; passed back as `after` on reconnect. */
  position: string;
};

export type LiveErrorPayload = { code: string; message: string; requestId: string | null };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The event, or null for a payload that is not one (a newer gateway must not break the page). */
export function parseLiveEvent(value: unknown): LiveEvent | null {
  if (!isRecord(value)) {
    return null;
  }
  const { id, type, subject, workspaceId, time, actor, data, position } = value;
  if (
    typeof id !== 'string' ||
    typeof type !== 'string' ||
    typeof subject !== 'string' ||
    typeof workspaceId !== 'string' ||
    typeof time !== 'string' ||
    typeof actor !== 'string' ||
    typeof position !== 'string'
  ) {
    return null;
  }
  return {
    id,
    type,
    subject,
    workspaceId,
    time,
    actor,
    data: isRecord(data) ? data : null,
    position,
  };
}

export function parseLiveError(value: unknown): LiveErrorPayload {
  if (!isRecord(value)) {
    return { code: 'INTERNAL_ERROR', message: 'Live updates failed', requestId: null };
  }
  return {
    code: typeof value.code === 'string' ? value.code : 'INTERNAL_ERROR',
    message: typeof value.message === 'string' ? value.message : 'Live updates failed',
    requestId: typeof value.requestId === 'string' ? value.requestId : null,
  };
}

/** What the client does about a live error: get a fresh token, start over without `after`, or stop. */
export type LiveRecovery = 'refresh-token' | 'resync' | 'retry' | 'stop';

export function recoveryFor(code: string): LiveRecovery {
  switch (code) {
    case 'UNAUTHENTICATED':
      return 'refresh-token';
    // The position is unknown or too old to replay from: reload what is shown, then go live.
    case 'VALIDATION_ERROR':
    case 'NOT_FOUND':
      return 'resync';
    case 'FORBIDDEN':
      return 'stop';
    default:
      return 'retry';
  }
}

/**
 * The id of the mission or agent an event is about. The payload names it (`missionId`,
 * `agentId`); the subject is the stream, `<kind>-<id>`.
 */
export function entityIdOf(event: LiveEvent, kind: 'mission' | 'agent'): string {
  const named = event.data?.[`${kind}Id`];
  if (typeof named === 'string' && named !== '') {
    return named;
  }
  const prefix = `${kind}-`;
  return event.subject.startsWith(prefix) ? event.subject.slice(prefix.length) : event.subject;
}

/**
 * An enum value from an event payload, whichever spelling it comes in: protobuf JSON on the live
 * feed (`BOARD_COLUMN_IN_PROGRESS`), lower case in stored timelines (`in_progress`), or the
 * GraphQL name (`IN_PROGRESS`).
 */
export function enumValue<T extends string>(
  value: unknown,
  prefix: string,
  allowed: readonly T[],
): T | null {
  if (typeof value !== 'string') {
    return null;
  }
  const upper = value.toUpperCase();
  const name = upper.startsWith(prefix) ? upper.slice(prefix.length) : upper;
  return (allowed as readonly string[]).includes(name) ? (name as T) : null;
}
