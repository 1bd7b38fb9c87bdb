import { AppError, type ErrorBody, httpStatusOf, toPublicError } from '@mission-control/errors';
import type { z } from 'zod';
import type { PublicGraphQLError } from '../graphql/graphql-errors';
import type { RestInput, RestRoute } from './rest-route';
import { IdempotencyHeaders } from './rest-schemas';

/** An error as REST v1 answers it: the status its code has, the one error body, Retry-After. */
export type RestError = {
  status: number;
  body: ErrorBody;
  /** Seconds for the Retry-After header: a retryable LIMIT_EXCEEDED that says when. */
  retryAfterSeconds?: number;
  /** Unexpected: to be logged with the request id. */
  internal: boolean;
};

/** What of an HTTP request a route reads. */
export type RestRequestParts = {
  params: unknown;
  query: unknown;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
};

const retryAfterOf = (
  retryable: boolean,
  details: Record<string, unknown> | undefined,
): number | undefined => {
  const seconds = details?.retryAfterSeconds;
  return retryable && typeof seconds === 'number' && seconds > 0 ? Math.ceil(seconds) : undefined;
};

/** A GraphQL error of the operation (already public: coded, this request's id) as REST answers it. */
export function restErrorOfGraphql(error: PublicGraphQLError): RestError {
  const { code, requestId, retryable, details } = error.extensions;
  const retryAfterSeconds =
    code === 'LIMIT_EXCEEDED' ? retryAfterOf(retryable, details) : undefined;
  return {
    status: httpStatusOf(code),
    internal: false,
    body: {
      error: {
        code,
        message: error.message,
        requestId,
        retryable,
        ...(details ? { details } : {}),
      },
    },
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  };
}

/** Anything thrown on the way (a refused token, a spent rate limit, a bug) as REST answers it. */
export function restErrorOfThrown(error: unknown, requestId: string): RestError {
  const { status, body, internal } = toPublicError(error, requestId);
  const retryAfterSeconds =
    body.error.code === 'LIMIT_EXCEEDED'
      ? retryAfterOf(body.error.retryable, body.error.details)
      : undefined;
  return {
    status,
    body,
    internal,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  };
}

/** `lines.0.text` → `lines[0].text`, as a person reading the message writes it. */
const fieldPath = (path: readonly PropertyKey[]): string =>
  path
    .map((key, index) =>
      typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`,
    )
    .join('');

function parsePart<T extends z.ZodType>(
  schema: T,
  value: unknown,
  location: 'path' | 'query' | 'body' | 'header',
): z.output<T> {
  if (location === 'body' && value === undefined) {
    const message = 'A JSON body is required (content-type: application/json)';
    throw AppError.validation(message, { in: 'body', fields: [{ path: '', message }] });
  }
  const result = schema.safeParse(value);
  if (result.success) {
    return result.data;
  }
  const issue = result.error.issues[0];
  const field = issue ? fieldPath(issue.path) : '';
  const where = field === '' ? location : `${location === 'body' ? '' : `${location} `}${field}`;
  throw AppError.validation(`${where}: ${issue?.message ?? 'invalid'}`, {
    in: location,
    ...(field === '' ? {} : { field }),
    // Every problem, in the shape the services give theirs.
    fields: result.error.issues.map(({ path, message }) => ({
      path: path.map(String).join('.'),
      message,
    })),
  });
}

/**
 * The Idempotency-Key header as the operation's `idempotencyKey` argument: undefined when absent,
 * VALIDATION_ERROR naming the header when it is malformed or sent twice.
 */
export function idempotencyKeyOf(
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  // Node gives header names in lower case; the document spells this one as people write it.
  return parsePart(IdempotencyHeaders, { 'Idempotency-Key': headers['idempotency-key'] }, 'header')[
    'Idempotency-Key'
  ];
}

/**
 * The route's input, read with its schemas; the first problem is a VALIDATION_ERROR naming the
 * field (`details.field`) and where it was (`details.in`).
 */
export function parseRestInput(
  route: RestRoute,
  request: RestRequestParts,
): RestInput<z.ZodObject, z.ZodObject, z.ZodType> {
  const { params, query, body } = route.request;
  return {
    params: params ? parsePart(params, request.params, 'path') : {},
    query: query ? parsePart(query, request.query ?? {}, 'query') : {},
    body: body ? parsePart(body, request.body, 'body') : undefined,
    idempotencyKey: route.idempotent ? idempotencyKeyOf(request.headers) : undefined,
  };
}
