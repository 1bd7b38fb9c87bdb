/**
 * The live push protocol: what the gateway sends over socket.io (and, for events, graphql-ws) and
 * what the web app reads. One definition for both ends, so neither can drift from the other.
 */

/** One domain event as the gateway pushes it. */
export type LiveEvent = {
  id: string;
  /** e.g. `mission.v1.MissionMoved`. */
  type: string;
  /** The stream the event belongs to (e.g. a mission). */
  subject: string;
  workspaceId: string;
  time: string;
  /** `<kind>:<id>` of who caused it. */
  actor: string;
  /** The payload as protobuf JSON (camelCase, defaults left out); null for a type the gateway does not know. */
  data: LivePayload | null;
  /** Opaque; pass it back as `after` when reconnecting to receive what was missed. */
  position: string;
};

/** A protobuf JSON payload: read its fields defensively, a newer gateway may add some. */
export type LivePayload = Record<string, unknown>;

/** A coded error on the live connection (the P5 codes). */
export type LiveErrorPayload = { code: string; message: string; requestId: string | null };

/** What a client sends in the socket.io handshake (`auth`). */
export type LiveHandshake = {
  /** An access token for the workspace. */
  token: string;
  /** The `position` of the last event received: what came after it is replayed first. */
  after?: string;
  /**
   * Streams whose narrow, high-volume events the client also wants: up to 10 `run-<id>`, for
   * those runs' log lines (`mission.v1.RunLogAppended`), which the workspace feed leaves out.
   */
  watch?: string[];
};

/**
 * Work an agent may take now (sent to agents' sockets only): `assigned` to this agent, or
 * `available` to any agent of the workspace (a mission went to To do). Idle agents answer it with
 * `nextMission` instead of polling; one woken for nothing gets null.
 */
export type LiveWake = { reason: 'assigned' | 'available'; missionId: string };

/** The socket.io events the gateway emits, by name. */
export type LiveServerEvents = {
  /** For agents: there may be work for you (see LiveWake). */
  wake: (wake: LiveWake) => void;
  /** A domain event of the socket's workspace (admins also get admin-only ones). */
  event: (event: LiveEvent) => void;
  /** Caught up: replay done, live events follow; `position` is where this socket stands. */
  ready: (state: { position: string }) => void;
  /** Something to recover from (expired token, position too old…); the socket may be closed next. */
  live_error: (error: object) => void;
  /** The socket's access was taken away (demoted, removed, signed out); it is closed next. */
  access_revoked: (error: { code: string; message: string }) => void;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The event, or null for a payload that is not one (a newer gateway must not break a client). */
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

/** A live error, with safe defaults for anything missing. */
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
