import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

const WINDOW_SECONDS = 60;

/**
 * Samples counted per host in fixed one-minute windows, in Postgres so every replica sees the
 * same count; taken before any other work, as heartbeats are (HeartbeatLimiterRepository).
 */
@Injectable()
export class HostSampleLimiterRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Counts one sample; returns the count in the current window and when the window ends. */
  async consume(hostId: string): Promise<{ count: number; retryAfterSeconds: number }> {
    const rows = await this.prisma.$queryRawUnsafe<{ count: number; retry_after: number }[]>(
      `INSERT INTO host_sample_counters (host_id, window_start, count)
       VALUES ($1::uuid, to_timestamp(floor(extract(epoch FROM now()) / $2) * $2), 1)
       ON CONFLICT (host_id, window_start) DO UPDATE SET count = host_sample_counters.count + 1
       RETURNING count,
         greatest(1, ceil(extract(epoch FROM window_start + make_interval(secs => $2) - now())))::int
           AS retry_after`,
      hostId,
      WINDOW_SECONDS,
    );
    // Old windows are of no use: drop them now and then, without a scheduler.
    if (Math.random() < 0.01) {
      await this.prisma.$executeRawUnsafe(
        `DELETE FROM host_sample_counters WHERE window_start < now() - interval '1 hour'`,
      );
    }
    return {
      count: rows[0]?.count ?? 1,
      retryAfterSeconds: rows[0]?.retry_after ?? WINDOW_SECONDS,
    };
  }
}
