import {
  Args,
  Context,
  ID,
  Mutation,
  Parent,
  Query,
  ResolveField,
  ResolveReference,
  Resolver,
} from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@mission-control/auth';
import { validId } from '@mission-control/eventing';
import {
  BoardColumnValue,
  CreateMissionInput,
  Mission,
  MissionComment,
  MissionTimelineEntry,
  UpdateMissionInput,
  asColumn,
  asPriority,
  toMission,
} from '../graphql/mission.models';
import type { MissionRecord } from './missions.repository';
import { MissionsService } from './missions.service';

// Resolved fields get the record back as their parent.
const recordOf = (mission: Mission): MissionRecord => ({
  ...mission,
  column: asColumn(mission.column),
  priority: asPriority(mission.priority),
});

/** Thin: every check and rule is in MissionsService and the mission decider. */
@Resolver(() => Mission)
export class MissionsResolver {
  constructor(private readonly missions: MissionsService) {}

  @Query(() => Mission)
  async mission(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('id', { type: () => ID }, validId) id: string,
  ): Promise<Mission> {
    return toMission(await this.missions.get(principal, workspaceId, id));
  }

  @Query(() => [Mission], {
    description:
      'The missions of the workspace that wait for one not done yet (blocked), oldest first.',
  })
  async blockedMissions(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
  ): Promise<Mission[]> {
    return (await this.missions.blocked(principal, workspaceId)).map(toMission);
  }

  @Mutation(() => Mission, { description: 'Needs create_missions.' })
  async createMission(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('input') input: CreateMissionInput,
  ): Promise<Mission> {
    return toMission(
      await this.missions.create(principal, workspaceId, {
        title: input.title,
        description: input.description,
        priority: input.priority ? asPriority(input.priority) : null,
        tags: input.tags,
        column: input.column ? asColumn(input.column) : null,
      }),
    );
  }

  @Mutation(() => Mission, { description: 'Needs create_missions.' })
  async updateMission(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('missionId', { type: () => ID }, validId) missionId: string,
    @Args('input') input: UpdateMissionInput,
  ): Promise<Mission> {
    return toMission(
      await this.missions.update(principal, workspaceId, missionId, {
        title: input.title ?? undefined,
        description: input.description,
        priority: input.priority ? asPriority(input.priority) : null,
        tags: input.tags,
      }),
    );
  }

  @Mutation(() => Mission, {
    description:
      'Moves a mission to a column, right after `afterId` and/or right before `beforeId` ' +
      '(missions of that column); with neither, to its end. Needs create_missions, or an agent ' +
      'moving the mission it claimed.',
  })
  async moveMission(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('missionId', { type: () => ID }, validId) missionId: string,
    @Args('column', { type: () => BoardColumnValue }) column: BoardColumnValue,
    @Args('beforeId', { type: () => ID, nullable: true }, validId) beforeId?: string | null,
    @Args('afterId', { type: () => ID, nullable: true }, validId) afterId?: string | null,
  ): Promise<Mission> {
    return toMission(
      await this.missions.move(principal, workspaceId, missionId, asColumn(column), {
        beforeId,
        afterId,
      }),
    );
  }

  @Mutation(() => Mission, {
    description:
      'Assigns to an agent, or unassigns with null; drops any claim. Needs create_missions.',
  })
  async assignMission(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('missionId', { type: () => ID }, validId) missionId: string,
    @Args('agentId', { type: () => ID, nullable: true }, validId) agentId: string | null,
  ): Promise<Mission> {
    return toMission(
      await this.missions.assign(principal, workspaceId, missionId, agentId ?? null),
    );
  }

  @Mutation(() => Mission, { description: 'For the agent the mission is assigned to.' })
  async claimMission(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('missionId', { type: () => ID }, validId) missionId: string,
  ): Promise<Mission> {
    return toMission(await this.missions.claim(principal, workspaceId, missionId));
  }

  @Mutation(() => MissionComment, {
    description:
      'Markdown; `@name` mentions are recorded. Needs create_missions, or an agent commenting ' +
      'on the mission it claimed.',
  })
  addComment(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('missionId', { type: () => ID }, validId) missionId: string,
    @Args('body') body: string,
  ): Promise<MissionComment> {
    return this.missions.comment(principal, workspaceId, missionId, body);
  }

  @Mutation(() => Mission, {
    description:
      'The mission (`missionId`) waits for `blockerId` from now on: while the blocker is not ' +
      'done, it is blocked and never offered by nextMission. Adding an existing dependency changes ' +
      'nothing; one that would close a cycle is refused (CONFLICT, naming it). Needs create_missions.',
  })
  async addMissionDependency(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('missionId', { type: () => ID }, validId) missionId: string,
    @Args('blockerId', { type: () => ID }, validId) blockerId: string,
  ): Promise<Mission> {
    return toMission(
      await this.missions.addDependency(principal, workspaceId, missionId, blockerId),
    );
  }

  @Mutation(() => Mission, {
    description:
      'The mission no longer waits for `blockerId` (none: nothing changes). Needs create_missions.',
  })
  async removeMissionDependency(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('missionId', { type: () => ID }, validId) missionId: string,
    @Args('blockerId', { type: () => ID }, validId) blockerId: string,
  ): Promise<Mission> {
    return toMission(
      await this.missions.removeDependency(principal, workspaceId, missionId, blockerId),
    );
  }

  @ResolveField(() => [Mission], {
    description: 'The missions it waits for, done or not, in the order they were added.',
  })
  async dependencies(
    @CurrentPrincipal() principal: Principal,
    @Context() request: object,
    @Parent() mission: Mission,
  ): Promise<Mission[]> {
    return (await this.missions.linked(principal, request, mission, 'blockers')).map(toMission);
  }

  @ResolveField(() => [Mission], {
    description: 'The missions it waits for that are not done yet: while any is, it is blocked.',
  })
  async blockedBy(
    @CurrentPrincipal() principal: Principal,
    @Context() request: object,
    @Parent() mission: Mission,
  ): Promise<Mission[]> {
    const blockers = await this.missions.linked(principal, request, mission, 'blockers');
    return blockers.filter((blocker) => blocker.column !== 'done').map(toMission);
  }

  @ResolveField(() => Boolean, {
    description:
      'Whether a mission it waits for is not done yet. A blocked mission is never offered by ' +
      'nextMission nor claimed; it need not sit in the Blocked column.',
  })
  async isBlocked(
    @CurrentPrincipal() principal: Principal,
    @Context() request: object,
    @Parent() mission: Mission,
  ): Promise<boolean> {
    const blockers = await this.missions.linked(principal, request, mission, 'blockers');
    return blockers.some((blocker) => blocker.column !== 'done');
  }

  @ResolveField(() => [Mission], { description: 'The missions that wait for it, done or not.' })
  async dependants(
    @CurrentPrincipal() principal: Principal,
    @Context() request: object,
    @Parent() mission: Mission,
  ): Promise<Mission[]> {
    return (await this.missions.linked(principal, request, mission, 'dependants')).map(toMission);
  }

  @ResolveField(() => [Mission], {
    description: 'The missions it holds up now: those that wait for it, while it is not done.',
  })
  async blocks(
    @CurrentPrincipal() principal: Principal,
    @Context() request: object,
    @Parent() mission: Mission,
  ): Promise<Mission[]> {
    if (mission.column === BoardColumnValue.DONE) {
      return [];
    }
    return (await this.missions.linked(principal, request, mission, 'dependants')).map(toMission);
  }

  @ResolveField(() => [MissionComment], { description: 'Oldest first.' })
  comments(
    @CurrentPrincipal() principal: Principal,
    @Parent() mission: Mission,
  ): Promise<MissionComment[]> {
    return this.missions.comments(principal, recordOf(mission));
  }

  @ResolveField(() => [MissionTimelineEntry], {
    description: 'Every event of the mission, oldest first.',
  })
  timeline(
    @CurrentPrincipal() principal: Principal,
    @Parent() mission: Mission,
  ): Promise<MissionTimelineEntry[]> {
    return this.missions.timeline(principal, recordOf(mission));
  }

  @ResolveReference()
  async resolveReference(
    @Parent() reference: { id: string },
    @CurrentPrincipal() principal: Principal,
  ): Promise<Mission | null> {
    const mission = await this.missions.reference(principal, reference.id);
    return mission ? toMission(mission) : null;
  }
}
