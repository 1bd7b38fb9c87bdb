import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { type LoginDelay, loginDelaySeconds } from './login-delay';

const WINDOW_START = `to_timestamp(floor(extract(epoch FROM now()) / $2) * $2)`;

/** Counted, or refused until `retryAfterSeconds` have passed (and then not counted). */
export type SpacedAttempt = { counted: true } | { counted: false; retryAfterSeconds: number };

/**
 * Login attempts counted per key in fixed windows, in Postgres so every replica sees the same
 * counts. Counting happens before the password is checked (an atomic upsert), so concurrent
 * guesses cannot slip past the limit; a successful login gives its attempt back.
 */
@Injectable()
export class LoginAttemptsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Counts one attempt for each key; returns each key's count in the current window. */
  async consume(keys: readonly string[], windowSeconds: number): Promise<number[]> {
    const counts: number[] = [];
    for (const key of keys) {
      const rows = await this.prisma.$queryRawUnsafe<{ failures: number }[]>(
        `INSERT INTO login_attempts (key, window_start, failures)
         VALUES ($1, ${WINDOW_START}, 1)
         ON CONFLICT (key, window_start) DO UPDATE SET failures = login_attempts.failures + 1
         RETURNING failures`,
        key,
        windowSeconds,
      );
      counts.push(rows[0]?.failures ?? 1);
    }
    // Old windows are of no use: drop them now and then, without a scheduler.
    if (Math.random() < 0.01) {
      await this.prisma.$executeRawUnsafe(
        `DELETE FROM login_attempts WHERE window_start < now() - interval '1 day'`,
      );
    }
    return counts;
  }

  /**
   * Counts an attempt for the key unless it comes before the delay its failures so far call for
   * (measured from the last counted one, on the database's clock). A refused attempt is not
   * counted, so waiting always helps. The count only moves from the value the delay was decided
   * on, so concurrent guesses cannot share one slot; one that loses the race decides again.
   */
  async consumeSpaced(
    key: string,
    windowSeconds: number,
    delay: LoginDelay,
  ): Promise<SpacedAttempt> {
    for (let round = 0; ; round += 1) {
      const [seen] = await this.prisma.$queryRawUnsafe<{ failures: number; elapsed: number }[]>(
        `SELECT failures, extract(epoch FROM now() - last_attempt_at)::float8 AS elapsed
         FROM login_attempts WHERE key = $1 AND window_start = ${WINDOW_START}`,
        key,
        windowSeconds,
      );
      const failures = seen?.failures ?? 0;
      const wait = loginDelaySeconds(failures, delay) - (seen?.elapsed ?? 0);
      if (wait > 0) {
        return { counted: false, retryAfterSeconds: Math.ceil(wait) };
      }
      const counted = await this.prisma.$queryRawUnsafe<{ failures: number }[]>(
        `INSERT INTO login_attempts (key, window_start, failures, last_attempt_at)
         VALUES ($1, ${WINDOW_START}, 1, now())
         ON CONFLICT (key, window_start) DO UPDATE
           SET failures = login_attempts.failures + 1, last_attempt_at = now()
           WHERE login_attempts.failures = $3
         RETURNING failures`,
        key,
        windowSeconds,
        failures,
      );
      if (counted.length > 0) {
        return { counted: true };
      }
      if (round >= 3) {
        return { counted: false, retryAfterSeconds: Math.max(1, delay.baseSeconds) };
      }
    }
  }

  async release(keys: readonly string[], windowSeconds: number): Promise<void> {
    for (const key of keys) {
      await this.prisma.$executeRawUnsafe(
        `UPDATE login_attempts SET failures = greatest(failures - 1, 0)
         WHERE key = $1 AND window_start = ${WINDOW_START}`,
        key,
        windowSeconds,
      );
    }
  }
}
