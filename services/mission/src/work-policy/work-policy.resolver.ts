import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@mission-control/auth';
import { validId } from '@mission-control/eventing';
import { LapsedClaimActionValue, WorkPolicy } from './work-policy.models';
import { WorkPolicyService } from './work-policy.service';

/** Thin: who may do what is in WorkPolicyService, the rules in the work-policy decider. */
@Resolver(() => WorkPolicy)
export class WorkPolicyResolver {
  constructor(private readonly service: WorkPolicyService) {}

  @Query(() => WorkPolicy, { description: 'How the workspace wants its work handled.' })
  async workPolicy(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
  ): Promise<WorkPolicy> {
    return asModel(await this.service.get(principal, workspaceId));
  }

  @Mutation(() => WorkPolicy, {
    description:
      'Sets what happens to work whose claim lapsed, from the next lapse on. For admins.',
  })
  async setWorkPolicy(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('lapsedClaims', { type: () => LapsedClaimActionValue })
    lapsedClaims: LapsedClaimActionValue,
  ): Promise<WorkPolicy> {
    return asModel(await this.service.set(principal, workspaceId, { lapsedClaims }));
  }
}

const asModel = (policy: { lapsedClaims: string }): WorkPolicy => ({
  lapsedClaims: policy.lapsedClaims as LapsedClaimActionValue,
});
