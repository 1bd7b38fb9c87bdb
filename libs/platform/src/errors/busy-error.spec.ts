import { AppError, ErrorCode } from '@mission-control/errors';
import { asBusyError } from './busy-error';

describe('asBusyError', () => {
  it('makes a connection wait that ran out a retryable LIMIT_EXCEEDED', () => {
    for (const error of [
      new Error('timeout exceeded when trying to connect'),
      new Error('query failed', { cause: new Error('timeout exceeded when trying to connect') }),
      Object.assign(new Error('Timed out fetching a new connection from the connection pool'), {
        code: 'P2024',
      }),
    ]) {
      const busy = asBusyError(error);
      expect(busy).toBeInstanceOf(AppError);
      expect(busy).toMatchObject({
        code: ErrorCode.LIMIT_EXCEEDED,
        retryable: true,
        details: { retryAfterSeconds: 1 },
      });
    }
  });

  it('leaves every other error as it is', () => {
    const broken = new Error('relation "missions" does not exist');
    const coded = AppError.notFound('Mission');
    expect(asBusyError(broken)).toBe(broken);
    expect(asBusyError(coded)).toBe(coded);
    expect(asBusyError(null)).toBeNull();
  });
});
