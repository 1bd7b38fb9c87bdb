import { Injectable } from '@nestjs/common';
import { assertWorkspace, type Principal } from '@mission-control/auth';
import { AppError } from '@mission-control/errors';
import type { MissionRecord } from '../missions/missions.repository';
import type { RunRecord } from '../runs/runs.repository';
import { AgentWorkRepository } from './agent-work.repository';
import { batchOf } from './request-batch';

/**
 * Who is at work on what, for the board, the roster and an agent's page: the missions an agent
 * holds, the run going on under a mission, a run's mission. Any member of the workspace reads it.
 */
@Injectable()
export class AgentWorkService {
  constructor(private readonly work: AgentWorkRepository) {}

  claimedMissions(
    principal: Principal,
    workspaceId: string,
    agentId: string,
  ): Promise<MissionRecord[]> {
    assertWorkspace(principal, workspaceId);
    return this.work.claimedBy(workspaceId, agentId);
  }

  /** `request`: the GraphQL context, so that a whole board's cards take one query. */
  async activeRun(
    principal: Principal,
    request: object,
    mission: { id: string; workspaceId: string },
  ): Promise<RunRecord | null> {
    assertWorkspace(principal, mission.workspaceId);
    const batch = batchOf(request, `active-run:${mission.workspaceId}`, async (missionIds) => {
      const runs = await this.work.runningOf(mission.workspaceId, missionIds);
      // Newest first: should a mission have two (an orphan not yet swept), the newer one counts.
      const byMission = new Map<string, RunRecord>();
      for (const run of runs) {
        if (!byMission.has(run.missionId)) {
          byMission.set(run.missionId, run);
        }
      }
      return byMission;
    });
    return (await batch.get(mission.id)) ?? null;
  }

  async missionOf(
    principal: Principal,
    request: object,
    run: { missionId: string; workspaceId: string },
  ): Promise<MissionRecord> {
    assertWorkspace(principal, run.workspaceId);
    const batch = batchOf(request, `run-mission:${run.workspaceId}`, async (ids) => {
      const missions = await this.work.missions(run.workspaceId, ids);
      return new Map(missions.map((mission) => [mission.id, mission]));
    });
    const mission = await batch.get(run.missionId);
    if (!mission) {
      throw AppError.notFound('Mission');
    }
    return mission;
  }
}
