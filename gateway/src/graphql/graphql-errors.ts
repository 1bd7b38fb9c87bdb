import { AppError, ErrorCode, isRetryable, toPublicError } from '@mission-control/errors';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';

export type PublicGraphQLExtensions = {
  code: ErrorCode;
  requestId: string;
  retryable: boolean;
  details?: Record<string, unknown>;
};

/** A GraphQL error as a client sees it: P5 code, this request's id, retryable, nothing else. */
export type PublicGraphQLError = GraphQLFormattedError & { extensions: PublicGraphQLExtensions };

const errorCodes = new Set<string>(Object.values(ErrorCode));
const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'string' && errorCodes.has(value);

// Codes Apollo gives a request it refuses before execution: the client sent something wrong.
const clientErrorCodes = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const INTERNAL_MESSAGE = toPublicError(new Error('internal'), '').body.error.message;

/** graphql-js prefixes document errors; clients read the reason, not the phase. */
const withoutPhase = (message: string) => message.replace(/^Syntax Error: /, '');

/**
 * Shapes one error for the client. Coded errors (ours and the subgraphs', which already mask their
 * internals) keep code, message and details; Apollo's request errors become VALIDATION_ERROR; any
 * other error is INTERNAL_ERROR with a generic message, and `internal` tells the caller to log it.
 */
export function toPublicGraphQLError(
  formatted: GraphQLFormattedError,
  requestId: string,
): { error: PublicGraphQLError; internal: boolean } {
  const extensions = formatted.extensions ?? {};
  const code = extensions.code;
  const where = {
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
  if (isErrorCode(code)) {
    const retryable =
      typeof extensions.retryable === 'boolean' ? extensions.retryable : isRetryable(code);
    return {
      internal: false,
      error: {
        message: formatted.message,
        ...where,
        extensions: {
          code,
          requestId,
          retryable,
          ...(isRecord(extensions.details) ? { details: extensions.details } : {}),
        },
      },
    };
  }
  if (typeof code === 'string' && clientErrorCodes.has(code)) {
    return {
      internal: false,
      error: {
        message: withoutPhase(formatted.message),
        ...where,
        extensions: {
          code: ErrorCode.VALIDATION_ERROR,
          requestId,
          retryable: false,
          // Apollo re-codes validation rule errors; the limit a rule named is still worth keeping.
          ...(isRecord(extensions.details) ? { details: extensions.details } : {}),
        },
      },
    };
  }
  return {
    internal: true,
    error: {
      message: INTERNAL_MESSAGE,
      ...where,
      extensions: { code: ErrorCode.INTERNAL_ERROR, requestId, retryable: true },
    },
  };
}

/** An error raised at the edge before GraphQL runs (auth, batch size), in the GraphQL shape. */
export function edgeError(
  error: unknown,
  requestId: string,
): { status: number; error: PublicGraphQLError; internal: boolean } {
  const result = toPublicError(error, requestId);
  const { code, message, retryable, details } = result.body.error;
  return {
    status: result.status,
    internal: result.internal,
    error: {
      message,
      extensions: { code, requestId, retryable, ...(details ? { details } : {}) },
    },
  };
}

/** A coded GraphQL error for the pipeline; the extensions survive formatting unchanged. */
export function codedGraphQLError(error: AppError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: {
      code: error.code,
      retryable: error.retryable,
      ...(Object.keys(error.details).length > 0 ? { details: error.details } : {}),
    },
  });
}

/** A subgraph that cannot be reached or answers garbage: the client may retry. */
export const subgraphUnavailable = (): GraphQLError =>
  codedGraphQLError(
    new AppError(
      ErrorCode.INTERNAL_ERROR,
      'Part of the graph is unavailable right now; try again shortly.',
      {},
      { retryable: true },
    ),
  );
