import {
  DEFAULT_RETRY_POLICY,
  judgeAttempt,
  retrySchedule,
  type RetryPolicy,
} from './retry-schedule';

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 6_000, jitter: 0.2 };
const middle = () => 0.5;
const response = (status: number, retryAfterMs: number | null = null) =>
  ({ kind: 'response', status, retryAfterMs }) as const;

describe('the retry schedule', () => {
  it('counts a 2xx as delivered', () => {
    expect(judgeAttempt(response(204), 1, policy)).toEqual({ kind: 'delivered', status: 204 });
  });

  it('tries again after network errors, time-outs, 408, 429 and 5xx, waiting twice as long each time', () => {
    const outcomes = [
      { kind: 'network-error', message: 'connection refused' } as const,
      { kind: 'timeout', timeoutMs: 10_000 } as const,
      response(408),
      response(429),
      response(503),
    ];
    for (const outcome of outcomes) {
      expect(judgeAttempt(outcome, 1, policy, middle)).toMatchObject({
        kind: 'retry',
        delayMs: 1_000,
      });
    }
    expect(judgeAttempt(response(500), 2, policy, middle)).toMatchObject({ delayMs: 2_000 });
    expect(judgeAttempt(response(500), 3, policy, middle)).toMatchObject({ delayMs: 4_000 });
    // Capped.
    expect(judgeAttempt(response(500), 4, policy, middle)).toMatchObject({ delayMs: 6_000 });
  });

  it('spreads waits by the jitter, never past the cap', () => {
    expect(judgeAttempt(response(500), 1, policy, () => 0)).toMatchObject({ delayMs: 800 });
    expect(judgeAttempt(response(500), 1, policy, () => 1)).toMatchObject({ delayMs: 1_200 });
    expect(judgeAttempt(response(500), 4, policy, () => 1)).toMatchObject({ delayMs: 6_000 });
  });

  it('waits at least what Retry-After asks', () => {
    expect(judgeAttempt(response(429, 5_000), 1, policy, middle)).toMatchObject({
      kind: 'retry',
      delayMs: 5_000,
    });
  });

  it('ends a 4xx other than 408 and 429 at once, and a redirect, naming the status', () => {
    expect(judgeAttempt(response(400), 1, policy)).toEqual({
      kind: 'failed',
      error: 'HTTP 400',
      status: 400,
    });
    expect(judgeAttempt(response(410), 1, policy)).toMatchObject({ kind: 'failed' });
    expect(judgeAttempt(response(302), 1, policy)).toMatchObject({
      kind: 'failed',
      error: 'HTTP 302: redirects are not followed',
    });
  });

  it('ends a blocked address at once', () => {
    expect(
      judgeAttempt({ kind: 'blocked', message: 'not a public address' }, 1, policy),
    ).toMatchObject({ kind: 'failed', error: 'not a public address' });
  });

  it('gives up after the last attempt', () => {
    expect(judgeAttempt(response(500), 5, policy)).toEqual({
      kind: 'failed',
      error: 'HTTP 500 (gave up after 5 attempts)',
      status: 500,
    });
  });

  it('by default spreads eight attempts over about an hour', () => {
    const waits = retrySchedule(DEFAULT_RETRY_POLICY);
    const total = waits.reduce((sum, wait) => sum + wait, 0);

    expect(waits).toHaveLength(7);
    expect(total).toBeGreaterThan(55 * 60_000);
    expect(total).toBeLessThan(70 * 60_000);
  });
});
