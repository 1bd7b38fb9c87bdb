import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Tx } from '../eventing/agent-event-store';
import type { Prisma } from '../generated/prisma/client';
import type { WakeReason } from './wake-targets';

/** Where a delivery is; the first three are still to be sent. */
export type DeliveryStatus =
  'queued' | 'sending' | 'retrying' | 'delivered' | 'failed' | 'superseded' | 'cancelled';

/** A delivery a worker claimed, with where and how to send it (null: the hook is gone). */
export type ClaimedDelivery = {
  id: string;
  workspaceId: string;
  agentId: string;
  reason: WakeReason;
  missionId: string;
  wokenAt: Date;
  attempts: number;
  url: string | null;
  secret: string | null;
};

export type DeliveryRecord = {
  id: string;
  reason: WakeReason;
  missionId: string;
  status: DeliveryStatus;
  attempts: number;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
};

type DeliveryRow = Prisma.WakeDeliveryGetPayload<object>;

const recordOf = (row: DeliveryRow): DeliveryRecord => ({
  id: row.id,
  reason: row.reason as WakeReason,
  missionId: row.missionId,
  status: row.status as DeliveryStatus,
  attempts: row.attempts,
  lastAttemptAt: row.lastAttemptAt,
  nextAttemptAt: row.nextAttemptAt,
  lastStatusCode: row.lastStatusCode,
  lastError: row.lastError,
  createdAt: row.createdAt,
});

// A queued wake keeps an `assigned` reason over a later `available` one: it says more.
const COALESCE = `ON CONFLICT (agent_id) WHERE status = 'queued' DO UPDATE SET
    reason = CASE WHEN wake_deliveries.reason = 'assigned' AND EXCLUDED.reason = 'available'
      THEN wake_deliveries.reason ELSE EXCLUDED.reason END,
    mission_id = CASE WHEN wake_deliveries.reason = 'assigned' AND EXCLUDED.reason = 'available'
      THEN wake_deliveries.mission_id ELSE EXCLUDED.mission_id END,
    woken_at = EXCLUDED.woken_at, updated_at = now()`;

/**
 * The durable queue of wakes. Written in the transaction of the mission event that caused them;
 * claimed by workers on any replica (`FOR UPDATE SKIP LOCKED`), each claim a lease that another
 * worker takes over once it lapses (a worker that died mid-POST): delivery is at least once, under
 * the same webhook id.
 */
@Injectable()
export class WakeDeliveriesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Queues a wake for each of `agentIds` (null: every agent of the workspace in `statuses`) that
   * has a hook and whose status is one of `statuses`; coalesced into the agent's queued wake if it
   * has one, which is due `minIntervalMs` after the agent's previous POST (so a burst of missions
   * is one or two POSTs, not one each). Returns how many agents it reached.
   */
  async enqueue(
    tx: Tx,
    wake: {
      workspaceId: string;
      agentIds: string[] | null;
      statuses: readonly string[];
      reason: WakeReason;
      missionId: string;
      /** An agent's next wake is sent no sooner than this after its previous attempt. */
      minIntervalMs: number;
    },
  ): Promise<number> {
    return tx.$executeRawUnsafe(
      `INSERT INTO wake_deliveries (id, workspace_id, agent_id, reason, mission_id, status, woken_at,
         next_attempt_at)
       SELECT gen_random_uuid(), a.workspace_id, a.id, $3, $4, 'queued', now(),
         greatest(now(), (SELECT p.last_attempt_at FROM wake_deliveries p
                          WHERE p.agent_id = a.id AND p.last_attempt_at IS NOT NULL
                          ORDER BY p.created_at DESC LIMIT 1)
                         + make_interval(secs => $6::double precision / 1000))
       FROM agents a JOIN wake_hooks h ON h.agent_id = a.id
       WHERE a.workspace_id = $1::uuid AND a.status = ANY($2::text[])
         AND ($5::uuid[] IS NULL OR a.id = ANY($5::uuid[]))
       ${COALESCE}`,
      wake.workspaceId,
      [...wake.statuses],
      wake.reason,
      wake.missionId,
      wake.agentIds,
      wake.minIntervalMs,
    );
  }

  /**
   * Claims up to `limit` due deliveries (queued, retrying, or sending under a lapsed lease) for
   * `leaseMs`, counting the attempt; rows another worker holds are skipped, not waited for.
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return this.prisma.$queryRawUnsafe<ClaimedDelivery[]>(
      `WITH due AS (
         SELECT id FROM wake_deliveries d
         WHERE status IN ('queued', 'sending', 'retrying') AND next_attempt_at <= now()
           -- One POST at a time per agent: a new wake waits for the one in flight.
           AND NOT (status = 'queued' AND EXISTS (
             SELECT 1 FROM wake_deliveries f
             WHERE f.agent_id = d.agent_id AND f.status = 'sending' AND f.next_attempt_at > now()))
         ORDER BY next_attempt_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED
       )
       UPDATE wake_deliveries d SET status = 'sending', attempts = d.attempts + 1,
         next_attempt_at = now() + make_interval(secs => $2::double precision / 1000),
         last_attempt_at = now(), updated_at = now()
       FROM due
       WHERE d.id = due.id
       RETURNING d.id::text, d.workspace_id::text AS "workspaceId", d.agent_id::text AS "agentId",
         d.reason, d.mission_id AS "missionId", d.woken_at AS "wokenAt", d.attempts,
         (SELECT url FROM wake_hooks h WHERE h.agent_id = d.agent_id) AS url,
         (SELECT secret FROM wake_hook_secrets s WHERE s.agent_id = d.agent_id) AS secret`,
      limit,
      leaseMs,
    );
  }

  /** Ends a claimed delivery whose hook is gone. */
  async markCancelled(delivery: ClaimedDelivery): Promise<void> {
    await this.prisma.$executeRawUnsafe(
      `UPDATE wake_deliveries SET status = 'cancelled', last_error = 'the wake URL was removed',
         updated_at = now()
       WHERE id = $1::uuid AND status = 'sending' AND attempts = $2`,
      delivery.id,
      delivery.attempts,
    );
  }

  /**
   * Records a delivered attempt; the agent's older wakes waiting for a retry are superseded (it is
   * awake). False when the claim was lost meanwhile (another worker took it over).
   */
  async markDelivered(delivery: ClaimedDelivery, statusCode: number): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const updated = await tx.$executeRawUnsafe(
        `UPDATE wake_deliveries SET status = 'delivered', last_status_code = $3, last_error = NULL,
           updated_at = now()
         WHERE id = $1::uuid AND status = 'sending' AND attempts = $2`,
        delivery.id,
        delivery.attempts,
        statusCode,
      );
      if (updated > 0) {
        await tx.$executeRawUnsafe(
          `UPDATE wake_deliveries SET status = 'superseded', updated_at = now()
           WHERE agent_id = $1::uuid AND status = 'retrying' AND created_at <= $2`,
          delivery.agentId,
          delivery.wokenAt,
        );
      }
      return updated > 0;
    });
  }

  /** Schedules another attempt; the agent's other wake waiting for a retry gives way to it. */
  async markRetrying(
    delivery: ClaimedDelivery,
    result: { delayMs: number; statusCode: number | null; error: string },
  ): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(
        `UPDATE wake_deliveries SET status = 'superseded', updated_at = now()
         WHERE agent_id = $1::uuid AND status = 'retrying' AND id <> $2::uuid`,
        delivery.agentId,
        delivery.id,
      );
      const updated = await tx.$executeRawUnsafe(
        `UPDATE wake_deliveries SET status = 'retrying',
           next_attempt_at = now() + make_interval(secs => $3::double precision / 1000),
           last_status_code = $4, last_error = $5, updated_at = now()
         WHERE id = $1::uuid AND status = 'sending' AND attempts = $2`,
        delivery.id,
        delivery.attempts,
        result.delayMs,
        result.statusCode,
        result.error,
      );
      return updated > 0;
    });
  }

  async markFailed(
    delivery: ClaimedDelivery,
    result: { statusCode: number | null; error: string },
  ): Promise<boolean> {
    const updated = await this.prisma.$executeRawUnsafe(
      `UPDATE wake_deliveries SET status = 'failed', last_status_code = $3, last_error = $4,
         updated_at = now()
       WHERE id = $1::uuid AND status = 'sending' AND attempts = $2`,
      delivery.id,
      delivery.attempts,
      result.statusCode,
      result.error,
    );
    return updated > 0;
  }

  /** Wakes not yet sent to an agent whose hook was removed. */
  async cancelForAgent(tx: Tx, agentId: string): Promise<void> {
    await tx.$executeRawUnsafe(
      `UPDATE wake_deliveries SET status = 'cancelled', last_error = 'the wake URL was removed',
         updated_at = now()
       WHERE agent_id = $1::uuid AND status IN ('queued', 'retrying')`,
      agentId,
    );
  }

  /** The agent's latest delivery since `since` (its hook's creation), superseded ones aside. */
  async latest(agentId: string, since: Date): Promise<DeliveryRecord | null> {
    const row = await this.prisma.wakeDelivery.findFirst({
      where: {
        agentId,
        createdAt: { gte: since },
        status: { notIn: ['superseded', 'cancelled'] },
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    return row ? recordOf(row) : null;
  }

  /** Deletes finished deliveries older than `retentionMs`, keeping each agent's latest. */
  async prune(retentionMs: number): Promise<number> {
    return this.prisma.$executeRawUnsafe(
      `DELETE FROM wake_deliveries d
       WHERE d.status IN ('delivered', 'failed', 'superseded', 'cancelled')
         AND d.updated_at < now() - make_interval(secs => $1::double precision / 1000)
         AND EXISTS (SELECT 1 FROM wake_deliveries n
                     WHERE n.agent_id = d.agent_id AND n.created_at > d.created_at)`,
      retentionMs,
    );
  }
}
