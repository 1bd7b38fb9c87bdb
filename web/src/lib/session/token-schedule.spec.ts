import { isUsable, refreshDelayMs, retryDelayMs } from './token-schedule';

describe('refreshDelayMs', () => {
  const now = 1_700_000_000_000;

  it('refreshes a 15 minute token a minute before it expires', () => {
    expect(refreshDelayMs(now + 15 * 60_000, now)).toBe(14 * 60_000);
  });

  it('keeps a quarter of a short lifetime as the lead', () => {
    expect(refreshDelayMs(now + 20_000, now)).toBe(15_000);
  });

  it('refreshes at once when the token has expired', () => {
    expect(refreshDelayMs(now - 1, now)).toBe(0);
    expect(refreshDelayMs(now, now)).toBe(0);
  });
});

describe('isUsable', () => {
  it('refuses a token about to expire', () => {
    expect(isUsable(10_000, 0)).toBe(true);
    expect(isUsable(4_000, 0)).toBe(false);
  });
});

describe('retryDelayMs', () => {
  it('backs off exponentially up to 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(retryDelayMs)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
  });
});
