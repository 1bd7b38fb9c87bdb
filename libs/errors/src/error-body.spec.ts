import { AppError } from './app-error';
import { toPublicError } from './error-body';

class FakeHttpException extends Error {
  constructor(
    private readonly status: number,
    private readonly response: unknown,
  ) {
    super('http');
  }
  getStatus() {
    return this.status;
  }
  getResponse() {
    return this.response;
  }
}

describe('toPublicError', () => {
  it('keeps the code, message and details of a coded error', () => {
    const result = toPublicError(AppError.notFound('Mission', { missionId: 'm1' }), 'req-1');
    expect(result.status).toBe(404);
    expect(result.internal).toBe(false);
    expect(result.body).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: 'Mission not found',
        requestId: 'req-1',
        retryable: false,
        details: { missionId: 'm1' },
      },
    });
  });

  it('marks conflicts and limits as retryable', () => {
    expect(toPublicError(AppError.conflict('stale'), 'r').body.error.retryable).toBe(true);
    expect(toPublicError(AppError.limitExceeded('slow down'), 'r').status).toBe(429);
  });

  it('maps framework client errors to coded errors', () => {
    const result = toPublicError(
      new FakeHttpException(400, { message: ['title must be a string', 'priority is required'] }),
      'req-2',
    );
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('VALIDATION_ERROR');
    expect(result.body.error.message).toBe('title must be a string; priority is required');
    expect(toPublicError(new FakeHttpException(404, 'Cannot GET /nope'), 'r').body.error.code).toBe(
      'NOT_FOUND',
    );
  });

  it('never leaks the message or stack of an unexpected error', () => {
    const result = toPublicError(new Error('relation "identity.users" does not exist'), 'req-3');
    expect(result.status).toBe(500);
    expect(result.internal).toBe(true);
    expect(result.body.error.code).toBe('INTERNAL_ERROR');
    expect(JSON.stringify(result.body)).not.toMatch(/relation|identity\.users|at /);
    expect(result.body.error.requestId).toBe('req-3');
  });
});
