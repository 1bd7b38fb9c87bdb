import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

const WINDOW_SECONDS = 60;

/**
 * Heartbeats counted per agent in fixed one-minute windows, in Postgres so every replica sees the
 * same count. The count is taken before any other work (one atomic upsert), so a flood costs no
 * more than a counter bump each.
 */
@Injectable()
export class HeartbeatLimiterRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Counts one heartbeat; returns the count in the current window and when the window ends. */
  async consume(agentId: string): Promise<{ count: number; retryAfterSeconds: number }> {
    const rows = await this.prisma.$queryRawUnsafe<{ count: number; retry_after: number }[]>(
      `INSERT INTO heartbeat_counters (agent_id, window_start, count)
       VALUES ($1::uuid, to_timestamp(floor(extract(epoch FROM now()) / $2) * $2), 1)
       ON CONFLICT (agent_id, window_start) DO UPDATE SET count = heartbeat_counters.count + 1
       RETURNING count,
         greatest(1, ceil(extract(epoch FROM window_start + make_interval(secs => $2) - now())))::int
           AS retry_after`,
      agentId,
      WINDOW_SECONDS,
    );
    // Old windows are of no use: drop them now and then, without a scheduler.
    if (Math.random() < 0.01) {
      await this.prisma.$executeRawUnsafe(
        `DELETE FROM heartbeat_counters WHERE window_start < now() - interval '1 hour'`,
      );
    }
    return {
      count: rows[0]?.count ?? 1,
      retryAfterSeconds: rows[0]?.retry_after ?? WINDOW_SECONDS,
    };
  }
}
