import { AppError } from '@mission-control/errors';
import { z } from 'zod';
import {
  formatGraphQLError,
  graphQLRequestIdPlugin,
  requestIdOfRequest,
  type FormattedGraphQLError,
} from './graphql-error.formatter';

/** What graphql-js hands formatError: the formatted error and the GraphQLError wrapping the cause. */
function wrapped(cause: unknown, extensions: Record<string, unknown> = {}) {
  const error = Object.assign(new Error(cause instanceof Error ? cause.message : 'boom'), {
    name: 'GraphQLError',
    originalError: cause,
    extensions,
  });
  const formatted: FormattedGraphQLError = {
    message: error.message,
    locations: [{ line: 1, column: 3 }],
    path: ['logIn'],
    extensions: {
      ...extensions,
      code: 'INTERNAL_SERVER_ERROR',
      stacktrace: ['Error: boom', '    at Object.<anonymous> (/srv/app.js:1:1)'],
    },
  };
  return { error, formatted };
}

describe('formatGraphQLError', () => {
  it('keeps the code, message, details and retryable flag of an AppError', () => {
    const { error, formatted } = wrapped(
      AppError.conflict('A workspace keeps one admin', { userId: 'u1' }),
      {
        requestId: 'req-1',
      },
    );
    expect(formatGraphQLError(formatted, error)).toEqual({
      message: 'A workspace keeps one admin',
      locations: [{ line: 1, column: 3 }],
      path: ['logIn'],
      extensions: {
        code: 'CONFLICT',
        requestId: 'req-1',
        retryable: true,
        details: { userId: 'u1' },
      },
    });
  });

  it('maps UNAUTHENTICATED, FORBIDDEN and LIMIT_EXCEEDED as they are', () => {
    for (const appError of [
      AppError.unauthenticated(),
      AppError.forbidden(),
      AppError.limitExceeded('slow down'),
    ]) {
      const { error, formatted } = wrapped(appError);
      expect(formatGraphQLError(formatted, error).extensions?.code).toBe(appError.code);
    }
  });

  it('turns a zod error into VALIDATION_ERROR naming the fields', () => {
    const parsed = z.object({ email: z.email() }).safeParse({ email: 'nope' });
    const { error, formatted } = wrapped(parsed.error);
    const result = formatGraphQLError(formatted, error);
    expect(result.extensions).toMatchObject({ code: 'VALIDATION_ERROR', retryable: false });
    expect(result.message).toMatch(/^email: /);
  });

  it('reports a malformed operation as VALIDATION_ERROR with its own message', () => {
    const error = Object.assign(new Error('Cannot query field "nope" on type "Query".'), {
      name: 'GraphQLError',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    const result = formatGraphQLError(
      { message: error.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
      error,
    );
    expect(result).toEqual({
      message: 'Cannot query field "nope" on type "Query".',
      extensions: { code: 'VALIDATION_ERROR', requestId: 'unknown', retryable: false },
    });
  });

  it('masks anything else as INTERNAL_ERROR without internals', () => {
    const cause = new Error('relation "identity.users" does not exist: SELECT * FROM users');
    const { error, formatted } = wrapped(cause, { requestId: 'req-9' });
    const result = formatGraphQLError(formatted, error);
    expect(result.extensions).toEqual({
      code: 'INTERNAL_ERROR',
      requestId: 'req-9',
      retryable: true,
    });
    expect(JSON.stringify(result)).not.toMatch(/relation|SELECT|stacktrace|app\.js/);
  });
});

describe('graphQLRequestIdPlugin', () => {
  it('stamps the request id on every error and logs the masked ones', async () => {
    const logged: unknown[] = [];
    const plugin = graphQLRequestIdPlugin({ error: (fields) => logged.push(fields) });
    const req = { id: 'req-42', headers: {} };
    const hooks = await plugin.requestDidStart({ contextValue: { req } });
    const coded = wrapped(AppError.forbidden()).error;
    const internal = wrapped(new Error('db down')).error;
    await hooks.didEncounterErrors({ errors: [coded, internal] });
    expect(coded.extensions).toMatchObject({ requestId: 'req-42' });
    expect(logged).toEqual([expect.objectContaining({ requestId: 'req-42' })]);

    const errors: FormattedGraphQLError[] = [{ message: 'x', extensions: { code: 'FORBIDDEN' } }];
    await hooks.willSendResponse({
      response: { body: { kind: 'single', singleResult: { errors } } },
    });
    expect(errors[0]?.extensions).toEqual({ code: 'FORBIDDEN', requestId: 'req-42' });
  });

  it('falls back to a well-formed x-request-id header', () => {
    expect(requestIdOfRequest({ headers: { 'x-request-id': 'abc-1' } })).toBe('abc-1');
    expect(requestIdOfRequest({ headers: { 'x-request-id': 'bad id\n' } })).toBe('unknown');
  });
});
