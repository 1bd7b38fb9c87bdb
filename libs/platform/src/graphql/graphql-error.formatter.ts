import { AppError, ErrorCode, toPublicError } from '@mission-control/errors';

/**
 * The parts of graphql-js / Apollo Server types this module reads, written out so the platform
 * library does not depend on either package: any GraphQL server passing these shapes can use it.
 */
export type FormattedGraphQLError = {
  message: string;
  locations?: readonly { line: number; column: number }[];
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
};

type RequestLike = { id?: unknown; headers?: Record<string, unknown> };

export type GraphQLErrorLogger = {
  error(fields: Record<string, unknown>, message: string): void;
};

const UNKNOWN_REQUEST = 'unknown';

/** Codes graphql-js and Apollo give errors about the operation itself; their messages are safe. */
const OPERATION_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

const codeOf = (extensions: Record<string, unknown> | undefined): string =>
  typeof extensions?.code === 'string' ? extensions.code : '';

type ZodLike = { name: 'ZodError'; issues: { path: PropertyKey[]; message: string }[] };

const isZodError = (error: unknown): error is ZodLike =>
  error instanceof Error &&
  error.name === 'ZodError' &&
  Array.isArray((error as Partial<ZodLike>).issues);

/** The error a resolver threw, under the GraphQLError layers the server wrapped it in. */
export function originalErrorOf(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 10; depth += 1) {
    const inner =
      typeof current === 'object' && current !== null && 'originalError' in current
        ? (current as { originalError?: unknown }).originalError
        : undefined;
    if (inner === undefined || inner === null) {
      return current;
    }
    current = inner;
  }
  return current;
}

/** The coded error a client may see, or undefined when it must be masked as INTERNAL_ERROR. */
function publicCodeOf(
  formatted: FormattedGraphQLError,
  original: unknown,
  requestId: string,
):
  | { code: ErrorCode; message: string; retryable: boolean; details?: Record<string, unknown> }
  | undefined {
  if (isZodError(original)) {
    return {
      code: ErrorCode.VALIDATION_ERROR,
      message: original.issues
        .map((issue) => `${issue.path.map(String).join('.') || 'input'}: ${issue.message}`)
        .join('; '),
      retryable: false,
    };
  }
  const isOperationError =
    !(original instanceof Error) || original.name === 'GraphQLError'
      ? OPERATION_ERROR_CODES.has(codeOf(formatted.extensions))
      : false;
  if (isOperationError) {
    return { code: ErrorCode.VALIDATION_ERROR, message: formatted.message, retryable: false };
  }
  const result = toPublicError(original, requestId);
  if (result.internal) {
    return undefined;
  }
  const { code, message, retryable, details } = result.body.error;
  return { code, message, retryable, ...(details ? { details } : {}) };
}

/**
 * Apollo `formatError`: an AppError (or a zod or framework client error, or a problem with the
 * operation itself) keeps its P5 code and message; anything else becomes INTERNAL_ERROR with a
 * generic message and no stack, SQL or other internals. `extensions` carries `code`, `retryable`,
 * `requestId` (stamped by {@link graphQLRequestIdPlugin}) and, for coded errors, `details`.
 */
export function formatGraphQLError(
  formatted: FormattedGraphQLError,
  error: unknown,
): FormattedGraphQLError {
  const stamped = formatted.extensions?.requestId;
  const requestId = typeof stamped === 'string' ? stamped : UNKNOWN_REQUEST;
  const original = originalErrorOf(error);
  const coded = publicCodeOf(formatted, original, requestId);
  const where = {
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
  if (!coded) {
    const masked = toPublicError(original, requestId).body.error;
    return {
      message: masked.message,
      ...where,
      extensions: { code: masked.code, requestId, retryable: masked.retryable },
    };
  }
  return {
    message: coded.message,
    ...where,
    extensions: {
      code: coded.code,
      requestId,
      retryable: coded.retryable,
      ...(coded.details ? { details: coded.details } : {}),
    },
  };
}

/** The request id pino-http gave the request, else a well-formed incoming x-request-id. */
export function requestIdOfRequest(request: unknown): string {
  if (typeof request !== 'object' || request === null) {
    return UNKNOWN_REQUEST;
  }
  const { id, headers } = request as RequestLike;
  if (typeof id === 'string' || typeof id === 'number') {
    return String(id);
  }
  const header = headers?.['x-request-id'];
  return typeof header === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(header)
    ? header
    : UNKNOWN_REQUEST;
}

type ErrorWithExtensions = { extensions?: Record<string, unknown> };

type PluginContext = {
  contextValue?: unknown;
  errors?: readonly unknown[];
  response?: {
    body?: { kind?: string; singleResult?: { errors?: readonly FormattedGraphQLError[] } };
  };
};

/** Whatever object the server's context is built from: `{ req }` in NestJS GraphQL. */
const requestOfContext = (contextValue: unknown): unknown =>
  typeof contextValue === 'object' && contextValue !== null && 'req' in contextValue
    ? contextValue.req
    : undefined;

/**
 * An Apollo Server plugin that puts the request id on every error (formatError has no access to
 * the request) and logs each error that will be masked, with its stack and the request id, so a
 * client quoting the id leads to the cause.
 */
export function graphQLRequestIdPlugin(logger?: GraphQLErrorLogger) {
  return {
    // eslint-disable-next-line @typescript-eslint/require-await -- Apollo expects a promise
    async requestDidStart(start: PluginContext) {
      const requestId = requestIdOfRequest(requestOfContext(start.contextValue));
      return {
        // eslint-disable-next-line @typescript-eslint/require-await -- Apollo expects a promise
        async didEncounterErrors(context: PluginContext): Promise<void> {
          for (const error of context.errors ?? []) {
            const withExtensions = error as ErrorWithExtensions;
            if (withExtensions.extensions && typeof withExtensions.extensions === 'object') {
              withExtensions.extensions.requestId = requestId;
            }
            const original = originalErrorOf(error);
            const internal =
              !(original instanceof AppError) && toPublicError(original, requestId).internal;
            const operation = OPERATION_ERROR_CODES.has(codeOf(withExtensions.extensions));
            if (internal && !operation && !isZodError(original)) {
              logger?.error({ err: original, requestId }, 'unhandled GraphQL error');
            }
          }
        },
        // eslint-disable-next-line @typescript-eslint/require-await -- Apollo expects a promise
        async willSendResponse(context: PluginContext): Promise<void> {
          const body = context.response?.body;
          for (const error of body?.kind === 'single' ? (body.singleResult?.errors ?? []) : []) {
            (error as { extensions?: Record<string, unknown> }).extensions = {
              ...error.extensions,
              requestId,
            };
          }
        },
      };
    },
  };
}
