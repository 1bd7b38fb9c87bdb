import {
  Args,
  Context,
  Mutation,
  Parent,
  Query,
  ResolveField,
  ResolveReference,
  Resolver,
} from '@nestjs/graphql';
import {
  clientAddressOf,
  CurrentPrincipal,
  OptionalPrincipal,
  Public,
  type Principal,
} from '@mission-control/auth';
import { validId } from '@mission-control/eventing';
import type { Request } from 'express';
import {
  AccessToken,
  AuthPayload,
  User,
  WorkspaceMembership,
  toRoleValue,
} from '../graphql/identity.models';
import { WorkspacesService } from '../workspaces/workspaces.service';
import { AuthService, type AuthResult } from './auth.service';
import { UsersRepository } from './users.repository';

// The users this service just authenticated in an AuthPayload (sign-up, log-in, refresh): the
// caller proved to be them, though the request carries no principal yet. Keyed by the object
// the payload holds, so nothing else (an entity reference, another user) can pose as one.
const authenticatedUsers = new WeakSet<User>();

const payloadOf = (result: AuthResult): AuthPayload => {
  const user: User = { ...result.user };
  authenticatedUsers.add(user);
  return {
    accessToken: result.accessToken.token,
    accessTokenExpiresAt: result.accessToken.expiresAt,
    refreshToken: result.refreshToken,
    user,
  };
};

@Resolver(() => User)
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersRepository,
    private readonly workspaces: WorkspacesService,
  ) {}

  @Public()
  @Mutation(() => AuthPayload, { description: 'Creates an account and starts a session.' })
  async signUp(
    @Args('email') email: string,
    @Args('password') password: string,
    @Args('name') name: string,
  ): Promise<AuthPayload> {
    return payloadOf(await this.auth.signUp({ email, password, name }));
  }

  @Public()
  @Mutation(() => AuthPayload, {
    description: 'Starts a session. Failed attempts are limited per account and per address.',
  })
  async logIn(
    @Args('email') email: string,
    @Args('password') password: string,
    @Context('req') req: Request,
  ): Promise<AuthPayload> {
    // The address the gateway signed into its edge proof: a caller's X-Forwarded-For counts for nothing.
    return payloadOf(await this.auth.logIn({ email, password }, clientAddressOf(req)));
  }

  @Public()
  @Mutation(() => AuthPayload, {
    description: 'Exchanges a refresh token for new tokens; each refresh token works once.',
  })
  async refreshSession(@Args('refreshToken') refreshToken: string): Promise<AuthPayload> {
    return payloadOf(await this.auth.refresh(refreshToken));
  }

  @Public()
  @Mutation(() => Boolean, { description: 'Ends the session the refresh token belongs to.' })
  logOut(@Args('refreshToken') refreshToken: string): Promise<boolean> {
    return this.auth.logOut(refreshToken);
  }

  @Mutation(() => AccessToken, {
    description: 'An access token acting in one of your workspaces, with your role there.',
  })
  async switchWorkspace(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', validId) workspaceId: string,
  ): Promise<AccessToken> {
    const issued = await this.auth.switchWorkspace(principal, workspaceId);
    return { accessToken: issued.token, accessTokenExpiresAt: issued.expiresAt };
  }

  @Public()
  @Mutation(() => AccessToken, {
    description: 'A short-lived access token for an API key, limited to the key’s scopes.',
  })
  async exchangeApiKey(@Args('key') key: string): Promise<AccessToken> {
    const issued = await this.auth.exchangeApiKey(key);
    return { accessToken: issued.token, accessTokenExpiresAt: issued.expiresAt };
  }

  @Query(() => User, { description: 'The signed-in person.' })
  me(@CurrentPrincipal() principal: Principal): Promise<User> {
    return this.auth.me(principal);
  }

  @Public()
  @ResolveField(() => [WorkspaceMembership], {
    description: 'Workspaces this person belongs to; only on yourself (empty for anyone else).',
  })
  async memberships(
    @Parent() user: User,
    @OptionalPrincipal() principal: Principal | undefined,
  ): Promise<WorkspaceMembership[]> {
    const isSelf =
      authenticatedUsers.has(user) || (principal?.kind === 'user' && principal.subject === user.id);
    if (!isSelf) {
      return [];
    }
    const rows = await this.workspaces.membershipsOf(user.id);
    return rows.map(({ role, ...workspace }) => ({ workspace, role: toRoleValue(role) }));
  }

  /** Another subgraph's reference to a person: yourself or a member of your workspace only. */
  @ResolveReference()
  async resolveReference(
    @Parent() reference: { id: string },
    @CurrentPrincipal() principal: Principal,
  ): Promise<User | null> {
    return (await this.workspaces.canSeeUser(principal, reference.id))
      ? this.users.findById(reference.id)
      : null;
  }
}
