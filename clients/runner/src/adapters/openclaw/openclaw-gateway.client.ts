import { platform } from 'node:os';
import WebSocket from 'ws';
import {
  connectChallenge,
  type EventFrame,
  type HelloOk,
  helloOk,
  type OpenClawErrorShape,
  readFrame,
  type ResponseFrame,
} from './openclaw-frames';
import { OpenClawError, OpenClawErrorCode } from './openclaw.error';

/** The protocol versions this client speaks (the gateway's docs: v3, then v4). */
export const OPENCLAW_PROTOCOL = { min: 3, max: 4 } as const;

export type OpenClawConnectOptions = {
  /** ws:// or wss:// */
  url: string;
  /** The gateway's shared token (gateway.auth.token). A secret: never logged. */
  token?: string;
  protocol?: { min: number; max: number };
  /** For the challenge and the connect answer together (default 10 s). */
  handshakeTimeoutMs?: number;
  /** For each request's answer (default 30 s). */
  requestTimeoutMs?: number;
  clientVersion?: string;
  /** Every event after the handshake (chat, agent, tick…). */
  onEvent?: (frame: EventFrame) => void;
  /** A frame after the handshake that cannot be read. */
  onInvalid?: (error: string) => void;
  /** The connection closed, by either side, or dropped after a silence. */
  onClose?: (code: number, reason: string) => void;
  /** Silence after which the connection is dropped (default: twice hello-ok's tickIntervalMs). */
  silenceLimitMs?: number;
};

type Pending = {
  resolve: (payload: unknown) => void;
  reject: (error: OpenClawError) => void;
  timer: NodeJS.Timeout;
  method: string;
};

const FORCE_CLOSE_MS = 250;
// The documented tick interval, when hello-ok does not say.
const DEFAULT_TICK_MS = 30_000;

/** A text frame's text (ws hands frames over as buffers). */
export function textOf(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) {
    return data.toString('utf8');
  }
  return (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8');
}

/** A refused connect's reason, as a coded error (the gateway's details.code when it sent one). */
function refusal(error: OpenClawErrorShape | undefined): OpenClawError {
  const code =
    error?.details && typeof error.details === 'object'
      ? (error.details as { code?: unknown }).code
      : undefined;
  const message = error ? `${error.code}: ${error.message}` : 'connect refused without a reason';
  if (code === 'PROTOCOL_MISMATCH' || /protocol mismatch/i.test(error?.message ?? '')) {
    return new OpenClawError(OpenClawErrorCode.PROTOCOL_MISMATCH, message, error?.details);
  }
  if (
    (typeof code === 'string' && code.startsWith('AUTH_')) ||
    /^unauthorized/i.test(error?.message ?? '')
  ) {
    return new OpenClawError(OpenClawErrorCode.AUTH_REFUSED, message, error?.details);
  }
  return new OpenClawError(OpenClawErrorCode.HANDSHAKE_REFUSED, message, error?.details);
}

/** A close before the handshake ended, read by its code (1002 protocol, 1008 policy). */
function closedEarly(code: number, reason: string): OpenClawError {
  const said = `the gateway closed the connection (${code}${reason ? ` ${reason}` : ''})`;
  if (code === 1002) {
    return new OpenClawError(OpenClawErrorCode.PROTOCOL_MISMATCH, said);
  }
  if (code === 1008) {
    return new OpenClawError(OpenClawErrorCode.AUTH_REFUSED, said);
  }
  return new OpenClawError(OpenClawErrorCode.CLOSED, said);
}

/**
 * A connection to an OpenClaw gateway as an operator backend client: the handshake (wait for the
 * challenge, connect with the protocol range and the token, hello-ok with a version in range),
 * then requests answered by id within a time-out, and events handed on. Frames only: what the
 * events mean is the parser's business.
 */
export class OpenClawGatewayClient {
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  private lastHeardAt = Date.now();
  private ended = false;
  private readonly watchdog: NodeJS.Timeout;

  private constructor(
    private readonly socket: WebSocket,
    readonly hello: HelloOk,
    private readonly options: OpenClawConnectOptions,
    private readonly closed: Promise<void>,
  ) {
    // The gateway ticks every tickIntervalMs; twice that in silence is a gateway gone without a
    // close (a host lost, a network cut): the connection is dropped, as its own clients do (4000).
    const tick = hello.policy?.tickIntervalMs ?? DEFAULT_TICK_MS;
    const limit = options.silenceLimitMs ?? tick * 2;
    this.watchdog = setInterval(
      () => {
        if (Date.now() - this.lastHeardAt > limit) {
          clearInterval(this.watchdog);
          this.socket.terminate();
          this.closedBy(4000, `no frame from the gateway for ${limit} ms`);
        }
      },
      Math.min(tick, Math.max(50, Math.floor(limit / 4))),
    );
    this.watchdog.unref();
  }

  /** The protocol version the gateway chose. */
  get protocol(): number {
    return this.hello.protocol;
  }

  /** Connects and completes the handshake; throws an OpenClawError saying what failed. */
  static connect(options: OpenClawConnectOptions): Promise<OpenClawGatewayClient> {
    const range = options.protocol ?? OPENCLAW_PROTOCOL;
    const socket = new WebSocket(options.url, { handshakeTimeout: options.handshakeTimeoutMs });
    let client: OpenClawGatewayClient | null = null;
    let resolveClosed: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => (resolveClosed = resolve));

    return new Promise<OpenClawGatewayClient>((resolve, reject) => {
      let settled = false;
      const fail = (error: OpenClawError) => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          socket.terminate();
          reject(error);
        }
      };
      const timer = setTimeout(
        () =>
          fail(
            new OpenClawError(
              OpenClawErrorCode.HANDSHAKE_TIMEOUT,
              `no ${challenged ? 'answer to connect' : 'connect.challenge'} from ${options.url} within ${options.handshakeTimeoutMs ?? 10_000} ms`,
            ),
          ),
        options.handshakeTimeoutMs ?? 10_000,
      );
      let challenged = false;
      // The first request is the connect: it has the first id.
      const connectId = '1';

      socket.on('error', (error) => {
        fail(
          new OpenClawError(
            OpenClawErrorCode.UNREACHABLE,
            `cannot reach the OpenClaw gateway at ${options.url}: ${error.message}`,
          ),
        );
      });
      socket.on('close', (code, reason) => {
        resolveClosed();
        fail(closedEarly(code, reason.toString()));
        client?.closedBy(code, reason.toString());
      });
      socket.on('message', (data, isBinary) => {
        const text = isBinary ? '' : textOf(data);
        if (client) {
          client.receive(text);
          return;
        }
        const read = readFrame(text);
        if ('error' in read) {
          fail(new OpenClawError(OpenClawErrorCode.BAD_FRAME, read.error));
          return;
        }
        const frame = read.frame;
        if (!challenged) {
          if (frame.type !== 'event' || frame.event !== 'connect.challenge') {
            fail(
              new OpenClawError(
                OpenClawErrorCode.BAD_FRAME,
                `the gateway's first frame is not connect.challenge: ${text.slice(0, 120)}`,
              ),
            );
            return;
          }
          if (!connectChallenge.safeParse(frame.payload).success) {
            fail(
              new OpenClawError(
                OpenClawErrorCode.BAD_FRAME,
                `connect.challenge is not as documented: ${text.slice(0, 120)}`,
              ),
            );
            return;
          }
          challenged = true;
          socket.send(
            JSON.stringify({
              type: 'req',
              id: connectId,
              method: 'connect',
              params: {
                minProtocol: range.min,
                maxProtocol: range.max,
                client: {
                  // The id and mode the gateway keeps for backend (non-UI) clients.
                  id: 'gateway-client',
                  displayName: 'Mission Control runner',
                  version: options.clientVersion ?? '0.1.0',
                  platform: platform(),
                  mode: 'backend',
                },
                role: 'operator',
                scopes: ['operator.read', 'operator.write'],
                caps: [],
                ...(options.token !== undefined ? { auth: { token: options.token } } : {}),
                userAgent: `mission-control-runner/${options.clientVersion ?? '0.1.0'}`,
              },
            }),
          );
          return;
        }
        if (frame.type !== 'res' || frame.id !== connectId) {
          // Events before hello-ok (ticks, presence) carry nothing for the handshake.
          return;
        }
        if (!frame.ok) {
          fail(refusal(frame.error));
          return;
        }
        const hello = helloOk.safeParse(frame.payload);
        if (!hello.success) {
          fail(
            new OpenClawError(
              OpenClawErrorCode.BAD_FRAME,
              `the answer to connect is not hello-ok: ${text.slice(0, 120)}`,
            ),
          );
          return;
        }
        if (hello.data.protocol < range.min || hello.data.protocol > range.max) {
          fail(
            new OpenClawError(
              OpenClawErrorCode.PROTOCOL_MISMATCH,
              `the gateway chose protocol ${hello.data.protocol}, outside ${range.min}–${range.max}`,
            ),
          );
          return;
        }
        settled = true;
        clearTimeout(timer);
        client = new OpenClawGatewayClient(socket, hello.data, options, closed);
        resolve(client);
      });
    });
  }

  /** Sends a request and resolves with its payload; a refusal or no answer in time throws. */
  request(method: string, params: unknown, timeoutMs?: number): Promise<unknown> {
    const id = String((this.nextId += 1));
    return new Promise<unknown>((resolve, reject) => {
      if (this.socket.readyState !== WebSocket.OPEN) {
        reject(new OpenClawError(OpenClawErrorCode.CLOSED, `${method}: the connection is closed`));
        return;
      }
      const limit = timeoutMs ?? this.options.requestTimeoutMs ?? 30_000;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new OpenClawError(
            OpenClawErrorCode.REQUEST_TIMEOUT,
            `${method}: no answer within ${limit} ms`,
          ),
        );
      }, limit);
      this.pending.set(id, { resolve, reject, timer, method });
      this.socket.send(JSON.stringify({ type: 'req', id, method, params }));
    });
  }

  /** Closes the connection; resolves once it is closed (forced after a short grace). */
  async close(): Promise<void> {
    clearInterval(this.watchdog);
    if (this.socket.readyState === WebSocket.CLOSED) {
      return;
    }
    this.socket.close(1000, 'done');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.closed,
      new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.socket.terminate();
          resolve();
        }, FORCE_CLOSE_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  private receive(text: string): void {
    this.lastHeardAt = Date.now();
    const read = readFrame(text);
    if ('error' in read) {
      this.options.onInvalid?.(read.error);
      return;
    }
    const frame = read.frame;
    if (frame.type === 'event') {
      this.options.onEvent?.(frame);
    } else if (frame.type === 'res') {
      this.answer(frame);
    }
    // A gateway does not send requests to an operator client; one is ignored.
  }

  private answer(frame: ResponseFrame): void {
    const pending = this.pending.get(frame.id);
    if (!pending) {
      return;
    }
    this.pending.delete(frame.id);
    clearTimeout(pending.timer);
    if (frame.ok) {
      pending.resolve(frame.payload);
    } else {
      pending.reject(
        new OpenClawError(
          OpenClawErrorCode.REQUEST_FAILED,
          `${pending.method}: ${frame.error ? `${frame.error.code}: ${frame.error.message}` : 'refused without a reason'}`,
          frame.error?.details,
        ),
      );
    }
  }

  private closedBy(code: number, reason: string): void {
    clearInterval(this.watchdog);
    if (this.ended) {
      return;
    }
    this.ended = true;
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      clearTimeout(pending.timer);
      pending.reject(
        new OpenClawError(
          OpenClawErrorCode.CLOSED,
          `${pending.method}: the gateway closed the connection (${code}${reason ? ` ${reason}` : ''})`,
        ),
      );
    }
    this.options.onClose?.(code, reason);
  }
}
