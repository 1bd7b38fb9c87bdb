import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@mission-control/auth';
import { validId } from '@mission-control/eventing';
import { Mission, toMission } from '../graphql/mission.models';
import { Run } from '../runs/run.models';
import { runOf } from '../runs/runs.resolver';
import { AgentWorkService } from './agent-work.service';

/** Thin: access is in AgentWorkService. */
@Resolver(() => Mission)
export class AgentClaimsResolver {
  constructor(private readonly work: AgentWorkService) {}

  @Query(() => [Mission], {
    description:
      'The missions an agent holds a claim on, the one whose lease runs out first first.',
  })
  async claimedMissions(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('agentId', { type: () => ID }, validId) agentId: string,
  ): Promise<Mission[]> {
    return (await this.work.claimedMissions(principal, workspaceId, agentId)).map(toMission);
  }

  @ResolveField(() => Run, {
    nullable: true,
    description: 'The run going on now under its claim; null when no agent is running it.',
  })
  async activeRun(
    @CurrentPrincipal() principal: Principal,
    @Context() request: object,
    @Parent() mission: Mission,
  ): Promise<Run | null> {
    const run = await this.work.activeRun(principal, request, mission);
    return run ? runOf(run) : null;
  }
}

@Resolver(() => Run)
export class RunMissionResolver {
  constructor(private readonly work: AgentWorkService) {}

  @ResolveField(() => Mission, { description: 'The mission the run works on.' })
  async mission(
    @CurrentPrincipal() principal: Principal,
    @Context() request: object,
    @Parent() run: Run,
  ): Promise<Mission> {
    return toMission(await this.work.missionOf(principal, request, run));
  }
}
