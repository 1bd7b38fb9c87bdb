/** Failed logins an account gets before each further attempt has to wait. */
export type LoginDelay = { freeAttempts: number; baseSeconds: number; maxSeconds: number };

export const LOGIN_DELAY: Omit<LoginDelay, 'freeAttempts'> = { baseSeconds: 1, maxSeconds: 60 };

/**
 * How long after the last counted failure the next attempt must wait: nothing for the free
 * attempts, then base, 2×base, 4×base … up to max. A guesser slows to one try a minute, while the
 * owner is never locked out for longer than that.
 */
export function loginDelaySeconds(failures: number, delay: LoginDelay): number {
  if (failures < delay.freeAttempts) {
    return 0;
  }
  const doublings = Math.min(failures - delay.freeAttempts, 30);
  return Math.min(delay.baseSeconds * 2 ** doublings, delay.maxSeconds);
}
