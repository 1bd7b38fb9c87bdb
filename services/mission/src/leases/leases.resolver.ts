import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@mission-control/auth';
import { validId } from '@mission-control/eventing';
import { Mission, toMission } from '../graphql/mission.models';
import { IdempotencyKeyArg } from '../idempotency/idempotency-key.arg';
import { LeasesService } from './leases.service';

/** Thin: the rules are in LeasesService and the mission decider. */
@Resolver(() => Mission)
export class LeasesResolver {
  constructor(private readonly leases: LeasesService) {}

  @Mutation(() => Mission, {
    description:
      'Extends the lease on a mission you (an agent) hold: send it well within ' +
      'MISSION_LEASE_SECONDS; writing to your run does the same. CONFLICT once the lease ran out.',
  })
  async renewLease(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('missionId', { type: () => ID }, validId) missionId: string,
  ): Promise<Mission> {
    return toMission(await this.leases.renew(principal, workspaceId, missionId));
  }

  @Mutation(() => Mission, {
    description:
      'Gives a mission you (an agent) hold back to the queue, unassigned; your run of it ends abandoned.',
  })
  async releaseMission(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('missionId', { type: () => ID }, validId) missionId: string,
    @IdempotencyKeyArg() idempotencyKey?: string | null,
  ): Promise<Mission> {
    return toMission(
      await this.leases.release(principal, workspaceId, missionId, idempotencyKey ?? null),
    );
  }
}
