import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { MissionControlError } from '../errors/mission-control.error';

/** Work the agent may take now: assigned to it, or gone to To do for any agent. */
export type WakeReason = 'assigned' | 'available';
export type Wake = { reason: WakeReason; missionId: string };

/** A domain event as the gateway pushes it (read defensively: a newer gateway may add fields). */
export type LiveEvent = {
  id: string;
  /** e.g. `mission.v1.RunFinished`. */
  type: string;
  /** The stream the event belongs to (a run's id for run events). */
  subject: string;
  workspaceId: string;
  time: string;
  data: Record<string, unknown> | null;
  /** Opaque; handed back on reconnect to receive what was missed. */
  position: string;
};

type SocketFactory = (url: string, options: Partial<ManagerOptions & SocketOptions>) => Socket;

export type LiveConnectionOptions = {
  /** The gateway's origin. */
  url: string;
  /** A valid access token for each (re)connection. */
  token: () => Promise<string>;
  /** The server refused this token: the next one must be fresh. */
  invalidate: (token: string) => void;
  /** Streams whose watched-only events this socket also receives (up to 10 `run-<id>`: log lines). */
  watch?: string[];
  onWake?: (wake: Wake) => void;
  onEvent?: (event: LiveEvent) => void;
  /** Something the connection could not recover from by itself yet; it keeps trying. */
  onError?: (error: MissionControlError) => void;
  /** Bounds of the delay before reconnecting after the server closed the socket. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  socketFactory?: SocketFactory;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The event, or null for a payload that is not one. */
export function parseLiveEvent(value: unknown): LiveEvent | null {
  if (!isRecord(value)) {
    return null;
  }
  const { id, type, subject, workspaceId, time, data, position } = value;
  if (
    typeof id !== 'string' ||
    typeof type !== 'string' ||
    typeof subject !== 'string' ||
    typeof workspaceId !== 'string' ||
    typeof time !== 'string' ||
    typeof position !== 'string'
  ) {
    return null;
  }
  return { id, type, subject, workspaceId, time, data: isRecord(data) ? data : null, position };
}

export function parseWake(value: unknown): Wake | null {
  if (!isRecord(value) || typeof value.missionId !== 'string') {
    return null;
  }
  return value.reason === 'assigned' || value.reason === 'available'
    ? { reason: value.reason, missionId: value.missionId }
    : null;
}

function liveError(value: unknown, fallback: string): MissionControlError {
  const body = isRecord(value) ? value : {};
  return MissionControlError.fromGraphQLError({
    message: typeof body.message === 'string' ? body.message : fallback,
    extensions: body,
  });
}

/**
 * The agent's socket.io connection to the gateway's live push: wakes and its workspace's events.
 * A token that expires or is refused is replaced and the socket reconnects with the position of
 * the last event it saw, so the gateway replays what happened in between.
 */
export class LiveConnection {
  private socket: Socket | null = null;
  private position: string | undefined;
  private lastToken: string | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;

  constructor(private readonly options: LiveConnectionOptions) {}

  /** Whether the socket is connected and caught up. */
  ready = false;

  /** Connects; resolves once the gateway said it is caught up, rejects after `timeoutMs`. */
  connect(timeoutMs = 10_000): Promise<void> {
    this.closed = false;
    const factory = this.options.socketFactory ?? io;
    const socket = factory(this.options.url, {
      transports: ['websocket'],
      // Called for every (re)connection: a fresh token and where to resume.
      auth: (callback: (auth: object) => void) => {
        this.options.token().then(
          (token) => {
            this.lastToken = token;
            callback({
              token,
              ...(this.position ? { after: this.position } : {}),
              ...(this.options.watch?.length ? { watch: this.options.watch } : {}),
            });
          },
          (error: unknown) => {
            this.report(error);
            callback({});
          },
        );
      },
    });
    this.socket = socket;
    socket.on('event', (value: unknown) => {
      const event = parseLiveEvent(value);
      if (event) {
        this.position = event.position;
        this.options.onEvent?.(event);
      }
    });
    socket.on('wake', (value: unknown) => {
      const wake = parseWake(value);
      if (wake) {
        this.options.onWake?.(wake);
      }
    });
    socket.on('ready', (state: unknown) => {
      this.ready = true;
      this.failures = 0;
      if (isRecord(state) && typeof state.position === 'string') {
        this.position = state.position;
      }
    });
    socket.on('live_error', (value: unknown) => this.refused(liveError(value, 'Live push failed')));
    socket.on('access_revoked', (value: unknown) =>
      this.refused(liveError(value, 'Access revoked')),
    );
    socket.on('connect_error', (error: Error & { data?: unknown }) => {
      this.ready = false;
      this.refused(liveError(error.data ?? { message: error.message }, error.message));
      // A handshake the server refused is not retried by socket.io itself.
      if (!socket.active) {
        this.reconnectLater();
      }
    });
    socket.on('disconnect', (reason: string) => {
      this.ready = false;
      if (reason === 'io server disconnect') {
        this.reconnectLater();
      }
    });
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.off('ready', onReady);
        reject(
          new MissionControlError({
            code: 'NETWORK_ERROR',
            message: `Live push not ready after ${timeoutMs} ms`,
            retryable: true,
          }),
        );
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      socket.once('ready', onReady);
    });
  }

  close(): void {
    this.closed = true;
    this.ready = false;
    clearTimeout(this.retryTimer);
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
  }

  private refused(error: MissionControlError): void {
    if (error.code === 'UNAUTHENTICATED' && this.lastToken) {
      this.options.invalidate(this.lastToken);
    } else if (error.code === 'CONFLICT') {
      // Our position is older than the gateway keeps: resume from now.
      this.position = undefined;
    } else {
      this.report(error);
    }
  }

  private report(error: unknown): void {
    this.options.onError?.(
      error instanceof MissionControlError ? error : MissionControlError.network(error),
    );
  }

  private reconnectLater(): void {
    if (this.closed || this.retryTimer) {
      return;
    }
    const min = this.options.reconnectMinMs ?? 250;
    const max = this.options.reconnectMaxMs ?? 30_000;
    const delay = Math.min(max, min * 2 ** this.failures) * (0.5 + Math.random() / 2);
    this.failures += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.closed) {
        this.socket?.connect();
      }
    }, delay);
  }
}
