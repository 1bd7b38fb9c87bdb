import { isMissionControlError } from '../errors/mission-control.error';
import { CreateMissionDocument, MeDocument } from '../graphql/generated';
import { PersonClient, type PersonTokens } from './person.client';

type Sent = { operationName: string; variables: Record<string, unknown>; token: string | null };
type Answer = { status?: number; body?: unknown };

/** A gateway stand-in: answers each request with the next of `answers` for its operation. */
function fakeGateway(answers: Record<string, Array<Answer | Error>>) {
  const sent: Sent[] = [];
  const fetch = jest.fn((_url: string | URL | Request, init?: RequestInit) => {
    const body = JSON.parse(init?.body as string) as Omit<Sent, 'token'>;
    const auth = new Headers(init?.headers).get('authorization');
    sent.push({ ...body, token: auth?.replace('Bearer ', '') ?? null });
    const queue = answers[body.operationName] ?? [];
    const next = queue.length > 1 ? queue.shift()! : queue[0];
    if (next instanceof Error) {
      return Promise.reject(next);
    }
    return Promise.resolve(
      new Response(JSON.stringify(next?.body ?? { data: null }), {
        status: next?.status ?? 200,
        headers: { 'content-type': 'application/json' },
      }),
    );
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, sent };
}

const later = () => new Date(Date.now() + 15 * 60_000).toISOString();
const error = (code: string) => ({
  body: {
    data: null,
    errors: [{ message: `${code} here`, extensions: { code, requestId: 'r1' } }],
  },
});
const refreshed = (accessToken: string, refreshToken: string): Answer => ({
  body: {
    data: {
      refreshSession: {
        accessToken,
        accessTokenExpiresAt: later(),
        refreshToken,
        user: { id: 'u', email: 'grace@example.com', name: 'Grace' },
      },
    },
  },
});
const me = {
  body: { data: { me: { id: 'u', email: 'grace@example.com', name: 'Grace', memberships: [] } } },
};

function sut(fetch: typeof globalThis.fetch, tokens: Partial<PersonTokens> = {}) {
  const kept: PersonTokens[] = [];
  const client = new PersonClient({
    url: 'http://gateway.test',
    tokens: { accessToken: 'a1', accessTokenExpiresAt: later(), refreshToken: 'r1', ...tokens },
    onTokens: (next) => {
      kept.push(next);
    },
    fetch,
    retry: { initialDelayMs: 1, maxDelayMs: 2 },
  });
  return { client, kept };
}

describe('PersonClient', () => {
  it('sends the access token it has while it is valid', async () => {
    const gateway = fakeGateway({ Me: [me] });
    const { client, kept } = sut(gateway.fetch);
    await client.request(MeDocument, {});
    expect(gateway.sent).toEqual([expect.objectContaining({ operationName: 'Me', token: 'a1' })]);
    expect(kept).toEqual([]);
  });

  it('refreshes a token about to expire first, and hands the rotated pair over to keep', async () => {
    const gateway = fakeGateway({ RefreshSession: [refreshed('a2', 'r2')], Me: [me] });
    const { client, kept } = sut(gateway.fetch, {
      accessTokenExpiresAt: new Date(Date.now() + 5_000).toISOString(),
    });
    await client.request(MeDocument, {});
    expect(gateway.sent.map((s) => [s.operationName, s.token])).toEqual([
      ['RefreshSession', null],
      ['Me', 'a2'],
    ]);
    expect(gateway.sent[0]!.variables).toEqual({ refreshToken: 'r1' });
    expect(kept).toEqual([expect.objectContaining({ accessToken: 'a2', refreshToken: 'r2' })]);
    expect(client.tokens.refreshToken).toBe('r2');
  });

  it('refreshes once when the server refuses the token, and sends the request again', async () => {
    const gateway = fakeGateway({
      RefreshSession: [refreshed('a2', 'r2')],
      Me: [error('UNAUTHENTICATED'), me],
    });
    const { client } = sut(gateway.fetch);
    await expect(client.request(MeDocument, {})).resolves.toMatchObject({ me: { id: 'u' } });
    expect(gateway.sent.map((s) => s.operationName)).toEqual(['Me', 'RefreshSession', 'Me']);
  });

  it('says the session has ended when the refresh token is refused', async () => {
    const gateway = fakeGateway({
      RefreshSession: [error('UNAUTHENTICATED')],
      Me: [error('UNAUTHENTICATED')],
    });
    const { client, kept } = sut(gateway.fetch);
    const thrown = await client.request(MeDocument, {}).catch((e: unknown) => e);
    expect(isMissionControlError(thrown, 'UNAUTHENTICATED')).toBe(true);
    expect((thrown as Error).message).toMatch(/session has ended.*sign in again/);
    expect(kept).toEqual([]);
  });

  it('sends a mutation once: without an idempotency key a retry could do it twice', async () => {
    const gateway = fakeGateway({ CreateMission: [new Error('socket hang up')] });
    const { client } = sut(gateway.fetch);
    const thrown = await client
      .request(CreateMissionDocument, { workspaceId: 'w', input: { title: 'x' } })
      .catch((e: unknown) => e);
    expect(isMissionControlError(thrown, 'NETWORK_ERROR')).toBe(true);
    expect(gateway.sent).toHaveLength(1);
  });

  it('retries a query the network lost', async () => {
    const gateway = fakeGateway({ Me: [new Error('socket hang up'), me] });
    const { client } = sut(gateway.fetch);
    await expect(client.request(MeDocument, {})).resolves.toMatchObject({ me: { id: 'u' } });
    expect(gateway.sent).toHaveLength(2);
  });
});
