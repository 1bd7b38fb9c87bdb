import type { LiveHandshake } from '@mission-control/live-protocol';
import { io, type Socket } from 'socket.io-client';
import { retryDelayMs } from '../session/token-schedule';
import {
  type LiveErrorPayload,
  type LiveEvent,
  parseLiveError,
  parseLiveEvent,
  recoveryFor,
} from './live-event';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export type LiveConnectionOptions = {
  /** The gateway's origin; socket.io listens on its default path there. */
  url: string;
  /** An access token for the workspace; `fresh` after the gateway refused the previous one. */
  token: (fresh: boolean) => Promise<string>;
  onEvent: (event: LiveEvent) => void;
  onStatus: (status: LiveStatus) => void;
  /** Events may have been missed and cannot be replayed: reload what is on screen. */
  onResync: () => void;
  onError: (error: LiveErrorPayload) => void;
  /** The gateway took this person's access away (removed or demoted); it closes the socket next. */
  onAccessRevoked?: (error: LiveErrorPayload) => void;
  /** Streams whose narrow events (a run's log lines) this connection also receives. */
  watch?: string[];
};

/** A signed-in session's token for a live connection: refreshed first when the last was refused. */
export const sessionToken =
  (client: { refresh(): Promise<unknown>; accessToken(): Promise<string> }) =>
  async (fresh: boolean): Promise<string> => {
    if (fresh) {
      await client.refresh();
    }
    return client.accessToken();
  };

type ServerEvents = {
  event: (event: unknown) => void;
  ready: (state: unknown) => void;
  live_error: (error: unknown) => void;
  access_revoked: (error: unknown) => void;
};

/**
 * Live push for one workspace (the token decides which). Remembers the position of the last event
 * so a reconnect, whether the network dropped or the token expired, resumes without a gap.
 */
export class LiveConnection {
  private socket: Socket<ServerEvents, Record<string, never>> | null = null;
  private position: string | null = null;
  private resumedFrom: string | null = null;
  private wantFreshToken = false;
  private stopped = false;
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: LiveConnectionOptions) {}

  start(): void {
    // An empty url means the gateway shares the page's origin: socket.io then uses the page's.
    const socket: Socket<ServerEvents, Record<string, never>> = io(this.options.url || undefined, {
      path: '/socket.io',
      autoConnect: false,
      transports: ['websocket', 'polling'],
      // Called before every (re)connection: always the newest token and position.
      auth: (send) => {
        const fresh = this.wantFreshToken;
        this.wantFreshToken = false;
        this.resumedFrom = this.position;
        this.options.token(fresh).then(
          (token) => {
            const handshake: LiveHandshake = { token };
            if (this.position) {
              handshake.after = this.position;
            }
            if (this.options.watch?.length) {
              handshake.watch = this.options.watch;
            }
            send(handshake);
          },
          () => send({}),
        );
      },
    });
    socket.on('event', (raw) => {
      const event = parseLiveEvent(raw);
      if (event) {
        this.position = event.position;
        this.options.onEvent(event);
      }
    });
    socket.on('ready', (state) => {
      const position =
        typeof state === 'object' && state !== null && 'position' in state ? state.position : null;
      if (typeof position === 'string') {
        this.position = position;
      }
      this.attempts = 0;
      this.options.onStatus('live');
      // Without a position to resume from, whatever happened before this moment is unknown.
      if (this.resumedFrom === null) {
        this.options.onResync();
      }
    });
    socket.on('live_error', (raw) => this.recover(parseLiveError(raw)));
    socket.on('access_revoked', (raw) => this.options.onAccessRevoked?.(parseLiveError(raw)));
    socket.on('connect_error', (error: Error & { data?: unknown }) => {
      if (error.data !== undefined) {
        this.recover(parseLiveError(error.data));
      } else if (!socket.active) {
        this.reconnectLater();
      } else {
        this.options.onStatus('reconnecting');
      }
    });
    socket.on('disconnect', (reason) => {
      if (this.stopped) {
        return;
      }
      this.options.onStatus('reconnecting');
      // The server hung up (token expiry, replay failure): socket.io leaves reconnecting to us.
      if (reason === 'io server disconnect') {
        this.reconnectLater();
      }
    });
    this.socket = socket;
    this.options.onStatus('connecting');
    socket.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.options.onStatus('stopped');
  }

  private recover(error: LiveErrorPayload): void {
    switch (recoveryFor(error.code)) {
      case 'refresh-token':
        this.wantFreshToken = true;
        this.reconnectLater();
        return;
      case 'resync':
        this.position = null;
        this.reconnectLater();
        return;
      case 'retry':
        this.reconnectLater();
        return;
      case 'stop':
        this.options.onError(error);
        this.stop();
        return;
    }
  }

  private reconnectLater(): void {
    if (this.stopped) {
      return;
    }
    clearTimeout(this.retryTimer);
    this.options.onStatus('reconnecting');
    // The first retry is immediate: an expired token is the common case and is fixed at once.
    const delay = this.attempts === 0 ? 0 : retryDelayMs(this.attempts - 1);
    this.attempts += 1;
    this.retryTimer = setTimeout(() => {
      const socket = this.socket;
      if (socket && !socket.connected && !this.stopped) {
        socket.connect();
      }
    }, delay);
  }
}
