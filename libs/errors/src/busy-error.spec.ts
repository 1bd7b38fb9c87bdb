import { AppError } from './app-error';
import { busyError } from './busy-error';
import { toPublicError } from './error-body';
import { ErrorCode } from './error-code';

describe('busyError', () => {
  it('makes a connection wait that ran out a retryable LIMIT_EXCEEDED', () => {
    for (const error of [
      new Error('timeout exceeded when trying to connect'),
      new Error('query failed', { cause: new Error('timeout exceeded when trying to connect') }),
      Object.assign(new Error('Timed out fetching a new connection from the connection pool'), {
        code: 'P2024',
      }),
      Object.assign(new Error('Unable to start a transaction in the given time.'), {
        code: 'P2028',
      }),
    ]) {
      const busy = busyError(error);
      expect(busy).toBeInstanceOf(AppError);
      expect(busy).toMatchObject({
        code: ErrorCode.LIMIT_EXCEEDED,
        retryable: true,
        details: { retryAfterSeconds: 1 },
      });
    }
  });

  it('leaves every other error as it is', () => {
    expect(busyError(new Error('relation "missions" does not exist'))).toBeNull();
    expect(
      busyError(Object.assign(new Error('Transaction already closed'), { code: 'P2028' })),
    ).toBeNull();
    expect(busyError(AppError.notFound('Mission'))).toBeNull();
    expect(busyError(null)).toBeNull();
  });

  it('is what a client hears of such a wait, not INTERNAL_ERROR', () => {
    const { internal, body } = toPublicError(
      new Error('timeout exceeded when trying to connect'),
      'req-1',
    );
    expect(internal).toBe(false);
    expect(body.error).toMatchObject({
      code: ErrorCode.LIMIT_EXCEEDED,
      retryable: true,
      requestId: 'req-1',
    });
  });
});
