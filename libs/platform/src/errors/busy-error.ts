import { AppError } from '@mission-control/errors';

/**
 * Every database connection stayed busy for as long as a caller may wait: pg-pool's own time-out
 * (a query outside a transaction, or a transaction whose pool gave up before its maxWait), or
 * Prisma's P2024. That is the service being busy, not broken: the client may try again.
 */
function isConnectionWait(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 5; depth += 1) {
    const { code, message } = cause as { code?: unknown; message?: unknown };
    if (
      code === 'P2024' ||
      (typeof message === 'string' && message.includes('timeout exceeded when trying to connect'))
    ) {
      return true;
    }
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/** The error as a client should hear it: a connection wait that ran out is LIMIT_EXCEEDED, retryable. */
export function asBusyError(error: unknown): unknown {
  return !(error instanceof AppError) && isConnectionWait(error)
    ? AppError.limitExceeded('The service is busy: try again in a moment', {
        retryAfterSeconds: 1,
      })
    : error;
}
