/** What went wrong talking to an OpenClaw gateway; each code has what to do about it. */
export enum OpenClawErrorCode {
  /** No WebSocket: nothing listens there, DNS, TLS. */
  UNREACHABLE = 'UNREACHABLE',
  /** The gateway speaks no protocol version this client does (or answered one outside its range). */
  PROTOCOL_MISMATCH = 'PROTOCOL_MISMATCH',
  /** The token was refused. */
  AUTH_REFUSED = 'AUTH_REFUSED',
  /** The connect request was refused for another reason (pairing, scopes, a gateway starting). */
  HANDSHAKE_REFUSED = 'HANDSHAKE_REFUSED',
  /** No challenge or no answer to connect in time. */
  HANDSHAKE_TIMEOUT = 'HANDSHAKE_TIMEOUT',
  /** A request answered ok: false. */
  REQUEST_FAILED = 'REQUEST_FAILED',
  /** A request had no answer in time. */
  REQUEST_TIMEOUT = 'REQUEST_TIMEOUT',
  /** The connection closed (before an answer came). */
  CLOSED = 'CLOSED',
  /** A frame that is not JSON or not a frame, or an answer not as documented. */
  BAD_FRAME = 'BAD_FRAME',
}

const HINTS: Record<OpenClawErrorCode, string> = {
  [OpenClawErrorCode.UNREACHABLE]:
    'check that the gateway runs and that gateway.url (ws:// or wss://, host and port) reaches it from this host',
  [OpenClawErrorCode.PROTOCOL_MISMATCH]:
    'update the runner or the gateway so their protocol versions overlap, or set gateway.protocol to a version the gateway speaks',
  [OpenClawErrorCode.AUTH_REFUSED]:
    "set gateway.token (or the variable gateway.tokenEnv names) to the gateway's gateway.auth.token",
  [OpenClawErrorCode.HANDSHAKE_REFUSED]:
    "read the gateway's reason above; a device that needs pairing is approved with `openclaw devices approve`",
  [OpenClawErrorCode.HANDSHAKE_TIMEOUT]:
    'the URL answers WebSocket but not as an OpenClaw gateway: check gateway.url',
  [OpenClawErrorCode.REQUEST_FAILED]: "read the gateway's reason above",
  [OpenClawErrorCode.REQUEST_TIMEOUT]: 'the gateway is slow or stuck: check its logs',
  [OpenClawErrorCode.CLOSED]: 'the gateway closed the connection: check its logs',
  [OpenClawErrorCode.BAD_FRAME]:
    'the gateway does not speak the documented protocol: check gateway.url and its version',
};

export class OpenClawError extends Error {
  override name = 'OpenClawError';

  constructor(
    readonly code: OpenClawErrorCode,
    message: string,
    /** The gateway's own error code and details, when it sent them. */
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** What a person can do about it. */
  get hint(): string {
    return HINTS[this.code];
  }
}
