import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@mission-control/auth';
import { validId } from '@mission-control/eventing';
import { UserSession } from '../graphql/identity.models';
import { SessionsService } from './sessions.service';

/** Thin: the rules are in SessionsService and the user decider. */
@Resolver(() => UserSession)
export class SessionsResolver {
  constructor(private readonly service: SessionsService) {}

  @Query(() => [UserSession], { description: 'Your signed-in sessions, most recently used first.' })
  sessions(@CurrentPrincipal() principal: Principal): Promise<UserSession[]> {
    return this.service.list(principal);
  }

  @Mutation(() => Boolean, {
    description: 'Signs one of your sessions out; its tokens stop working at once.',
  })
  revokeSession(
    @CurrentPrincipal() principal: Principal,
    @Args('sessionId', { type: () => ID }, validId) sessionId: string,
  ): Promise<boolean> {
    return this.service.revoke(principal, sessionId);
  }

  @Mutation(() => Boolean, { description: 'Signs out every session of yours, this one included.' })
  signOutEverywhere(@CurrentPrincipal() principal: Principal): Promise<boolean> {
    return this.service.signOutEverywhere(principal);
  }

  @Mutation(() => Boolean, {
    description:
      'Sets a new password after checking the current one; signs out every other session.',
  })
  changePassword(
    @CurrentPrincipal() principal: Principal,
    @Args('currentPassword') currentPassword: string,
    @Args('newPassword') newPassword: string,
  ): Promise<boolean> {
    return this.service.changePassword(principal, { currentPassword, newPassword });
  }
}
