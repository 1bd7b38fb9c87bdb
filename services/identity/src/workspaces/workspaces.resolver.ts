import { Args, ID, Mutation, Parent, Query, ResolveReference, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@mission-control/auth';
import { validId } from '@mission-control/eventing';
import {
  ApiKey,
  Invitation,
  InvitationPayload,
  IssuedApiKey,
  Member,
  PermissionValue,
  RoleValue,
  Workspace,
  WorkspaceMembership,
  asPermission,
  asRole,
  toRoleValue,
} from '../graphql/identity.models';
import type { ApiKeyRecord, InvitationRecord, MemberRecord } from './workspaces.repository';
import { WorkspacesService } from './workspaces.service';

const memberOf = (member: MemberRecord): Member => ({ ...member, role: toRoleValue(member.role) });
const invitationOf = (invitation: InvitationRecord) => ({
  ...invitation,
  role: toRoleValue(invitation.role),
});
const apiKeyOf = (key: ApiKeyRecord): ApiKey => ({
  id: key.id,
  workspaceId: key.workspaceId,
  name: key.name,
  prefix: key.prefix,
  scopes: key.scopes as PermissionValue[],
  createdAt: key.createdAt,
  revokedAt: key.revokedAt,
  lastUsedAt: key.lastUsedAt,
});

/** Thin: every check and rule is in WorkspacesService and the workspace decider. */
@Resolver(() => Workspace)
export class WorkspacesResolver {
  constructor(private readonly workspaces: WorkspacesService) {}

  @Mutation(() => Workspace, { description: 'Creates a workspace; you become its admin.' })
  createWorkspace(
    @CurrentPrincipal() principal: Principal,
    @Args('name') name: string,
  ): Promise<Workspace> {
    return this.workspaces.create(principal, name);
  }

  @Query(() => Workspace)
  workspace(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, validId) id: string,
  ): Promise<Workspace> {
    return this.workspaces.get(principal, id);
  }

  @Query(() => [Member])
  async members(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
  ): Promise<Member[]> {
    return (await this.workspaces.members(principal, workspaceId)).map(memberOf);
  }

  @Mutation(() => InvitationPayload, { description: 'Needs admin_access.' })
  async inviteMember(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('email') email: string,
    @Args('role', { type: () => RoleValue }) role: RoleValue,
  ): Promise<InvitationPayload> {
    const { invitation, token } = await this.workspaces.invite(principal, workspaceId, {
      email,
      role: asRole(role),
    });
    return { invitation: invitationOf(invitation), token };
  }

  @Mutation(() => WorkspaceMembership, {
    description: 'Joins the workspace of an invitation sent to your email address.',
  })
  async acceptInvitation(
    @CurrentPrincipal() principal: Principal,
    @Args('token') token: string,
  ): Promise<WorkspaceMembership> {
    const { workspace, role } = await this.workspaces.acceptInvitation(principal, token);
    return { workspace, role: toRoleValue(role) };
  }

  @Mutation(() => Member, { description: 'Needs admin_access; the last admin stays admin.' })
  async changeMemberRole(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('userId', { type: () => ID }, validId) userId: string,
    @Args('role', { type: () => RoleValue }) role: RoleValue,
  ): Promise<Member> {
    return memberOf(await this.workspaces.changeRole(principal, workspaceId, userId, asRole(role)));
  }

  @Mutation(() => Boolean, {
    description: 'Needs admin_access, except to leave yourself; the last admin cannot leave.',
  })
  removeMember(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('userId', { type: () => ID }, validId) userId: string,
  ): Promise<boolean> {
    return this.workspaces.remove(principal, workspaceId, userId);
  }

  @Mutation(() => IssuedApiKey, { description: 'Needs admin_access. The secret is shown once.' })
  async issueApiKey(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('name') name: string,
    @Args('scopes', { type: () => [PermissionValue] }) scopes: PermissionValue[],
  ): Promise<IssuedApiKey> {
    const { apiKey, secret } = await this.workspaces.issueApiKey(principal, workspaceId, {
      name,
      scopes: scopes.map(asPermission),
    });
    return { apiKey: apiKeyOf(apiKey), secret };
  }

  @Mutation(() => ApiKey, { description: 'Needs admin_access.' })
  async revokeApiKey(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('apiKeyId', { type: () => ID }, validId) apiKeyId: string,
  ): Promise<ApiKey> {
    return apiKeyOf(await this.workspaces.revokeApiKey(principal, workspaceId, apiKeyId));
  }

  @Query(() => [ApiKey], { description: 'Needs admin_access. Never shows secrets.' })
  async apiKeys(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
  ): Promise<ApiKey[]> {
    return (await this.workspaces.apiKeys(principal, workspaceId)).map(apiKeyOf);
  }

  @Mutation(() => Workspace, { description: 'Needs admin_access. The slug stays.' })
  renameWorkspace(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('name') name: string,
  ): Promise<Workspace> {
    return this.workspaces.rename(principal, workspaceId, name);
  }

  @Query(() => [Invitation], {
    description: 'Needs admin_access. Invitations not yet accepted, withdrawn or expired.',
  })
  async invitations(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
  ): Promise<Invitation[]> {
    return (await this.workspaces.pendingInvitations(principal, workspaceId)).map(invitationOf);
  }

  @Mutation(() => Invitation, {
    description: 'Needs admin_access. Withdraws a pending invitation: its token stops working.',
  })
  async revokeInvitation(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('invitationId', { type: () => ID }, validId) invitationId: string,
  ): Promise<Invitation> {
    return invitationOf(
      await this.workspaces.revokeInvitation(principal, workspaceId, invitationId),
    );
  }

  @ResolveReference()
  resolveReference(
    @Parent() reference: { id: string },
    @CurrentPrincipal() principal: Principal,
  ): Promise<Workspace | null> {
    return this.workspaces.reference(principal, reference.id);
  }
}
