import { MissionControlError } from '../errors/mission-control.error';
import { AgentTokenSource } from './agent-token-source';

const MINUTE = 60_000;
const refused = () =>
  new MissionControlError({ code: 'UNAUTHENTICATED', message: 'Invalid agent key' });

describe('AgentTokenSource', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.setSystemTime(new Date('2026-12-07T10:00:00Z'));
  });
  afterEach(() => jest.useRealTimers());

  /** Issues `token-1`, `token-2`… each valid for 15 minutes from now. */
  function issuer() {
    let n = 0;
    return jest.fn(() => {
      n += 1;
      return Promise.resolve({ accessToken: `token-${n}`, expiresAt: Date.now() + 15 * MINUTE });
    });
  }

  it('exchanges the key once and reuses the token until shortly before it expires', async () => {
    const exchange = issuer();
    const sut = new AgentTokenSource({ exchange, refreshBeforeMs: MINUTE });
    await expect(sut.token()).resolves.toBe('token-1');
    expect(sut.refreshDueAt).toBe(Date.now() + 14 * MINUTE);

    jest.setSystemTime(Date.now() + 14 * MINUTE - 1);
    await expect(sut.token()).resolves.toBe('token-1');
    jest.setSystemTime(Date.now() + 1);
    await expect(sut.token()).resolves.toBe('token-2');
    expect(exchange).toHaveBeenCalledTimes(2);
  });

  it('refreshes a short-lived token halfway through its life', async () => {
    const exchange = jest.fn(() =>
      Promise.resolve({ accessToken: 't', expiresAt: Date.now() + 30_000 }),
    );
    const sut = new AgentTokenSource({ exchange, refreshBeforeMs: MINUTE });
    await sut.token();
    expect(sut.refreshDueAt).toBe(Date.now() + 15_000);
  });

  it('exchanges once for callers asking at the same time', async () => {
    const exchange = issuer();
    const sut = new AgentTokenSource({ exchange });
    const tokens = await Promise.all([sut.token(), sut.token(), sut.token()]);
    expect(tokens).toEqual(['token-1', 'token-1', 'token-1']);
    expect(exchange).toHaveBeenCalledTimes(1);
  });

  it('drops a token the server refused, but not a newer one', async () => {
    const exchange = issuer();
    const sut = new AgentTokenSource({ exchange });
    await sut.token();
    sut.invalidate('token-1');
    await expect(sut.token()).resolves.toBe('token-2');
    sut.invalidate('token-1');
    await expect(sut.token()).resolves.toBe('token-2');
  });

  it('waits out a new key’s first moments, then says clearly that the key was refused', async () => {
    const exchange = jest
      .fn()
      .mockRejectedValueOnce(refused())
      .mockResolvedValueOnce({ accessToken: 'first', expiresAt: Date.now() + 15 * MINUTE })
      .mockRejectedValue(refused());
    const sut = new AgentTokenSource({ exchange, newKeyGraceMs: 5_000 });
    const first = sut.token();
    await jest.advanceTimersByTimeAsync(250);
    await expect(first).resolves.toBe('first');

    // Once the key has worked, a refusal is final at once: it was revoked.
    sut.invalidate('first');
    const error = await sut.token().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', retryable: false });
    expect((error as Error).message).toMatch(
      /agent key was refused \(Invalid agent key\).*revoked/,
    );
    expect(exchange).toHaveBeenCalledTimes(3);
  });

  it('gives up on a key that never works after the grace period', async () => {
    const exchange = jest.fn().mockRejectedValue(refused());
    const sut = new AgentTokenSource({ exchange, newKeyGraceMs: 1_000 });
    const settled = expect(sut.token()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await jest.advanceTimersByTimeAsync(2_000);
    await settled;
    expect(exchange.mock.calls.length).toBeGreaterThanOrEqual(4);
  });
});
