import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@mission-control/auth';
import { validId } from '@mission-control/eventing';
import { Mission, toMission } from '../graphql/mission.models';
import { IdempotencyKeyArg } from '../idempotency/idempotency-key.arg';
import { DispatchService } from './dispatch.service';

/** Thin: the choice and the claim are DispatchService's. */
@Resolver(() => Mission)
export class DispatchResolver {
  constructor(private readonly dispatch: DispatchService) {}

  @Mutation(() => Mission, {
    nullable: true,
    description:
      'For an agent: the best mission it may take, now assigned to it and claimed (with a lease ' +
      'and epoch), or null when there is none. Its own assigned missions first, then unassigned ' +
      'ones in To do, by priority with aging; each mission goes to one agent, however many ask.',
  })
  async nextMission(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @IdempotencyKeyArg() idempotencyKey?: string | null,
  ): Promise<Mission | null> {
    const mission = await this.dispatch.next(principal, workspaceId, idempotencyKey ?? null);
    return mission ? toMission(mission) : null;
  }
}
