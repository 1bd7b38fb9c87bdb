import { busyError } from './busy-error';
import { AppError } from './app-error';
import { ErrorCode, errorCodeForHttpStatus, httpStatusOf, isRetryable } from './error-code';

export type ErrorBody = {
  error: {
    code: ErrorCode;
    message: string;
    requestId: string;
    retryable: boolean;
    details?: Record<string, unknown>;
  };
};

export type PublicError = { status: number; body: ErrorBody; internal: boolean };

type HttpLike = { getStatus(): number; getResponse(): unknown };

const isHttpLike = (error: unknown): error is HttpLike =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as Partial<HttpLike>).getStatus === 'function' &&
  typeof (error as Partial<HttpLike>).getResponse === 'function';

/** Framework HTTP errors (NestJS HttpException and friends) carry a message or a list of them. */
function messageOfHttpError(error: HttpLike): string | undefined {
  const response = error.getResponse();
  if (typeof response === 'string') {
    return response;
  }
  if (typeof response === 'object' && response !== null && 'message' in response) {
    const message = response.message;
    if (Array.isArray(message)) {
      return message.map(String).join('; ');
    }
    if (typeof message === 'string') {
      return message;
    }
  }
  return undefined;
}

/**
 * Turns anything thrown into what a client may see. Unknown errors become INTERNAL_ERROR with a
 * generic message: `internal` tells the caller to log the original with the request id.
 */
export function toPublicError(error: unknown, requestId: string): PublicError {
  if (error instanceof AppError) {
    return {
      status: httpStatusOf(error.code),
      internal: false,
      body: {
        error: {
          code: error.code,
          message: error.message,
          requestId,
          retryable: error.retryable,
          ...(Object.keys(error.details).length > 0 ? { details: error.details } : {}),
        },
      },
    };
  }
  const busy = busyError(error);
  if (busy) {
    return toPublicError(busy, requestId);
  }
  if (isHttpLike(error) && error.getStatus() < 500) {
    const status = error.getStatus();
    const code = errorCodeForHttpStatus(status);
    return {
      status,
      internal: false,
      body: {
        error: {
          code,
          message: messageOfHttpError(error) ?? code,
          requestId,
          retryable: isRetryable(code),
        },
      },
    };
  }
  return {
    status: 500,
    internal: true,
    body: {
      error: {
        code: ErrorCode.INTERNAL_ERROR,
        message: 'Something went wrong on our side; quote the request id if you report it.',
        requestId,
        retryable: true,
      },
    },
  };
}
