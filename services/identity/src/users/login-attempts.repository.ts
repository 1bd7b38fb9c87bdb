import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

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
         VALUES ($1, to_timestamp(floor(extract(epoch FROM now()) / $2) * $2), 1)
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

  async release(keys: readonly string[], windowSeconds: number): Promise<void> {
    for (const key of keys) {
      await this.prisma.$executeRawUnsafe(
        `UPDATE login_attempts SET failures = greatest(failures - 1, 0)
         WHERE key = $1 AND window_start = to_timestamp(floor(extract(epoch FROM now()) / $2) * $2)`,
        key,
        windowSeconds,
      );
    }
  }
}
