import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { missionOf, type MissionRecord } from '../missions/missions.repository';
import { recordOf, type RunRecord } from '../runs/runs.repository';

/** Reads of who is at work on what. Every read names its workspace. */
@Injectable()
export class AgentWorkRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * The missions `agentId` holds a claim with a lease on, the lease running out first first.
   * Only claims have a lease, so the partial index of leases finds them among all the missions.
   */
  async claimedBy(workspaceId: string, agentId: string): Promise<MissionRecord[]> {
    const rows = await this.prisma.mission.findMany({
      where: { workspaceId, claimedBy: agentId, leaseExpiresAt: { not: null } },
      orderBy: [{ leaseExpiresAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(missionOf);
  }

  /** The running runs of these missions (the partial index of running runs), newest first. */
  async runningOf(workspaceId: string, missionIds: string[]): Promise<RunRecord[]> {
    const rows = await this.prisma.run.findMany({
      where: { workspaceId, missionId: { in: missionIds }, status: 'running' },
      orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    });
    return rows.map(recordOf);
  }

  async missions(workspaceId: string, ids: string[]): Promise<MissionRecord[]> {
    const rows = await this.prisma.mission.findMany({ where: { workspaceId, id: { in: ids } } });
    return rows.map(missionOf);
  }
}
