import { MissionControlError } from './mission-control.error';

describe('MissionControlError', () => {
  it('is built from a GraphQL error’s extensions: code, message, request id, retryable, details', () => {
    const error = MissionControlError.fromGraphQLError({
      message: 'Too many heartbeats',
      extensions: {
        code: 'LIMIT_EXCEEDED',
        requestId: 'req-1',
        retryable: true,
        details: { retryAfterSeconds: 7, limitPerMinute: 6 },
      },
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      message: 'Too many heartbeats',
      requestId: 'req-1',
      retryable: true,
      details: { retryAfterSeconds: 7, limitPerMinute: 6 },
    });
    expect(error.retryAfterMs).toBe(7_000);
  });

  it('is not retryable unless the server says so, and takes the header’s request id without one', () => {
    const error = MissionControlError.fromGraphQLError(
      { message: 'Missing permission create_missions', extensions: { code: 'FORBIDDEN' } },
      'from-header',
    );
    expect(error).toMatchObject({
      code: 'FORBIDDEN',
      retryable: false,
      requestId: 'from-header',
      details: null,
    });
    expect(error.retryAfterMs).toBeNull();
  });

  it('keeps a code it does not know (a newer server) as INTERNAL_ERROR with the server’s code', () => {
    const error = MissionControlError.fromGraphQLError({
      message: 'Quota',
      extensions: { code: 'QUOTA_GONE', details: { a: 1 } },
    });
    expect(error).toMatchObject({
      code: 'INTERNAL_ERROR',
      details: { a: 1, serverCode: 'QUOTA_GONE' },
    });
  });

  it.each([
    [401, 'UNAUTHENTICATED', false],
    [429, 'LIMIT_EXCEEDED', true],
    [503, 'LIMIT_EXCEEDED', true],
    [502, 'INTERNAL_ERROR', true],
    [404, 'INTERNAL_ERROR', false],
  ] as const)(
    'maps an HTTP %i without GraphQL errors to %s (retryable: %s)',
    (status, code, retryable) => {
      const error = MissionControlError.fromHttpStatus(status, 'r', '3');
      expect(error).toMatchObject({ code, retryable, requestId: 'r' });
    },
  );

  it('takes Retry-After from a busy answer', () => {
    expect(MissionControlError.fromHttpStatus(429, null, '2').retryAfterMs).toBe(2_000);
  });

  it('marks an answer that never came as a retryable NETWORK_ERROR', () => {
    const error = MissionControlError.network(new TypeError('fetch failed'));
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
    expect(error.message).toContain('fetch failed');
  });
});
