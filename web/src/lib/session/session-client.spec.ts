import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { SessionClient } from './session-client';

const gql: TypedDocumentNode<{ me: { id: string } }, Record<string, never>> = parse(
  '{ me { id } }',
);

type Call = { url: string; body: unknown; authorization: string | null };

/** A fetch that answers by URL, recording every call. */
function fakeFetch(answer: (call: Call, index: number) => { status?: number; body: unknown }) {
  const calls: Call[] = [];
  const fetchMock = jest.fn((url: string, init: RequestInit) => {
    const headers = new Headers(init.headers);
    const call = {
      url,
      body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : null,
      authorization: headers.get('authorization'),
    };
    calls.push(call);
    const { status = 200, body } = answer(call, calls.length - 1);
    return Promise.resolve(new Response(JSON.stringify(body), { status }));
  });
  global.fetch = fetchMock as unknown as typeof fetch;
  return calls;
}

const grant = (token: string, expiresInMs: number) => ({
  accessToken: token,
  accessTokenExpiresAt: new Date(Date.now() + expiresInMs).toISOString(),
  workspaceId: 'w1',
  user: { id: 'u1', email: 'ada@example.com', name: 'Ada' },
});

describe('SessionClient', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2025-01-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('refreshes a minute before the access token expires', async () => {
    let issued = 0;
    const calls = fakeFetch(() => ({ body: grant(`t${++issued}`, 15 * 60_000) }));
    const client = new SessionClient('http://gateway.test/graphql');
    await client.start();
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', workspaceId: 'w1' });
    expect(calls).toHaveLength(1);

    await jest.advanceTimersByTimeAsync(14 * 60_000 - 1_000);
    expect(calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.url).toBe('/api/session/refresh');
    expect(await client.accessToken()).toBe('t2');
  });

  it('turns anonymous when there is no session', async () => {
    fakeFetch(() => ({ body: null }));
    const client = new SessionClient('http://gateway.test/graphql');
    await client.start();
    expect(client.getSnapshot()).toEqual({ status: 'anonymous' });
    await expect(client.accessToken()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refreshes once and retries an operation the gateway refused as UNAUTHENTICATED', async () => {
    const calls = fakeFetch((call) => {
      if (call.url === '/api/session/refresh') {
        return { body: grant(calls.length === 1 ? 'old' : 'new', 15 * 60_000) };
      }
      return call.authorization === 'Bearer old'
        ? {
            body: {
              errors: [
                { message: 'expired', extensions: { code: 'UNAUTHENTICATED', requestId: 'r1' } },
              ],
            },
          }
        : { body: { data: { me: { id: 'u1' } } } };
    });
    const client = new SessionClient('http://gateway.test/graphql');
    await client.start();
    await expect(client.request(gql, {})).resolves.toEqual({ me: { id: 'u1' } });
    expect(calls.map((c) => [c.url, c.authorization])).toEqual([
      ['/api/session/refresh', null],
      ['http://gateway.test/graphql', 'Bearer old'],
      ['/api/session/refresh', null],
      ['http://gateway.test/graphql', 'Bearer new'],
    ]);
  });

  it('asks for the open workspace when it refreshes', async () => {
    const calls = fakeFetch((call) =>
      call.url === '/api/session/switch'
        ? { body: { ...grant('w2-token', 15 * 60_000), workspaceId: 'w2', user: null } }
        : { body: grant('w1-token', 15 * 60_000) },
    );
    const client = new SessionClient('http://gateway.test/graphql');
    await client.start();
    await client.useWorkspace('w2');
    expect(client.getSnapshot()).toMatchObject({ workspaceId: 'w2', user: { name: 'Ada' } });
    await client.refresh();
    expect(calls.at(-1)).toMatchObject({
      url: '/api/session/refresh',
      body: { workspaceId: 'w2' },
    });
  });
});
