import { ErrorCode } from '@mission-control/errors';
import { fieldLabel, fieldMessage, messageForPeople } from './error-words';

/** The error codes the API answers with (PRODUCT P5), plus NETWORK_ERROR when it was not reached. */
export type ApiErrorCode = ErrorCode | 'NETWORK_ERROR';

export type FieldProblem = { path: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly requestId: string | null,
    readonly retryable: boolean,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isApiErrorCode = (value: unknown): value is ApiErrorCode =>
  typeof value === 'string' && (value in ErrorCode || value === 'NETWORK_ERROR');

function fieldsOf(details: unknown): FieldProblem[] {
  if (!isRecord(details) || !Array.isArray(details.fields)) {
    return [];
  }
  return details.fields.flatMap((field: unknown) =>
    isRecord(field) && typeof field.path === 'string' && typeof field.message === 'string'
      ? [{ path: field.path, message: field.message }]
      : [],
  );
}

/**
 * The first coded error of a GraphQL `errors` array (or a `{ code, message, requestId }` body from
 * our session routes). Anything uncoded counts as INTERNAL_ERROR and keeps no message of its own.
 */
export function apiErrorFrom(raw: unknown, fallbackRequestId: string | null = null): ApiError {
  const first: unknown = Array.isArray(raw) ? raw[0] : raw;
  if (!isRecord(first)) {
    return new ApiError('INTERNAL_ERROR', 'Something went wrong', fallbackRequestId, true);
  }
  const extensions = isRecord(first.extensions) ? first.extensions : first;
  const code = extensions.code;
  const requestId =
    typeof extensions.requestId === 'string' ? extensions.requestId : fallbackRequestId;
  if (!isApiErrorCode(code)) {
    return new ApiError('INTERNAL_ERROR', 'Something went wrong', requestId, true);
  }
  const message = typeof first.message === 'string' ? first.message : 'Something went wrong';
  const retryable =
    typeof extensions.retryable === 'boolean'
      ? extensions.retryable
      : code === 'INTERNAL_ERROR' || code === 'NETWORK_ERROR';
  return new ApiError(code, message, requestId, retryable, fieldsOf(extensions.details));
}

/** A field's problem as a person reads it: "Title", "must not be empty". */
export type ShownFieldProblem = { label: string; message: string };

export type DisplayError = {
  title: string;
  /** Empty when the field problems say it all. */
  message: string;
  requestId: string | null;
  fields: ShownFieldProblem[];
};

const TITLES: Record<ApiErrorCode, string> = {
  VALIDATION_ERROR: 'Please check what you entered',
  NOT_FOUND: 'Not found',
  CONFLICT: 'That clashes with something that changed',
  FORBIDDEN: 'You are not allowed to do that',
  UNAUTHENTICATED: 'Not signed in',
  LIMIT_EXCEEDED: 'Slow down a little',
  INTERNAL_ERROR: 'Something went wrong on our side',
  NETWORK_ERROR: 'Mission Control could not be reached',
};

/**
 * What a person sees for an error. Coded messages are shown with raw field paths replaced by the
 * fields' names; a message that only lists field problems gives way to the list. Internal and
 * unknown errors get a generic sentence, never their own text.
 */
export function formatError(error: unknown): DisplayError {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'INTERNAL_ERROR':
        return {
          title: TITLES.INTERNAL_ERROR,
          message: 'Please try again in a moment.',
          requestId: error.requestId,
          fields: [],
        };
      case 'NETWORK_ERROR':
        return {
          title: TITLES.NETWORK_ERROR,
          message: 'Check your connection and try again.',
          requestId: error.requestId,
          fields: [],
        };
      case 'VALIDATION_ERROR':
      case 'NOT_FOUND':
      case 'CONFLICT':
      case 'FORBIDDEN':
      case 'UNAUTHENTICATED':
      case 'LIMIT_EXCEEDED': {
        const fields = error.fields.map((field) => ({
          label: fieldLabel(field.path),
          message: fieldMessage(field.message),
        }));
        const message = messageForPeople(error.message);
        const listed = fields.map((field) => `${field.label}: ${field.message}`).join('; ');
        return {
          title: TITLES[error.code],
          message: fields.length > 0 && message === listed ? '' : message,
          requestId: error.requestId,
          fields,
        };
      }
    }
  }
  return {
    title: TITLES.INTERNAL_ERROR,
    message: 'Please try again in a moment.',
    requestId: null,
    fields: [],
  };
}

/** Whether asking again may help: React Query's retry policy. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  return failureCount < 2 && error instanceof ApiError && error.retryable;
}
