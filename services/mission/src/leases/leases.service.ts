import { Inject, Injectable } from '@nestjs/common';
import { actorOf, assertAgentIn, type Principal } from '@mission-control/auth';
import { AppError, ErrorCode } from '@mission-control/errors';
import { isId } from '@mission-control/eventing';
import type { Actor } from '@mission-control/proto';
import { PrismaService } from '../database/prisma.service';
import { AggregateRunner, type Tx } from '../eventing/mission-event-store';
import type { Column } from '../missions/board';
import { releaseClaim, type ReleaseReason } from '../missions/mission.commands';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { MissionsService } from '../missions/missions.service';
import { MissionsRepository, type MissionRecord } from '../missions/missions.repository';
import { RunsService } from '../runs/runs.service';
import { WorkPolicyService } from '../work-policy/work-policy.service';
import { LEASE_KEEPER, LEASE_SETTINGS, type LeaseSettings } from './lease-settings';

const WHY: Record<ReleaseReason, string> = {
  lease_expired: 'Abandoned: the claim’s lease ran out (the agent stopped renewing it).',
  agent_offline: 'Abandoned: the agent went offline.',
  released: 'Abandoned: the agent gave the mission back.',
};
const BLOCKED = 'The mission went to Blocked, as the workspace’s work policy asks.';

/**
 * Claims' leases (PRODUCT M16): renewing them, giving a mission back, and ending the claims whose
 * agent stopped answering, so no mission stays stuck with a dead agent: the mission goes back to
 * the queue, unassigned, and the run under that claim ends `abandoned`, in one transaction.
 */
@Injectable()
export class LeasesService {
  constructor(
    private readonly runner: AggregateRunner,
    private readonly missions: MissionsRepository,
    private readonly missionCommands: MissionsService,
    private readonly runs: RunsService,
    private readonly prisma: PrismaService,
    private readonly idempotency: IdempotencyService,
    private readonly policies: WorkPolicyService,
    @Inject(LEASE_SETTINGS) private readonly settings: LeaseSettings,
  ) {}

  /** The holding agent extends its lease; a lease that ran out is CONFLICT (claim it again). */
  async renew(
    principal: Principal,
    workspaceId: string,
    missionId: string,
  ): Promise<MissionRecord> {
    assertAgentIn(principal, workspaceId, 'Only an agent holds a claim');
    // The renewal is tried first: a holder renewing on time (nearly every call) costs one
    // statement before its answer is read; only a refusal reads the mission to say why.
    const renewed =
      isId(missionId) &&
      (await this.missions.renewLease(
        this.prisma,
        workspaceId,
        missionId,
        principal.subject,
        this.settings.leaseSeconds,
      ));
    const mission = await this.holdersMission(principal, workspaceId, missionId);
    if (!renewed) {
      throw new AppError(
        ErrorCode.CONFLICT,
        'You no longer hold this mission: its lease ran out or the claim ended. Claim it again if it is still yours.',
        { missionId, claimEpoch: mission.claimEpoch },
        { retryable: false },
      );
    }
    return mission;
  }

  /**
   * The holding agent gives the mission back to the queue. A mission nobody holds any more (given
   * back already, or its lease ran out) is answered as it is: there is nothing left to give back.
   */
  async release(
    principal: Principal,
    workspaceId: string,
    missionId: string,
    idempotencyKey: string | null = null,
  ): Promise<MissionRecord> {
    await this.holdersMission(principal, workspaceId, missionId);
    const keyed = {
      workspaceId,
      actor: principal.subject,
      key: idempotencyKey,
      operation: 'releaseMission',
      input: { missionId },
    };
    await this.runner.transaction((tx) =>
      this.idempotency.once(tx, keyed, async () => {
        const mission = await this.missions.find(workspaceId, missionId, tx);
        if (mission?.claimedBy === null) {
          return {};
        }
        if (!mission || mission.claimedBy !== principal.subject) {
          throw AppError.conflict('Another agent holds this mission', { missionId });
        }
        await this.endClaim(tx, mission, 'released', actorOf(principal));
        return {};
      }),
    );
    return (await this.missions.find(workspaceId, missionId))!;
  }

  /**
   * Ends up to `limit` claims whose lease ran out, and runs left without their claim (a mission
   * reassigned mid-run, or written before leases). Returns how many were ended; safe on every
   * replica at once (rows are locked and skipped) and again after a crash (each end is once).
   */
  async sweep(limit: number): Promise<number> {
    return this.runner.transaction(async (tx) => {
      // Kept ahead of the next two sweeps, so a heartbeating agent's lease never runs out between.
      await this.missions.keepLeasesOfOnlineAgents(
        tx,
        this.settings.leaseSeconds,
        this.settings.sweepSeconds * 2,
      );
      const expired = await this.missions.expiredClaims(tx, limit);
      for (const mission of expired) {
        await this.endClaim(tx, mission, 'lease_expired', LEASE_KEEPER);
      }
      const orphans = await this.runs.abandonOrphans(
        tx,
        'Abandoned: its mission’s claim ended without it.',
        limit,
      );
      const { runIdleSeconds } = this.settings;
      const timedOut =
        runIdleSeconds > 0 ? await this.runs.timeOutIdle(tx, runIdleSeconds, limit) : 0;
      return expired.length + orphans + timedOut;
    });
  }

  /**
   * An agent went offline, or was deactivated, at `at`: every claim it made before then ends (in
   * the consumer's transaction). One made since is the agent's again, back before the news came.
   */
  async releaseAgent(tx: Tx, agentId: string, at: Date): Promise<number> {
    const held = (await this.missions.claimedBy(tx, agentId, at)).filter(
      // A claim recorded before leases has no epoch to end it by.
      (mission) => mission.claimEpoch > 0,
    );
    for (const mission of held) {
      await this.endClaim(tx, mission, 'agent_offline', LEASE_KEEPER);
    }
    return held.length;
  }

  private async holdersMission(
    principal: Principal,
    workspaceId: string,
    missionId: string,
  ): Promise<MissionRecord> {
    assertAgentIn(principal, workspaceId, 'Only an agent holds a claim');
    const mission = isId(missionId) ? await this.missions.find(workspaceId, missionId) : null;
    if (!mission) {
      throw AppError.notFound('Mission');
    }
    return mission;
  }

  /**
   * Work in progress goes back to To do (at its end), or to Blocked when the claim lapsed and the
   * workspace's policy says so; anything else stays where it is.
   */
  private async endClaim(
    tx: Tx,
    mission: MissionRecord,
    reason: ReleaseReason,
    actor: Actor,
  ): Promise<void> {
    const { workspaceId } = mission;
    let column: Column = mission.column;
    if (column === 'in_progress') {
      const block =
        reason !== 'released' && (await this.policies.of(tx, workspaceId)).lapsedClaims === 'block';
      column = block ? 'blocked' : 'todo';
    }
    let placement = { after: null as string | null, before: null as string | null };
    if (column !== mission.column) {
      await this.missions.lockColumn(tx, workspaceId, column);
      const last = await this.missions.neighbourRank(tx, workspaceId, column, 'before', null, null);
      placement = { after: last, before: null };
    }
    const { events } = await this.missionCommands.execute(
      tx,
      releaseClaim({
        workspaceId,
        actor,
        data: { missionId: mission.id, epoch: mission.claimEpoch, reason, column, placement },
      }),
    );
    if (events.length > 0) {
      const why = column === 'blocked' ? `${WHY[reason]} ${BLOCKED}` : WHY[reason];
      await this.runs.abandon(tx, workspaceId, mission.id, mission.claimEpoch, why);
    }
  }
}
