import { AppError } from './app-error';

/**
 * Every database connection stayed busy for as long as a caller may wait: Prisma's pool giving up
 * (P2024) or its transaction not starting in time (P2028), or pg-pool's own time-out (a query
 * outside a transaction, or a pool that gave up before the transaction's wait).
 */
function isConnectionWait(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 5; depth += 1) {
    const { code, message } = cause as { code?: unknown; message?: unknown };
    const text = typeof message === 'string' ? message : '';
    if (
      code === 'P2024' ||
      (code === 'P2028' && /unable to start a transaction/i.test(text)) ||
      text.includes('timeout exceeded when trying to connect')
    ) {
      return true;
    }
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * What a connection wait that ran out means to a client: the service is busy, not broken, and the
 * same request may be sent again (LIMIT_EXCEEDED, retryable). Null for any other error.
 */
export function busyError(error: unknown): AppError | null {
  return !(error instanceof AppError) && isConnectionWait(error)
    ? AppError.limitExceeded('The service is busy: try again in a moment', {
        retryAfterSeconds: 1,
      })
    : null;
}
