import type { SendOutcome } from './webhook-sender';

/** How often and how far apart a webhook is tried. */
export type RetryPolicy = {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The wait after the first failed attempt; it doubles after each further one. */
  baseDelayMs: number;
  /** No wait is longer than this. */
  maxDelayMs: number;
  /** Each wait is moved by up to this share either way, so receivers are not hit in step (0–1). */
  jitter: number;
};

/** Eight attempts over about an hour: 30 s, 1, 2, 4, 8, 16 and 30 min apart. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 30_000,
  maxDelayMs: 30 * 60_000,
  jitter: 0.2,
};

/** What to do after an attempt. */
export type AttemptVerdict =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; delayMs: number; error: string; status: number | null }
  | { kind: 'failed'; error: string; status: number | null };

/** The wait before attempt `attempt + 1`, before jitter. */
export const nominalDelayMs = (attempt: number, policy: RetryPolicy): number =>
  Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));

/** The waits between attempts when every attempt fails, before jitter. */
export const retrySchedule = (policy: RetryPolicy): number[] =>
  Array.from({ length: Math.max(0, policy.maxAttempts - 1) }, (_, index) =>
    nominalDelayMs(index + 1, policy),
  );

/** Worth trying again: the receiver may be back (network errors, time-outs, 408, 429, 5xx). */
function retryable(outcome: SendOutcome): boolean {
  switch (outcome.kind) {
    case 'response':
      return outcome.status === 408 || outcome.status === 429 || outcome.status >= 500;
    case 'timeout':
    case 'network-error':
      return true;
    case 'blocked':
      return false;
    default:
      return outcome satisfies never;
  }
}

function errorOf(outcome: SendOutcome): string {
  switch (outcome.kind) {
    case 'response':
      return outcome.status >= 300 && outcome.status < 400
        ? `HTTP ${outcome.status}: redirects are not followed`
        : `HTTP ${outcome.status}`;
    case 'timeout':
      return `no answer within ${outcome.timeoutMs / 1_000} s`;
    case 'network-error':
      return outcome.message;
    case 'blocked':
      return outcome.message;
    default:
      return outcome satisfies never;
  }
}

/**
 * Decides, after attempt number `attempt` (1 for the first), whether the webhook is delivered,
 * to be tried again after a wait (exponential, with jitter, at least what `Retry-After` asked),
 * or failed for good: a 4xx other than 408 and 429 is the receiver's final word, and so is the
 * last attempt. `random` gives 0–1 (Math.random unless a test fixes it).
 */
export function judgeAttempt(
  outcome: SendOutcome,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): AttemptVerdict {
  const status = outcome.kind === 'response' ? outcome.status : null;
  if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) {
    return { kind: 'delivered', status: outcome.status };
  }
  const error = errorOf(outcome);
  if (!retryable(outcome)) {
    return { kind: 'failed', error, status };
  }
  if (attempt >= policy.maxAttempts) {
    return { kind: 'failed', error: `${error} (gave up after ${attempt} attempts)`, status };
  }
  const spread = 1 - policy.jitter + 2 * policy.jitter * random();
  const backoff = Math.round(nominalDelayMs(attempt, policy) * spread);
  const asked = outcome.kind === 'response' ? (outcome.retryAfterMs ?? 0) : 0;
  return {
    kind: 'retry',
    delayMs: Math.min(policy.maxDelayMs, Math.max(backoff, asked)),
    error,
    status,
  };
}
