import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  assertCanGrant,
  assertCanGrantRole,
  assertPermission,
  assertWorkspace,
  type Permission,
  type Principal,
  type Role,
} from '@mission-control/auth';
import { AppError } from '@mission-control/errors';
import type { Actor } from '@mission-control/proto';
import { AUTH_SETTINGS, type AuthSettings } from '../auth/identity-auth.config';
import { actorOf } from '@mission-control/auth';
import { requireUser } from '../common/principals';
import { randomToken, sha256 } from '../common/secrets';
import { AggregateRunner } from '../eventing/identity-event-store';
import { UsersRepository } from '../users/users.repository';
import {
  acceptInvitation,
  changeMemberRole,
  createWorkspace,
  inviteMember,
  issueApiKey,
  removeMember,
  renameWorkspace,
  revokeApiKey,
  revokeInvitation,
  type WorkspaceCommand,
} from './workspace.commands';
import { workspaceDecider, workspaceStreamId, type WorkspaceEvent } from './workspace.decider';
import { WorkspaceProjection, type WorkspaceSecrets } from './workspace.projection';
import {
  WorkspacesRepository,
  type ApiKeyRecord,
  type InvitationRecord,
  type MemberRecord,
  type WorkspaceRecord,
} from './workspaces.repository';

const slugOf = (name: string): string => {
  const base = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  // A random tail keeps slugs unique without a read-then-write race on the name.
  return `${base || 'workspace'}-${randomBytes(3).toString('hex')}`;
};

/** Workspaces, members, invitations and API keys: access checks, then the workspace aggregate. */
@Injectable()
export class WorkspacesService {
  constructor(
    private readonly runner: AggregateRunner,
    private readonly workspaces: WorkspacesRepository,
    private readonly users: UsersRepository,
    private readonly projection: WorkspaceProjection,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  async create(principal: Principal, name: string): Promise<WorkspaceRecord> {
    const userId = requireUser(principal);
    const workspaceId = randomUUID();
    await this.run(
      createWorkspace({
        workspaceId,
        actor: { kind: 'user', id: userId },
        data: { name, slug: slugOf(String(name)) },
      }),
    );
    return this.found(workspaceId);
  }

  async get(principal: Principal, workspaceId: string): Promise<WorkspaceRecord> {
    assertWorkspace(principal, workspaceId);
    return this.found(workspaceId);
  }

  /** A workspace another subgraph refers to: only the one the caller acts in, null otherwise. */
  async reference(principal: Principal, workspaceId: string): Promise<WorkspaceRecord | null> {
    return principal.workspaceId === workspaceId
      ? this.workspaces.findWorkspace(workspaceId)
      : null;
  }

  /** Whether `userId` is the caller or a member of the workspace the caller acts in. */
  async canSeeUser(principal: Principal, userId: string): Promise<boolean> {
    if (principal.kind === 'user' && principal.subject === userId) {
      return true;
    }
    return (
      principal.workspaceId !== null &&
      (await this.workspaces.findRole(principal.workspaceId, userId)) !== null
    );
  }

  async members(principal: Principal, workspaceId: string): Promise<MemberRecord[]> {
    assertWorkspace(principal, workspaceId);
    return this.workspaces.listMembers(workspaceId);
  }

  async invite(
    principal: Principal,
    workspaceId: string,
    input: { email: string; role: Role },
  ): Promise<{ invitation: InvitationRecord; token: string }> {
    this.assertAdmin(principal, workspaceId);
    // An invitation can only bring in someone with no more rights than its sender.
    assertCanGrantRole(principal, input.role);
    const invitationId = randomUUID();
    const token = randomToken();
    const expiresAt = new Date(Date.now() + this.settings.invitationTtlHours * 3_600_000);
    await this.run(
      inviteMember({
        workspaceId,
        actor: actorOf(principal),
        data: {
          invitationId,
          email: input.email,
          role: input.role,
          expiresAt: expiresAt.toISOString(),
        },
      }),
      { invitationTokenHash: sha256(token) },
    );
    const invitation = await this.workspaces.findInvitation(invitationId);
    if (!invitation) {
      throw new Error('The invitation just written is missing');
    }
    return { invitation, token };
  }

  /** Joins the workspace the token invites to. The token is the authority: any workspace scope is fine. */
  async acceptInvitation(
    principal: Principal,
    token: string,
  ): Promise<{ workspace: WorkspaceRecord; role: Role }> {
    const userId = requireUser(principal);
    const invitation =
      typeof token === 'string' && token.length > 0
        ? await this.workspaces.findInvitationByTokenHash(sha256(token))
        : null;
    if (!invitation) {
      throw AppError.notFound('Invitation');
    }
    const user = await this.users.findById(userId);
    if (!user) {
      throw AppError.unauthenticated();
    }
    await this.run(
      acceptInvitation({
        workspaceId: invitation.workspaceId,
        actor: { kind: 'user', id: userId },
        data: {
          invitationId: invitation.id,
          userId,
          email: user.email,
          now: new Date().toISOString(),
        },
      }),
    );
    return { workspace: await this.found(invitation.workspaceId), role: invitation.role };
  }

  async changeRole(
    principal: Principal,
    workspaceId: string,
    userId: string,
    role: Role,
  ): Promise<MemberRecord> {
    this.assertAdmin(principal, workspaceId);
    // Neither the new role nor the one it replaces may hold rights the caller lacks: a narrowed
    // key can neither raise a member above itself nor demote one it could not have appointed.
    assertCanGrantRole(principal, role);
    const current = await this.workspaces.findRole(workspaceId, userId);
    if (current) {
      assertCanGrantRole(principal, current);
    }
    await this.run(
      changeMemberRole({ workspaceId, actor: actorOf(principal), data: { userId, role } }),
    );
    const member = (await this.workspaces.listMembers(workspaceId)).find(
      (candidate) => candidate.userId === userId,
    );
    if (!member) {
      throw AppError.notFound('Member');
    }
    return member;
  }

  async remove(principal: Principal, workspaceId: string, userId: string): Promise<boolean> {
    assertWorkspace(principal, workspaceId);
    if (!(principal.kind === 'user' && principal.subject === userId)) {
      assertPermission(principal, 'admin_access');
      // Removal is the strongest demotion: only of someone the caller could have appointed.
      const current = await this.workspaces.findRole(workspaceId, userId);
      if (current) {
        assertCanGrantRole(principal, current);
      }
    }
    await this.run(removeMember({ workspaceId, actor: actorOf(principal), data: { userId } }));
    return true;
  }

  async issueApiKey(
    principal: Principal,
    workspaceId: string,
    input: { name: string; scopes: Permission[] },
  ): Promise<{ apiKey: ApiKeyRecord; secret: string }> {
    this.assertAdmin(principal, workspaceId);
    // Scopes never widen: a key issues keys with at most its own scopes.
    assertCanGrant(principal, input.scopes);
    const apiKeyId = randomUUID();
    const prefix = randomBytes(6).toString('hex');
    const secret = `mc_${prefix}_${randomToken()}`;
    await this.run(
      issueApiKey({
        workspaceId,
        actor: actorOf(principal),
        data: { apiKeyId, name: input.name, prefix, scopes: input.scopes },
      }),
      { apiKeySecretHash: sha256(secret) },
    );
    const apiKey = await this.workspaces.findApiKey(apiKeyId);
    if (!apiKey) {
      throw new Error('The API key just written is missing');
    }
    return { apiKey, secret };
  }

  async revokeApiKey(
    principal: Principal,
    workspaceId: string,
    apiKeyId: string,
  ): Promise<ApiKeyRecord> {
    this.assertAdmin(principal, workspaceId);
    await this.run(revokeApiKey({ workspaceId, actor: actorOf(principal), data: { apiKeyId } }));
    const apiKey = await this.workspaces.findApiKey(apiKeyId);
    if (!apiKey || apiKey.workspaceId !== workspaceId) {
      throw AppError.notFound('API key');
    }
    return apiKey;
  }

  async apiKeys(principal: Principal, workspaceId: string): Promise<ApiKeyRecord[]> {
    this.assertAdmin(principal, workspaceId);
    return this.workspaces.listApiKeys(workspaceId);
  }

  async rename(principal: Principal, workspaceId: string, name: string): Promise<WorkspaceRecord> {
    this.assertAdmin(principal, workspaceId);
    await this.run(renameWorkspace({ workspaceId, actor: actorOf(principal), data: { name } }));
    return this.found(workspaceId);
  }

  /** Invitations not yet accepted, withdrawn or expired. */
  async pendingInvitations(principal: Principal, workspaceId: string): Promise<InvitationRecord[]> {
    this.assertAdmin(principal, workspaceId);
    return this.workspaces.listPendingInvitations(workspaceId, new Date());
  }

  async revokeInvitation(
    principal: Principal,
    workspaceId: string,
    invitationId: string,
  ): Promise<InvitationRecord> {
    this.assertAdmin(principal, workspaceId);
    await this.run(
      revokeInvitation({ workspaceId, actor: actorOf(principal), data: { invitationId } }),
    );
    const invitation = await this.workspaces.findInvitation(invitationId);
    if (!invitation || invitation.workspaceId !== workspaceId) {
      throw AppError.notFound('Invitation');
    }
    return invitation;
  }

  /** Workspaces the signed-in person belongs to, with their role in each. */
  async mine(principal: Principal): Promise<(WorkspaceRecord & { role: Role })[]> {
    return this.workspaces.listMemberships(requireUser(principal));
  }

  /** A person's workspaces, for a caller the resolver established is that person. */
  membershipsOf(userId: string): Promise<(WorkspaceRecord & { role: Role })[]> {
    return this.workspaces.listMemberships(userId);
  }

  private assertAdmin(principal: Principal, workspaceId: string): void {
    assertWorkspace(principal, workspaceId);
    assertPermission(principal, 'admin_access');
  }

  private async run(
    command: WorkspaceCommand & { actor: Actor },
    secrets?: WorkspaceSecrets,
  ): Promise<WorkspaceEvent[]> {
    return this.runner.transaction(async (tx) => {
      const { events, stored } = await this.runner.execute(
        tx,
        workspaceDecider,
        workspaceStreamId(command.workspaceId),
        command,
      );
      await this.projection.apply(tx, events, stored[0]?.recordedAt ?? new Date(), secrets);
      return events;
    });
  }

  private async found(workspaceId: string): Promise<WorkspaceRecord> {
    const workspace = await this.workspaces.findWorkspace(workspaceId);
    if (!workspace) {
      throw AppError.notFound('Workspace');
    }
    return workspace;
  }
}
