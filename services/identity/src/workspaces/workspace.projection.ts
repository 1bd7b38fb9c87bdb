import { Injectable } from '@nestjs/common';
import type { Hash } from '../common/secrets';
import { assertNever } from '@mission-control/eventing';
import { fromProtoPermission, fromProtoRole } from '../common/roles';
import type { Tx } from '../eventing/identity-event-store';
import type { WorkspaceEvent } from './workspace.decider';
import { WorkspacesRepository } from './workspaces.repository';

/** What the read tables keep beside the events: hashes of secrets, which events never carry. */
export type WorkspaceSecrets = { invitationTokenHash?: Hash; apiKeySecretHash?: Hash };

/** Keeps the workspace read tables in step with the workspace stream, on the append's transaction. */
@Injectable()
export class WorkspaceProjection {
  constructor(private readonly workspaces: WorkspacesRepository) {}

  async apply(
    tx: Tx,
    events: readonly WorkspaceEvent[],
    at: Date,
    secrets: WorkspaceSecrets = {},
  ): Promise<void> {
    for (const event of events) {
      await this.applyOne(tx, event, at, secrets);
    }
  }

  private async applyOne(
    tx: Tx,
    event: WorkspaceEvent,
    at: Date,
    secrets: WorkspaceSecrets,
  ): Promise<void> {
    switch (event.type) {
      case 'identity.v1.WorkspaceCreated':
        return this.workspaces.insertWorkspace(tx, {
          id: event.data.workspaceId,
          name: event.data.name,
          slug: event.data.slug,
          createdBy: event.data.createdBy,
        });
      case 'identity.v1.MemberJoined':
        await this.workspaces.upsertMember(
          tx,
          event.data.workspaceId,
          event.data.userId,
          fromProtoRole(event.data.role),
        );
        if (event.data.invitationId) {
          await this.workspaces.markInvitationAccepted(
            tx,
            event.data.invitationId,
            event.data.userId,
            at,
          );
        }
        return;
      case 'identity.v1.MemberInvited':
        return this.workspaces.insertInvitation(tx, {
          id: event.data.invitationId,
          workspaceId: event.data.workspaceId,
          email: event.data.email,
          role: fromProtoRole(event.data.role),
          tokenHash: required(secrets.invitationTokenHash, 'invitation token hash'),
          invitedBy: event.data.invitedBy,
          expiresAt: new Date(event.data.expiresAt),
        });
      case 'identity.v1.MemberRoleChanged':
        return this.workspaces.upsertMember(
          tx,
          event.data.workspaceId,
          event.data.userId,
          fromProtoRole(event.data.newRole),
        );
      case 'identity.v1.MemberRemoved':
        return this.workspaces.deleteMember(tx, event.data.workspaceId, event.data.userId);
      case 'identity.v1.ApiKeyIssued':
        return this.workspaces.insertApiKey(tx, {
          id: event.data.apiKeyId,
          workspaceId: event.data.workspaceId,
          name: event.data.name,
          prefix: event.data.prefix,
          secretHash: required(secrets.apiKeySecretHash, 'API key hash'),
          scopes: event.data.scopes.map(fromProtoPermission),
          createdBy: event.data.issuedBy,
        });
      case 'identity.v1.ApiKeyRevoked':
        return this.workspaces.revokeApiKey(tx, event.data.apiKeyId, at);
      case 'identity.v1.WorkspaceRenamed':
        return this.workspaces.renameWorkspace(tx, event.data.workspaceId, event.data.name);
      case 'identity.v1.InvitationRevoked':
        return this.workspaces.revokeInvitation(tx, event.data.invitationId, at);
      default:
        return assertNever(event, 'event');
    }
  }
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new Error(`The ${what} is needed to project this event`);
  }
  return value;
}
