import type { LiveEvent } from '@mission-control/live-protocol';

// The wire format is the gateway's own (libs/live-protocol); this file adds what the app makes of it.
export {
  type LiveErrorPayload,
  type LiveEvent,
  parseLiveError,
  parseLiveEvent,
} from '@mission-control/live-protocol';

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
 * The id of the mission, agent or run an event is about. The payload names it (`missionId`,
 * `agentId`); the subject is the stream, `<kind>-<id>`.
 */
export function entityIdOf(event: LiveEvent, kind: 'mission' | 'agent' | 'run'): string {
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
