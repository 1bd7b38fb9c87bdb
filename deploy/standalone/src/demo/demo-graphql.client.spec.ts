import { DemoApiError, DemoGraphqlClient, hasCode, type FetchLike } from './demo-graphql.client';

type Call = { url: string; init: RequestInit };

// The client always passes the URL as a string and the body as JSON text.
const urlOf = (input: Parameters<FetchLike>[0]): string =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;

/** A fetch that records what it was asked and answers `respond()`. */
function fakeFetch(respond: () => Response | Promise<Response>): {
  fetch: FetchLike;
  calls: Call[];
} {
  const calls: Call[] = [];
  const fetch: FetchLike = async (input, init) => {
    calls.push({ url: urlOf(input), init: init ?? {} });
    return respond();
  };
  return { fetch, calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function failureOf(promise: Promise<unknown>): Promise<DemoApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DemoApiError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('DemoGraphqlClient', () => {
  it('posts the query and variables to /graphql with the bearer token, and returns the data', async () => {
    const { fetch, calls } = fakeFetch(() => json({ data: { me: { id: 'u1' } } }));
    const sut = new DemoGraphqlClient('http://127.0.0.1:3999/', { fetch });

    const data = await sut.request<{ me: { id: string } }>(
      'me',
      'query { me { id } }',
      { a: 1 },
      't0k',
    );

    expect(data).toEqual({ me: { id: 'u1' } });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('http://127.0.0.1:3999/graphql');
    expect(calls[0]!.init.method).toBe('POST');
    expect(calls[0]!.init.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: 'Bearer t0k',
    });
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual({
      query: 'query { me { id } }',
      variables: { a: 1 },
    });
  });

  it('sends no authorization header without a token', async () => {
    const { fetch, calls } = fakeFetch(() => json({ data: { ok: true } }));
    await new DemoGraphqlClient('http://gw', { fetch }).request('ping', '{ ok }');
    expect(calls[0]!.init.headers).not.toHaveProperty('authorization');
  });

  it('throws the code of the first GraphQL error, with its message and retryable flag', async () => {
    const { fetch } = fakeFetch(() =>
      json({
        data: null,
        errors: [
          {
            message: 'Invalid agent key',
            extensions: { code: 'UNAUTHENTICATED', requestId: 'r1', retryable: false },
          },
          { message: 'second', extensions: { code: 'NOT_FOUND' } },
        ],
      }),
    );
    const error = await failureOf(
      new DemoGraphqlClient('http://gw', { fetch }).request('exchangeAgentKey', 'mutation { x }'),
    );

    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.retryable).toBe(false);
    expect(error.operation).toBe('exchangeAgentKey');
    expect(error.message).toBe('exchangeAgentKey: Invalid agent key');
    expect(hasCode(error, 'UNAUTHENTICATED')).toBe(true);
    expect(hasCode(error, 'NOT_FOUND')).toBe(false);
  });

  it('reads coded errors from non-2xx answers, with retryAfterSeconds from details', async () => {
    const fromDetails = fakeFetch(() =>
      json(
        {
          errors: [
            {
              message: 'Too many heartbeats; slow down',
              extensions: {
                code: 'LIMIT_EXCEEDED',
                retryable: true,
                details: { retryAfterSeconds: 42 },
              },
            },
          ],
        },
        429,
      ),
    );
    const limited = await failureOf(
      new DemoGraphqlClient('http://gw', { fetch: fromDetails.fetch }).request('heartbeat', 'm'),
    );
    expect(limited).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      retryable: true,
      retryAfterSeconds: 42,
    });
  });

  it('calls an error without a known code INTERNAL_ERROR, and retryable', async () => {
    const { fetch } = fakeFetch(() =>
      json(
        {
          errors: [
            {
              message: 'Cannot query field "nope"',
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
            },
          ],
        },
        400,
      ),
    );
    const error = await failureOf(
      new DemoGraphqlClient('http://gw', { fetch }).request('q', '{ nope }'),
    );
    expect(error).toMatchObject({
      code: 'INTERNAL_ERROR',
      retryable: true,
      retryAfterSeconds: null,
    });
  });

  it('turns a refused connection into a retryable NETWORK_ERROR', async () => {
    const fetch: FetchLike = () => Promise.reject(new TypeError('fetch failed'));
    const error = await failureOf(
      new DemoGraphqlClient('http://gw', { fetch }).request('board', '{ b }'),
    );
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
    expect(error.message).toContain('fetch failed');
  });

  it('turns an answer that is not GraphQL into a retryable HTTP_ERROR', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    const error = await failureOf(
      new DemoGraphqlClient('http://gw', { fetch }).request('board', '{ b }'),
    );
    expect(error).toMatchObject({ code: 'HTTP_ERROR', retryable: true });
    expect(error.message).toContain('502');
  });

  it('treats an answer with neither data nor errors as INTERNAL_ERROR', async () => {
    const { fetch } = fakeFetch(() => json({ data: null }));
    const error = await failureOf(
      new DemoGraphqlClient('http://gw', { fetch }).request('board', '{ b }'),
    );
    expect(error.code).toBe('INTERNAL_ERROR');
  });
});
