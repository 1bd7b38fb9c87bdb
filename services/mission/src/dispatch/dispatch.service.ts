import { Inject, Injectable } from '@nestjs/common';
import { actorOf, assertAgentIn, type Principal } from '@mission-control/auth';
import { AppError, ErrorCode } from '@mission-control/errors';
import type { Actor } from '@mission-control/proto';
import { AgentRosterRepository } from '../agents/agent-roster.repository';
import { BudgetsService } from '../budgets/budgets.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { PrismaService } from '../database/prisma.service';
import { AggregateRunner, type Tx } from '../eventing/mission-event-store';
import { LEASE_SETTINGS, type LeaseSettings } from '../leases/lease-settings';
import { assignMission, claimMission } from '../missions/mission.commands';
import { MissionsService } from '../missions/missions.service';
import { MissionsRepository, type MissionRecord } from '../missions/missions.repository';
import { DispatchRepository } from './dispatch.repository';

export const DISPATCH_SETTINGS = Symbol('DISPATCH_SETTINGS');
/** How long a mission waits before it counts one priority level higher. */
export type DispatchSettings = { agingSeconds: number };

/**
 * Dispatch (PRODUCT A8, M16): an agent asks for work and gets the best mission it may take,
 * assigned to it and claimed in one transaction, so under any contention each mission is claimed
 * once. Blocked, done and in-review work is never offered.
 */
@Injectable()
export class DispatchService {
  constructor(
    private readonly runner: AggregateRunner,
    private readonly dispatch: DispatchRepository,
    private readonly missions: MissionsRepository,
    private readonly missionCommands: MissionsService,
    private readonly roster: AgentRosterRepository,
    private readonly prisma: PrismaService,
    private readonly budgets: BudgetsService,
    private readonly idempotency: IdempotencyService,
    @Inject(LEASE_SETTINGS) private readonly leases: LeaseSettings,
    @Inject(DISPATCH_SETTINGS) private readonly settings: DispatchSettings,
  ) {}

  /**
   * The mission now claimed by the calling agent, or null when there is nothing for it. Retried
   * with the same idempotency key, it answers the same mission instead of claiming another.
   */
  async next(
    principal: Principal,
    workspaceId: string,
    idempotencyKey: string | null = null,
  ): Promise<MissionRecord | null> {
    assertAgentIn(principal, workspaceId, 'Only an agent takes missions');
    const agentId = principal.subject;
    const agent = await this.roster.find(this.prisma, workspaceId, agentId);
    if (!agent?.active) {
      throw new AppError(
        ErrorCode.FORBIDDEN,
        'Only an active agent takes missions (one activated a moment ago may not be known yet: try again shortly)',
        {},
        { retryable: true },
      );
    }
    const actor = actorOf(principal);
    const keyed = {
      workspaceId,
      actor: agentId,
      key: idempotencyKey,
      operation: 'nextMission',
      input: {},
    };
    // The claim answers the row it wrote; a replay of the key, the mission as it is now.
    let claimed: MissionRecord | null | undefined;
    const { missionId } = await this.runner.transaction((tx) => {
      claimed = undefined;
      return this.idempotency.once(tx, keyed, async () => {
        claimed = await this.claimNext(tx, workspaceId, agentId, actor);
        return { missionId: claimed?.id ?? null };
      });
    });
    if (claimed !== undefined) {
      return claimed;
    }
    return missionId === null ? null : this.missions.find(workspaceId, missionId);
  }

  private async claimNext(
    tx: Tx,
    workspaceId: string,
    agentId: string,
    actor: Actor,
  ): Promise<MissionRecord | null> {
    // A stopped budget refuses claims too: work taken now could not be run.
    await this.budgets.assertOpen(tx, workspaceId, agentId);
    const missionId = await this.dispatch.nextFor(
      tx,
      workspaceId,
      agentId,
      this.settings.agingSeconds,
    );
    if (missionId === null) {
      return null;
    }
    // Locked by the pick: decided from its row, assigned (unless it is already) and claimed.
    const picked = (await this.missions.find(workspaceId, missionId, tx))!;
    const claim = claimMission({
      workspaceId,
      actor,
      data: { missionId, leaseSeconds: this.leases.leaseSeconds },
    });
    const commands =
      picked.assigneeAgentId === agentId
        ? [claim]
        : [assignMission({ workspaceId, actor, data: { missionId, agentId } }), claim];
    return (await this.missionCommands.executeOnRow(tx, picked, commands)).mission;
  }
}
