import type { IssuedToken, PersonSession } from './demo-api.repository';
import {
  AgentSessionStopped,
  DemoAgentSession,
  type AgentSessionTiming,
} from './demo-agent.session';
import { DemoApiError } from './demo-graphql.client';
import { DemoPersonSession } from './demo-person.session';

const unauthenticated = (operation: string) =>
  new DemoApiError(operation, 'UNAUTHENTICATED', 'Invalid agent key', false);
const refused = <T>(operation: string): Promise<T> => Promise.reject(unauthenticated(operation));
const echo = (token: string) => Promise.resolve(token);

/** A clock the fake sleep moves forward, so waiting takes no real time. */
function fakeTime(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    sleep: (ms: number) => {
      now += ms;
      return Promise.resolve(true);
    },
  };
}

const timing: AgentSessionTiming = {
  keyWaitMs: 5_000,
  retryEveryMs: 500,
  reissueEveryMs: 120_000,
  expiryMarginMs: 60_000,
};

describe('DemoAgentSession', () => {
  it('retries a key that identity has not learned yet, then uses the token it gets', async () => {
    const time = fakeTime();
    let attempts = 0;
    const api = {
      exchangeAgentKey: jest.fn((key: string): Promise<IssuedToken> => {
        attempts += 1;
        if (attempts < 4) {
          return refused('exchangeAgentKey');
        }
        return Promise.resolve({ token: `token-for-${key}`, expiresAt: time.now() + 900_000 });
      }),
    };
    const reissue = jest.fn(() => Promise.resolve('new-key'));
    const sut = new DemoAgentSession(
      api,
      { current: () => 'key-1', reissue },
      time.sleep,
      timing,
      time.now,
    );

    await expect(sut.call(echo)).resolves.toBe('token-for-key-1');
    await expect(sut.call(echo)).resolves.toBe('token-for-key-1');
    expect(api.exchangeAgentKey).toHaveBeenCalledTimes(4);
    expect(reissue).not.toHaveBeenCalled();
  });

  it('reissues a key still refused after a few seconds, and signs in with the new one', async () => {
    const time = fakeTime();
    let key = 'revoked-key';
    const api = {
      exchangeAgentKey: jest.fn((presented: string): Promise<IssuedToken> =>
        presented === 'revoked-key'
          ? refused('exchangeAgentKey')
          : Promise.resolve({ token: `token-for-${presented}`, expiresAt: time.now() + 900_000 }),
      ),
    };
    const reissue = jest.fn(() => {
      key = 'fresh-key';
      return Promise.resolve(key);
    });
    const sut = new DemoAgentSession(
      api,
      { current: () => key, reissue },
      time.sleep,
      timing,
      time.now,
    );

    await expect(sut.call(echo)).resolves.toBe('token-for-fresh-key');
    expect(reissue).toHaveBeenCalledTimes(1);
  });

  it('gives up for this tick when even a reissued key is refused, and does not reissue again at once', async () => {
    const time = fakeTime();
    const api = {
      exchangeAgentKey: jest.fn((): Promise<IssuedToken> => refused('exchangeAgentKey')),
    };
    const reissue = jest.fn(() => Promise.resolve('another-refused-key'));
    const sut = new DemoAgentSession(
      api,
      { current: () => 'k', reissue },
      time.sleep,
      timing,
      time.now,
    );

    await expect(sut.call(echo)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(sut.call(echo)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(reissue).toHaveBeenCalledTimes(1);
  });

  it('exchanges again before the token expires, and when a call is refused', async () => {
    const time = fakeTime();
    let issued = 0;
    const api = {
      exchangeAgentKey: jest.fn((): Promise<IssuedToken> => {
        issued += 1;
        return Promise.resolve({ token: `t${issued}`, expiresAt: time.now() + 900_000 });
      }),
    };
    const sut = new DemoAgentSession(
      api,
      { current: () => 'k', reissue: jest.fn() },
      time.sleep,
      timing,
      time.now,
    );

    await expect(sut.call(echo)).resolves.toBe('t1');
    time.advance(900_000 - 60_000);
    await expect(sut.call(echo)).resolves.toBe('t2');

    const refusingT2 = jest.fn((token: string) =>
      token === 't2' ? refused<string>('heartbeat') : Promise.resolve(token),
    );
    await expect(sut.call(refusingT2)).resolves.toBe('t3');
    expect(refusingT2).toHaveBeenCalledTimes(2);
  });

  it('stops waiting for a key when the demo stops', async () => {
    const api = {
      exchangeAgentKey: jest.fn((): Promise<IssuedToken> => refused('exchangeAgentKey')),
    };
    const stopped = () => Promise.resolve(false);
    const sut = new DemoAgentSession(
      api,
      { current: () => 'k', reissue: jest.fn() },
      stopped,
      timing,
    );
    await expect(sut.call(echo)).rejects.toBeInstanceOf(AgentSessionStopped);
  });
});

describe('DemoPersonSession', () => {
  const login = (token: string, expiresAt: number): PersonSession => ({
    token,
    expiresAt,
    refreshToken: `refresh-of-${token}`,
    userId: 'u1',
  });

  it('acts in the workspace it entered, and refreshes the session before the token expires', async () => {
    const time = fakeTime();
    const api = {
      refreshSession: jest.fn(() => Promise.resolve(login('account-2', time.now() + 900_000))),
      logIn: jest.fn(),
      switchWorkspace: jest.fn((workspaceId: string, token: string): Promise<IssuedToken> =>
        Promise.resolve({ token: `${workspaceId}@${token}`, expiresAt: time.now() + 900_000 }),
      ),
    };
    const sut = new DemoPersonSession(
      api,
      { email: 'e', password: 'p' },
      login('account-1', time.now() + 900_000),
      time.now,
    );
    await sut.enter('ws');
    await expect(sut.call(echo)).resolves.toBe('ws@account-1');

    time.advance(850_000);
    const [first, second] = await Promise.all([sut.call(echo), sut.call(echo)]);
    expect([first, second]).toEqual(['ws@account-2', 'ws@account-2']);
    // A refresh token works once: concurrent calls share one refresh.
    expect(api.refreshSession).toHaveBeenCalledTimes(1);
    expect(api.refreshSession).toHaveBeenCalledWith('refresh-of-account-1');
  });

  it('logs in again when the session has ended', async () => {
    const time = fakeTime();
    const api = {
      refreshSession: jest.fn((): Promise<PersonSession> => refused('refreshSession')),
      logIn: jest.fn(() => Promise.resolve(login('account-2', time.now() + 900_000))),
      switchWorkspace: jest.fn((workspaceId: string, token: string): Promise<IssuedToken> =>
        Promise.resolve({ token: `${workspaceId}@${token}`, expiresAt: time.now() + 900_000 }),
      ),
    };
    const sut = new DemoPersonSession(
      api,
      { email: 'demo@x.local', password: 'secret-password' },
      login('account-1', time.now() + 900_000),
      time.now,
    );
    await sut.enter('ws');
    const refusedOnce = jest.fn((token: string) =>
      token === 'ws@account-1' ? refused<string>('board') : Promise.resolve(token),
    );

    await expect(sut.call(refusedOnce)).resolves.toBe('ws@account-2');
    expect(api.logIn).toHaveBeenCalledWith('demo@x.local', 'secret-password');
  });
});
