import { loginDelaySeconds } from './login-delay';

describe('loginDelaySeconds', () => {
  const delay = { freeAttempts: 5, baseSeconds: 1, maxSeconds: 60 };

  it('lets the free attempts through at once, then doubles the wait up to the cap', () => {
    expect([0, 4].map((failures) => loginDelaySeconds(failures, delay))).toEqual([0, 0]);
    expect([5, 6, 7, 8, 10].map((failures) => loginDelaySeconds(failures, delay))).toEqual([
      1, 2, 4, 8, 32,
    ]);
    expect(loginDelaySeconds(11, delay)).toBe(60);
    expect(loginDelaySeconds(10_000, delay)).toBe(60);
  });
});
