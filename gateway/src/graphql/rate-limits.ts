import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Principal } from '@mission-control/auth';
import { AppError } from '@mission-control/errors';

export type RateLimitOptions = {
  /** Operations per minute for a signed-in principal (user, agent or API key). */
  perPrincipalPerMinute: number;
  /** Operations per minute from one address without a token (sign-up, log-in…). */
  anonymousPerMinute: number;
};

/**
 * Per-principal request budgets at the edge, counted per replica: with N replicas a caller can
 * spend up to N times the budget, so set it per replica. Every operation of a batch counts.
 */
export class EdgeRateLimits {
  private readonly principals: RateLimiterMemory;
  private readonly anonymous: RateLimiterMemory;

  constructor(options: RateLimitOptions) {
    this.principals = new RateLimiterMemory({
      points: options.perPrincipalPerMinute,
      duration: 60,
    });
    this.anonymous = new RateLimiterMemory({ points: options.anonymousPerMinute, duration: 60 });
  }

  /** Spends `operations` of the caller's budget; LIMIT_EXCEEDED (retryable) when it is gone. */
  async spend(principal: Principal | null, address: string, operations: number): Promise<void> {
    const [limiter, key] = principal
      ? [this.principals, `${principal.kind}:${principal.subject}`]
      : [this.anonymous, `address:${address}`];
    try {
      await limiter.consume(key, operations);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw AppError.limitExceeded(`Too many requests; try again in ${retryAfterSeconds} s`, {
          retryAfterSeconds,
        });
      }
      throw rejection;
    }
  }
}
