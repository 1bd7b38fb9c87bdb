import { ErrorCode, isRetryable } from '@mission-control/errors';

/** Codes the API answers with (PRODUCT P5), plus two for answers that never reached GraphQL. */
export type DemoErrorCode = ErrorCode | 'NETWORK_ERROR' | 'HTTP_ERROR';

/** A failed call, by the code of its first GraphQL error. */
export class DemoApiError extends Error {
  constructor(
    readonly operation: string,
    readonly code: DemoErrorCode,
    /** The API's own message. */
    readonly reason: string,
    readonly retryable: boolean,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(`${operation}: ${reason}`);
    this.name = 'DemoApiError';
  }
}

export const hasCode = (error: unknown, code: DemoErrorCode): error is DemoApiError =>
  error instanceof DemoApiError && error.code === code;

export type FetchLike = typeof fetch;

export type DemoGraphqlClientOptions = {
  fetch?: FetchLike;
  /** A hung gateway must not hold a tick (or stop()) for ever. */
  timeoutMs?: number;
};

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asCode = (value: unknown): ErrorCode =>
  typeof value === 'string' && value in ErrorCode ? (value as ErrorCode) : 'INTERNAL_ERROR';

/** A rate limit says when to come back in `extensions.details.retryAfterSeconds`. */
function retryAfterOf(extensions: Json): number | null {
  const details = isRecord(extensions.details) ? extensions.details : {};
  const value = details.retryAfterSeconds;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

function errorOf(operation: string, first: unknown): DemoApiError {
  const error = isRecord(first) ? first : {};
  const extensions = isRecord(error.extensions) ? error.extensions : {};
  const code = asCode(extensions.code);
  const message = typeof error.message === 'string' ? error.message : 'failed';
  const retryable =
    typeof extensions.retryable === 'boolean' ? extensions.retryable : isRetryable(code);
  return new DemoApiError(operation, code, message, retryable, retryAfterOf(extensions));
}

const describe = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** GraphQL over HTTP against the gateway, as any client calls it: data, or a coded error. */
export class DemoGraphqlClient {
  private readonly endpoint: string;
  private readonly fetch: FetchLike;
  private readonly timeoutMs: number;

  constructor(gatewayUrl: string, options: DemoGraphqlClientOptions = {}) {
    this.endpoint = `${gatewayUrl.replace(/\/+$/, '')}/graphql`;
    this.fetch = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  async request<T>(
    operation: string,
    query: string,
    variables: Json = {},
    token?: string,
  ): Promise<T> {
    let response: Response;
    try {
      response = await this.fetch(this.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new DemoApiError(operation, 'NETWORK_ERROR', describe(error), true);
    }
    // Coded errors come with 4xx and 5xx statuses too, so the body is read whatever the status.
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new DemoApiError(
        operation,
        'HTTP_ERROR',
        `HTTP ${response.status} without a GraphQL answer`,
        true,
      );
    }
    if (!isRecord(body)) {
      throw new DemoApiError(operation, 'HTTP_ERROR', `HTTP ${response.status}: not JSON`, true);
    }
    if (Array.isArray(body.errors) && body.errors.length > 0) {
      throw errorOf(operation, body.errors[0]);
    }
    if (!isRecord(body.data)) {
      throw new DemoApiError(operation, 'INTERNAL_ERROR', 'an answer without data', true);
    }
    return body.data as T;
  }
}
