import { AppError, ErrorCode } from '@mission-control/errors';
import type { PublicGraphQLError } from '../graphql/graphql-errors';
import {
  idempotencyKeyOf,
  parseRestInput,
  restErrorOfGraphql,
  restErrorOfThrown,
} from './rest-mapping';
import { restRoutes } from './rest.routes';

const graphqlError = (
  code: ErrorCode,
  extra: Partial<PublicGraphQLError['extensions']> = {},
): PublicGraphQLError => ({
  message: `a ${code}`,
  path: ['field'],
  extensions: { code, requestId: 'req-1', retryable: false, ...extra },
});

describe('restErrorOfGraphql', () => {
  it.each([
    [ErrorCode.VALIDATION_ERROR, 400],
    [ErrorCode.UNAUTHENTICATED, 401],
    [ErrorCode.FORBIDDEN, 403],
    [ErrorCode.NOT_FOUND, 404],
    [ErrorCode.CONFLICT, 409],
    [ErrorCode.LIMIT_EXCEEDED, 429],
    [ErrorCode.INTERNAL_ERROR, 500],
  ])('answers %s with HTTP %i and the one error body', (code, status) => {
    const sut = restErrorOfGraphql(graphqlError(code, { details: { field: 'title' } }));
    expect(sut).toEqual({
      status,
      internal: false,
      body: {
        error: {
          code,
          message: `a ${code}`,
          requestId: 'req-1',
          retryable: false,
          details: { field: 'title' },
        },
      },
    });
  });

  it('says Retry-After for a retryable limit that names its wait, rounded up', () => {
    const sut = restErrorOfGraphql(
      graphqlError(ErrorCode.LIMIT_EXCEEDED, {
        retryable: true,
        details: { retryAfterSeconds: 2.2 },
      }),
    );
    expect(sut.retryAfterSeconds).toBe(3);
  });

  it('says no Retry-After when waiting cannot help (a budget stop)', () => {
    const budgetStop = graphqlError(ErrorCode.LIMIT_EXCEEDED, {
      retryable: false,
      details: { budgetId: 'b1', retryAfterSeconds: 60 },
    });
    expect(restErrorOfGraphql(budgetStop).retryAfterSeconds).toBeUndefined();
    expect(
      restErrorOfGraphql(graphqlError(ErrorCode.CONFLICT, { retryable: true })),
    ).not.toHaveProperty('retryAfterSeconds');
  });

  it('leaves details out when the graph gave none', () => {
    expect(restErrorOfGraphql(graphqlError(ErrorCode.NOT_FOUND)).body.error).not.toHaveProperty(
      'details',
    );
  });
});

describe('restErrorOfThrown', () => {
  it('answers a spent rate limit at the edge with 429 and Retry-After', () => {
    const sut = restErrorOfThrown(
      AppError.limitExceeded('Too many requests', { retryAfterSeconds: 7 }),
      'req-2',
    );
    expect(sut).toMatchObject({ status: 429, retryAfterSeconds: 7, internal: false });
    expect(sut.body.error).toMatchObject({ code: 'LIMIT_EXCEEDED', requestId: 'req-2' });
  });

  it('answers a refused token with 401', () => {
    expect(restErrorOfThrown(AppError.unauthenticated('Token expired'), 'r').status).toBe(401);
  });

  it('hides an unexpected failure behind INTERNAL_ERROR and marks it for the log', () => {
    const sut = restErrorOfThrown(new Error('connect ECONNREFUSED 10.0.0.7:4003'), 'req-3');
    expect(sut.status).toBe(500);
    expect(sut.internal).toBe(true);
    expect(sut.body.error.code).toBe('INTERNAL_ERROR');
    expect(JSON.stringify(sut.body)).not.toContain('10.0.0.7');
  });
});

describe('idempotencyKeyOf', () => {
  it('maps the Idempotency-Key header to the idempotencyKey argument', () => {
    expect(idempotencyKeyOf({ 'idempotency-key': '3f6c1d2e-key' })).toBe('3f6c1d2e-key');
    expect(idempotencyKeyOf({})).toBeUndefined();
  });

  it.each([
    ['too short', 'short'],
    ['with a space', 'has a space'],
    ['sent twice', ['first-key-1', 'second-key-2']],
  ])('refuses a key %s, naming the header', (_label, value) => {
    expect(() => idempotencyKeyOf({ 'idempotency-key': value })).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_ERROR',
        details: expect.objectContaining({ in: 'header', field: 'Idempotency-Key' }) as object,
      }) as Error,
    );
  });
});

describe('parseRestInput', () => {
  const request = (parts: {
    params?: unknown;
    query?: unknown;
    body?: unknown;
    headers?: Record<string, string>;
  }) => ({
    params: {},
    query: {},
    body: undefined,
    headers: {},
    ...parts,
  });

  it('reads path, query and the idempotency key of a route that takes one', () => {
    const sut = parseRestInput(
      restRoutes.appendRunLog,
      request({
        params: { workspaceId: 'w1', runId: 'r1' },
        body: { lines: [{ text: 'hello' }] },
        headers: { 'idempotency-key': 'chunk-0001' },
      }),
    );
    expect(sut).toEqual({
      params: { workspaceId: 'w1', runId: 'r1' },
      query: {},
      body: { lines: [{ text: 'hello' }] },
      idempotencyKey: 'chunk-0001',
    });
  });

  it('ignores the header on a route the graph gives no key', () => {
    const sut = parseRestInput(
      restRoutes.renewLease,
      request({
        params: { workspaceId: 'w1', missionId: 'm1' },
        headers: { 'idempotency-key': 'x' },
      }),
    );
    expect(sut.idempotencyKey).toBeUndefined();
  });

  it('reads numbers from the query string and fills in defaults', () => {
    const sut = parseRestInput(
      restRoutes.getRun,
      request({ params: { workspaceId: 'w1', runId: 'r1' }, query: { after: '20' } }),
    );
    expect(sut.query).toEqual({ after: 20, first: 500 });
  });

  it.each([
    [
      'a line that is not text',
      restRoutes.appendRunLog,
      request({ params: { workspaceId: 'w', runId: 'r' }, body: { lines: [{ text: 3 }] } }),
      { in: 'body', field: 'lines[0].text' },
    ],
    [
      'a column that does not exist',
      restRoutes.listMissions,
      request({ params: { workspaceId: 'w' }, query: { column: 'LATER' } }),
      { in: 'query', field: 'column' },
    ],
    [
      'a page too big',
      restRoutes.listMissions,
      request({ params: { workspaceId: 'w' }, query: { column: 'TODO', first: '5000' } }),
      { in: 'query', field: 'first' },
    ],
    [
      'no body at all',
      restRoutes.createMission,
      request({ params: { workspaceId: 'w' } }),
      { in: 'body' },
    ],
  ])('refuses %s with VALIDATION_ERROR naming the field', (_label, route, input, expected) => {
    const details: { in: string; field?: string } = expected;
    let thrown: unknown;
    try {
      parseRestInput(route, input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'VALIDATION_ERROR', details });
    expect((thrown as AppError).details.fields).toEqual(expect.any(Array));
    expect((thrown as AppError).message).toContain(details.field ?? 'body');
  });
});
