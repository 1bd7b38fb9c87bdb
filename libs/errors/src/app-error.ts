import { ErrorCode, isRetryable } from './error-code';

export type ErrorDetails = Record<string, unknown>;

/**
 * A coded failure a caller is meant to see. Anything that is not an AppError reaching an edge is
 * reported as INTERNAL_ERROR with no message of its own.
 */
export class AppError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
    options: { cause?: unknown; retryable?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.retryable = options.retryable ?? isRetryable(code);
  }

  static validation(message: string, details?: ErrorDetails) {
    return new AppError(ErrorCode.VALIDATION_ERROR, message, details);
  }
  static notFound(what: string, details?: ErrorDetails) {
    return new AppError(ErrorCode.NOT_FOUND, `${what} not found`, details);
  }
  static conflict(message: string, details?: ErrorDetails) {
    return new AppError(ErrorCode.CONFLICT, message, details);
  }
  static forbidden(message = 'You may not do this', details?: ErrorDetails) {
    return new AppError(ErrorCode.FORBIDDEN, message, details);
  }
  static unauthenticated(message = 'Authentication required', details?: ErrorDetails) {
    return new AppError(ErrorCode.UNAUTHENTICATED, message, details);
  }
  static limitExceeded(message: string, details?: ErrorDetails) {
    return new AppError(ErrorCode.LIMIT_EXCEEDED, message, details);
  }
}
