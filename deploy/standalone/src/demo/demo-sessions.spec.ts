import type { IssuedToken, PersonSession } from './demo-api.repository';
import { acceptedKey, AgentKeyCheckStopped, type AgentKeyTiming } from './demo-agent-key.service';
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

const timing: AgentKeyTiming = { keyWaitMs: 5_000, retryEveryMs: 500 };

describe('acceptedKey', () => {
  it('tries a key that identity has not learned yet again, until it is accepted', async () => {
    const time = fakeTime();
    let attempts = 0;
    const api = {
      exchangeAgentKey: jest.fn((key: string): Promise<IssuedToken> => {
        attempts += 1;
        return attempts <= 3
          ? refused('exchangeAgentKey')
          : Promise.resolve({ token: `token-for-${key}`, expiresAt: time.now() + 900_000 });
      }),
    };
    const reissue = jest.fn();
    const key = await acceptedKey(
      api,
      { current: () => 'key-1', reissue },
      time.sleep,
      timing,
      time.now,
    );
    expect(key).toBe('key-1');
    expect(api.exchangeAgentKey).toHaveBeenCalledTimes(4);
    expect(reissue).not.toHaveBeenCalled();
  });

  it('reissues a key still refused after a few seconds (revoked, or from another database), once', async () => {
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
    await expect(
      acceptedKey(api, { current: () => key, reissue }, time.sleep, timing, time.now),
    ).resolves.toBe('fresh-key');
    expect(reissue).toHaveBeenCalledTimes(1);
  });

  it('issues a key for an agent that has none yet, and gives up when even that one stays refused', async () => {
    const time = fakeTime();
    const api = {
      exchangeAgentKey: jest.fn((): Promise<IssuedToken> => refused('exchangeAgentKey')),
    };
    const reissue = jest.fn(() => Promise.resolve('never-accepted'));
    await expect(
      acceptedKey(api, { current: () => null, reissue }, time.sleep, timing, time.now),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(reissue).toHaveBeenCalledTimes(1);
  });

  it('waits out a gateway still starting, and stops waiting when the demo stops', async () => {
    const time = fakeTime();
    let attempts = 0;
    const starting = {
      exchangeAgentKey: jest.fn((): Promise<IssuedToken> => {
        attempts += 1;
        return attempts === 1
          ? Promise.reject(new DemoApiError('exchangeAgentKey', 'NETWORK_ERROR', 'refused', true))
          : Promise.resolve({ token: 't', expiresAt: time.now() + 900_000 });
      }),
    };
    await expect(
      acceptedKey(
        starting,
        { current: () => 'k', reissue: jest.fn() },
        time.sleep,
        timing,
        time.now,
      ),
    ).resolves.toBe('k');

    const refusing = {
      exchangeAgentKey: jest.fn((): Promise<IssuedToken> => refused('exchangeAgentKey')),
    };
    const stopped = () => Promise.resolve(false);
    await expect(
      acceptedKey(refusing, { current: () => 'k', reissue: jest.fn() }, stopped, timing),
    ).rejects.toBeInstanceOf(AgentKeyCheckStopped);
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
