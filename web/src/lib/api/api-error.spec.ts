import { ApiError, apiErrorFrom, formatError, shouldRetry } from './api-error';

describe('apiErrorFrom', () => {
  it('reads the code, message, request id and field problems of the first GraphQL error', () => {
    const error = apiErrorFrom([
      {
        message: 'title: must not be empty',
        extensions: {
          code: 'VALIDATION_ERROR',
          requestId: 'req-1',
          retryable: false,
          details: { fields: [{ path: 'title', message: 'must not be empty' }] },
        },
      },
      { message: 'second', extensions: { code: 'NOT_FOUND' } },
    ]);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.message).toBe('title: must not be empty');
    expect(error.requestId).toBe('req-1');
    expect(error.retryable).toBe(false);
    expect(error.fields).toEqual([{ path: 'title', message: 'must not be empty' }]);
  });

  it('reads the flat body the session routes answer with', () => {
    const error = apiErrorFrom({
      code: 'UNAUTHENTICATED',
      message: 'Invalid email or password',
      requestId: 'r2',
    });
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.requestId).toBe('r2');
  });

  it('treats an uncoded error as internal and drops its message', () => {
    const error = apiErrorFrom([{ message: 'TypeError: x is undefined at resolver.ts:12' }], 'hdr');
    expect(error.code).toBe('INTERNAL_ERROR');
    expect(error.message).not.toContain('resolver');
    expect(error.requestId).toBe('hdr');
    expect(error.retryable).toBe(true);
  });
});

describe('formatError', () => {
  it('shows a coded message with its request id', () => {
    const shown = formatError(
      new ApiError('CONFLICT', 'The mission moved meanwhile', 'req-9', false),
    );
    expect(shown).toEqual({
      title: 'That clashes with something that changed',
      message: 'The mission moved meanwhile',
      requestId: 'req-9',
      fields: [],
    });
  });

  it('never shows the text of an internal error', () => {
    const shown = formatError(
      new ApiError('INTERNAL_ERROR', 'pg: relation missing', 'req-3', true),
    );
    expect(shown.message).toBe('Please try again in a moment.');
    expect(shown.requestId).toBe('req-3');
  });

  it('gives a generic message for errors that are not ApiErrors', () => {
    const shown = formatError(new TypeError('Cannot read properties of undefined'));
    expect(shown.message).toBe('Please try again in a moment.');
    expect(shown.requestId).toBeNull();
  });
});

describe('shouldRetry', () => {
  it('retries retryable errors twice at most', () => {
    const error = new ApiError('INTERNAL_ERROR', 'x', null, true);
    expect(shouldRetry(0, error)).toBe(true);
    expect(shouldRetry(2, error)).toBe(false);
    expect(shouldRetry(0, new ApiError('FORBIDDEN', 'x', null, false))).toBe(false);
  });
});
