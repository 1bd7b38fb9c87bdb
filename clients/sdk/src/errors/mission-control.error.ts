/**
 * The codes every Mission Control error carries (docs/api.md, "Errors"), and NETWORK_ERROR for an
 * answer that never came (the server could not be reached, or the connection broke).
 */
export const ERROR_CODES = [
  'VALIDATION_ERROR',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'LIMIT_EXCEEDED',
  'INTERNAL_ERROR',
  'NETWORK_ERROR',
] as const;
export type MissionControlErrorCode = (typeof ERROR_CODES)[number];

export type MissionControlErrorInit = {
  code: MissionControlErrorCode;
  message: string;
  requestId?: string | null;
  retryable?: boolean;
  details?: Record<string, unknown> | null;
  cause?: unknown;
};

/** One GraphQL error as the gateway sends it. */
export type GraphQLErrorBody = {
  message?: unknown;
  path?: unknown;
  extensions?: {
    code?: unknown;
    requestId?: unknown;
    retryable?: unknown;
    details?: unknown;
  };
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isCode = (value: unknown): value is MissionControlErrorCode =>
  typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);

/** A coded error from Mission Control, or from reaching it. */
export class MissionControlError extends Error {
  readonly code: MissionControlErrorCode;
  /** Quote it when asking about an error: the server logged its side under it. */
  readonly requestId: string | null;
  /** Whether sending the same request again later may succeed. */
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | null;

  constructor(init: MissionControlErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'MissionControlError';
    this.code = init.code;
    this.requestId = init.requestId ?? null;
    this.retryable = init.retryable ?? false;
    this.details = init.details ?? null;
  }

  /** How long the server asked to wait before trying again (LIMIT_EXCEEDED), if it said. */
  get retryAfterMs(): number | null {
    const seconds = this.details?.retryAfterSeconds;
    return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0
      ? seconds * 1000
      : null;
  }

  /**
   * The error of a GraphQL `errors` entry. A code this SDK does not know (a newer server) counts
   * as INTERNAL_ERROR, its own code kept in `details.serverCode`.
   */
  static fromGraphQLError(error: GraphQLErrorBody, fallbackRequestId?: string | null) {
    const extensions = isRecord(error.extensions) ? error.extensions : {};
    const known = isCode(extensions.code);
    const details = isRecord(extensions.details) ? { ...extensions.details } : null;
    return new MissionControlError({
      code: known ? (extensions.code as MissionControlErrorCode) : 'INTERNAL_ERROR',
      message: typeof error.message === 'string' ? error.message : 'Request failed',
      requestId:
        typeof extensions.requestId === 'string' ? extensions.requestId : fallbackRequestId,
      retryable: extensions.retryable === true,
      details:
        known || extensions.code === undefined
          ? details
          : { ...details, serverCode: extensions.code },
    });
  }

  /** An HTTP answer without GraphQL errors in it (a proxy's page, an empty 502…). */
  static fromHttpStatus(status: number, requestId: string | null, retryAfter: string | null) {
    const seconds = retryAfter === null ? NaN : Number(retryAfter);
    const details = Number.isFinite(seconds) ? { retryAfterSeconds: seconds } : null;
    if (status === 401) {
      return new MissionControlError({
        code: 'UNAUTHENTICATED',
        message: 'Not signed in (HTTP 401)',
        requestId,
      });
    }
    if (status === 429 || status === 503) {
      return new MissionControlError({
        code: 'LIMIT_EXCEEDED',
        message: `The server is busy (HTTP ${status})`,
        requestId,
        retryable: true,
        details,
      });
    }
    return new MissionControlError({
      code: 'INTERNAL_ERROR',
      message: `Unexpected answer from the server (HTTP ${status})`,
      requestId,
      // A gateway or proxy between us and the service failed: it may be back in a moment.
      retryable: status >= 500,
      details,
    });
  }

  /** The server could not be reached, or the answer was cut off. */
  static network(cause: unknown): MissionControlError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new MissionControlError({
      code: 'NETWORK_ERROR',
      message: `Mission Control could not be reached: ${reason}`,
      retryable: true,
      cause,
    });
  }
}

export const isMissionControlError = (
  error: unknown,
  code?: MissionControlErrorCode,
): error is MissionControlError =>
  error instanceof MissionControlError && (code === undefined || error.code === code);
