import { backOff } from 'exponential-backoff';
import { MissionControlError } from '../errors/mission-control.error';

/** How a retryable failure is tried again: exponential delays with full jitter. */
export type RetryPolicy = {
  /** Attempts in all, the first included; 1 turns retrying off. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 6,
  initialDelayMs: 200,
  maxDelayMs: 10_000,
  multiplier: 2,
};

/**
 * Whether a failure is worth sending again as it is: the server says so (a busy gateway, its own
 * fault) or it never answered. CONFLICT is never one: it needs a re-read first (docs/api.md).
 */
export function isRetryable(error: unknown): boolean {
  return error instanceof MissionControlError && error.retryable && error.code !== 'CONFLICT';
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export type RetryOptions = {
  policy?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  /** Told of each failure that is about to be retried, with the attempt that failed (from 1). */
  onRetry?: (error: MissionControlError, failedAttempt: number) => void;
};

/**
 * Runs `attempt` until it succeeds, fails for good or runs out of attempts. The caller makes the
 * request the same each time (a write keeps its idempotency key), so a retry is never a second
 * write. A `retryAfterSeconds` from the server is waited out before the backoff's own delay.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const { signal } = options;
  return backOff(attempt, {
    numOfAttempts: Math.max(1, policy.attempts),
    startingDelay: policy.initialDelayMs,
    maxDelay: policy.maxDelayMs,
    timeMultiple: policy.multiplier,
    jitter: 'full',
    retry: async (error: unknown, failedAttempt: number) => {
      if (signal?.aborted || !isRetryable(error)) {
        return false;
      }
      const coded = error as MissionControlError;
      options.onRetry?.(coded, failedAttempt);
      const asked = coded.retryAfterMs;
      if (asked !== null && asked > 0) {
        await sleep(Math.min(asked, policy.maxDelayMs * 6), signal).catch(() => undefined);
      }
      return !signal?.aborted;
    },
  });
}
