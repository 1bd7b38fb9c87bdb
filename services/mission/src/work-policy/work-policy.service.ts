import { Injectable } from '@nestjs/common';
import { actorOf, assertPermission, assertWorkspace, type Principal } from '@mission-control/auth';
import { PrismaService } from '../database/prisma.service';
import { AggregateRunner, type Tx } from '../eventing/mission-event-store';
import {
  DEFAULT_WORK_POLICY,
  setWorkPolicy,
  workPolicyDecider,
  workPolicyStreamId,
  type LapsedClaimAction,
  type WorkPolicy,
} from './work-policy.decider';

/** How a workspace wants its work handled (PRODUCT M16); every member reads it, admins set it. */
@Injectable()
export class WorkPolicyService {
  constructor(
    private readonly runner: AggregateRunner,
    private readonly prisma: PrismaService,
  ) {}

  async get(principal: Principal, workspaceId: string): Promise<WorkPolicy> {
    assertWorkspace(principal, workspaceId);
    return this.of(this.prisma, workspaceId);
  }

  async set(principal: Principal, workspaceId: string, policy: WorkPolicy): Promise<WorkPolicy> {
    assertWorkspace(principal, workspaceId);
    assertPermission(principal, 'admin_access');
    const command = setWorkPolicy({ workspaceId, actor: actorOf(principal), data: policy });
    return this.runner.transaction(async (tx) => {
      const decided = await this.runner.execute(
        tx,
        workPolicyDecider,
        workPolicyStreamId(workspaceId),
        command,
      );
      const last = decided.stored.at(-1);
      if (last) {
        const row = {
          lapsedClaims: decided.state.lapsedClaims,
          version: last.version,
          updatedAt: last.recordedAt,
        };
        await tx.workPolicy.upsert({
          where: { workspaceId },
          create: { workspaceId, ...row },
          update: row,
        });
      }
      return decided.state;
    });
  }

  /** The policy in force, read on the caller's transaction (the default when none was set). */
  async of(db: Tx | PrismaService, workspaceId: string): Promise<WorkPolicy> {
    const row = await db.workPolicy.findUnique({ where: { workspaceId } });
    return row ? { lapsedClaims: row.lapsedClaims as LapsedClaimAction } : DEFAULT_WORK_POLICY;
  }
}
