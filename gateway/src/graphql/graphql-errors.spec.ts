import { AppError } from '@mission-control/errors';
import { edgeError, toPublicGraphQLError } from './graphql-errors';

describe('toPublicGraphQLError', () => {
  it('keeps a coded error and replaces its request id with this request', () => {
    const result = toPublicGraphQLError(
      {
        message: 'Mission was changed by someone else',
        path: ['moveMission'],
        extensions: {
          code: 'CONFLICT',
          requestId: 'subgraph-id',
          retryable: true,
          details: { expectedVersion: 3 },
          serviceName: 'mission',
          stacktrace: ['at Pool.connect'],
        },
      },
      'req-1',
    );
    expect(result).toEqual({
      internal: false,
      error: {
        message: 'Mission was changed by someone else',
        path: ['moveMission'],
        extensions: {
          code: 'CONFLICT',
          requestId: 'req-1',
          retryable: true,
          details: { expectedVersion: 3 },
        },
      },
    });
  });

  it('fills retryable from the code when a subgraph left it out', () => {
    const result = toPublicGraphQLError({ message: 'no', extensions: { code: 'FORBIDDEN' } }, 'r');
    expect(result.error.extensions.retryable).toBe(false);
  });

  it("maps Apollo's request errors to VALIDATION_ERROR", () => {
    const result = toPublicGraphQLError(
      {
        message: 'Syntax Error: Expected Name, found <EOF>.',
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      },
      'r',
    );
    expect(result.error).toEqual({
      message: 'Expected Name, found <EOF>.',
      extensions: { code: 'VALIDATION_ERROR', requestId: 'r', retryable: false },
    });
  });

  it('turns anything uncoded into INTERNAL_ERROR without its message', () => {
    for (const code of [undefined, 'INTERNAL_SERVER_ERROR', 'DOWNSTREAM_SERVICE_ERROR']) {
      const result = toPublicGraphQLError(
        { message: 'relation "identity.users" does not exist', extensions: code ? { code } : {} },
        'req-9',
      );
      expect(result.internal).toBe(true);
      expect(result.error.extensions).toEqual({
        code: 'INTERNAL_ERROR',
        requestId: 'req-9',
        retryable: true,
      });
      expect(result.error.message).not.toMatch(/relation|identity/);
    }
  });
});

describe('edgeError', () => {
  it('gives an AppError its HTTP status and GraphQL shape', () => {
    expect(edgeError(AppError.unauthenticated('Token expired'), 'req-2')).toEqual({
      status: 401,
      internal: false,
      error: {
        message: 'Token expired',
        extensions: { code: 'UNAUTHENTICATED', requestId: 'req-2', retryable: false },
      },
    });
  });

  it('hides an unexpected failure', () => {
    const result = edgeError(new Error('JWKS fetch to 10.1.2.3 failed'), 'req-3');
    expect(result.status).toBe(500);
    expect(result.internal).toBe(true);
    expect(JSON.stringify(result.error)).not.toContain('10.1.2.3');
  });
});
