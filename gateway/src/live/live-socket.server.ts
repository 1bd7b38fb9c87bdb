import type { Server as HttpServer } from 'node:http';
import { decodeJwt } from 'jose';
import { Server, type Socket } from 'socket.io';
import { can, type Principal, type VerifiedAccess } from '@mission-control/auth';
import { AppError, ErrorCode } from '@mission-control/errors';
import type { LiveServerEvents } from '@mission-control/live-protocol';
import type { Revocations } from '../auth/revocations';
import type { LiveFeed } from './live-feed';
import {
  audienceOf,
  canSee,
  isWatchedOnly,
  reaches,
  wakeOf,
  watchedStreams,
  type LiveEvent,
} from './live-event';

export type LiveAuthenticate = (
  authorization: string | undefined,
) => Promise<VerifiedAccess | null>;

type SocketData = {
  principal: Principal;
  issuedAtMs: number;
  expiresAt: number | undefined;
  /** Streams (runs) whose watched-only events (log chunks) this socket receives. */
  watched: Set<string>;
};

/** When a verified access token stops being valid (epoch ms): an open socket must not outlive it. */
export function expiryOf(token: string): number | undefined {
  const { exp } = decodeJwt(token);
  return typeof exp === 'number' ? exp * 1000 : undefined;
}

type LiveServer = Server<
  Record<string, never>,
  LiveServerEvents,
  Record<string, never>,
  SocketData
>;

const room = (workspaceId: string, audience: 'members' | 'admins') =>
  audience === 'admins' ? `ws:${workspaceId}:admins` : `ws:${workspaceId}`;
// Keyed by workspace too: watching another workspace's run id receives nothing.
const streamRoom = (workspaceId: string, subject: string) => `ws:${workspaceId}:stream:${subject}`;
/** A workspace's agents, or one of them: where wakes go. */
const agentRoom = (workspaceId: string, agentId: string | null) =>
  agentId === null ? `ws:${workspaceId}:agents` : `ws:${workspaceId}:agent:${agentId}`;

/**
 * socket.io push for the web app: one room per workspace (and one for its admins), joined after
 * the handshake token was verified. `auth: { token, after, watch }` in the handshake; `after` (the
 * `position` of the last event the client got) replays what it missed before live events flow;
 * `watch` (up to 10 `run-<id>`) adds those runs' log chunks, which the workspace room does not get.
 * Emits `event` (LiveEvent) and, once caught up, `ready` with the current position; agents' sockets
 * also get `wake` when a mission is assigned to them or goes to To do (work they may take).
 */
export class LiveSocketServer {
  private io: LiveServer | undefined;
  private stopListening: (() => void) | undefined;
  private stopWatching: (() => void) | undefined;

  constructor(
    private readonly feed: LiveFeed,
    private readonly authenticate: LiveAuthenticate,
    private readonly revocations: Revocations,
  ) {}

  attach(httpServer: HttpServer, options: { corsOrigins: string[] }): void {
    const io = new Server<
      Record<string, never>,
      LiveServerEvents,
      Record<string, never>,
      SocketData
    >(httpServer, {
      path: '/socket.io',
      serveClient: false,
      // GraphQL subscriptions share this HTTP server: leave upgrades on other paths alone.
      destroyUpgrade: false,
      cors: { origin: options.corsOrigins, credentials: true },
    });
    io.use((socket, next) => {
      const { token } = socket.handshake.auth as { token?: unknown };
      this.authenticate(typeof token === 'string' ? `Bearer ${token}` : undefined)
        .then((access) => {
          if (!access) {
            throw AppError.unauthenticated('Connect with an access token: auth.token');
          }
          const { principal } = access;
          if (principal.workspaceId === null) {
            throw AppError.forbidden('Live updates belong to a workspace: switch to one first');
          }
          const { after } = socket.handshake.auth as { after?: unknown };
          if (after !== undefined && typeof after !== 'string') {
            throw AppError.validation('auth.after must be the position of the last event');
          }
          if (after) {
            this.feed.replayable(after);
          }
          socket.data.watched = watchedStreams(
            (socket.handshake.auth as { watch?: unknown }).watch,
          );
          socket.data.principal = principal;
          socket.data.issuedAtMs = access.issuedAtMs;
          socket.data.expiresAt = expiryOf(token as string);
          next();
        })
        .catch((error: unknown) => next(connectError(error)));
    });
    io.on('connection', (socket) => this.onConnection(socket));
    this.stopListening = this.feed.listen((event) => {
      io.to(
        isWatchedOnly(event.type)
          ? streamRoom(event.workspaceId, event.subject)
          : room(event.workspaceId, audienceOf(event.type)),
      ).emit('event', event);
      const woken = wakeOf(event);
      if (woken) {
        io.to(agentRoom(event.workspaceId, woken.agentId)).emit('wake', woken.wake);
      }
    });
    this.stopWatching = this.revocations.onRevoke(() => this.closeRevoked());
    this.io = io;
  }

  /** Closes every socket whose token no longer gives access; the client refreshes and retries. */
  private closeRevoked(): void {
    for (const socket of this.io?.of('/').sockets.values() ?? []) {
      const { principal, issuedAtMs } = socket.data;
      const problem = principal && this.revocations.problem({ principal, issuedAtMs });
      if (problem) {
        socket.emit('access_revoked', { code: ErrorCode.UNAUTHENTICATED, message: problem });
        socket.disconnect(true);
      }
    }
  }

  /** Sockets connected to this replica. */
  get connections(): number {
    return this.io?.engine.clientsCount ?? 0;
  }

  async close(): Promise<void> {
    this.stopListening?.();
    this.stopWatching?.();
    await this.io?.close();
    this.io = undefined;
  }

  private onConnection(
    socket: Socket<Record<string, never>, LiveServerEvents, Record<string, never>, SocketData>,
  ): void {
    const { principal, watched } = socket.data;
    const workspaceId = principal.workspaceId!;
    const { after } = socket.handshake.auth as { after?: string };
    let missed: LiveEvent[] = [];
    try {
      missed = after
        ? this.feed.replay(after, (event) => canSee(principal, event) && reaches(event, watched))
        : [];
    } catch (error) {
      // Checked at the handshake; only events evicted in between get here.
      socket.emit('live_error', connectError(error).data);
      socket.disconnect(true);
      return;
    }
    // Replay and joining happen in one tick: no live event can fall between them.
    for (const event of missed) {
      socket.emit('event', event);
    }
    void socket.join(room(workspaceId, 'members'));
    for (const subject of watched) {
      void socket.join(streamRoom(workspaceId, subject));
    }
    if (can(principal, 'admin_access')) {
      void socket.join(room(workspaceId, 'admins'));
    }
    if (principal.kind === 'agent') {
      void socket.join(agentRoom(workspaceId, null));
      void socket.join(agentRoom(workspaceId, principal.subject));
    }
    socket.emit('ready', { position: missed.at(-1)?.position ?? this.feed.position() });
    const { expiresAt } = socket.data;
    if (expiresAt !== undefined) {
      const expiry = setTimeout(
        () => {
          socket.emit('live_error', {
            code: 'UNAUTHENTICATED',
            message: 'Access token expired: reconnect with a fresh one and your last position',
            retryable: true,
          });
          socket.disconnect(true);
        },
        Math.max(0, expiresAt - Date.now()),
      );
      socket.once('disconnect', () => clearTimeout(expiry));
    }
  }
}

/** socket.io carries handshake failures as an Error with `data`: the coded error, no internals. */
function connectError(error: unknown): Error & { data: object } {
  const coded =
    error instanceof AppError
      ? {
          code: error.code,
          message: error.message,
          retryable: error.retryable,
          details: error.details,
        }
      : { code: ErrorCode.INTERNAL_ERROR, message: 'Something went wrong', retryable: true };
  return Object.assign(new Error(coded.message), { data: coded });
}
