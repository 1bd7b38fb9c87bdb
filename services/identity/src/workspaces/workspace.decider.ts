import type { Role } from '@mission-control/auth';
import { AppError } from '@mission-control/errors';
import { assertNever, type Decider } from '@mission-control/eventing';
import { domainEvent, identityV1, type Actor, type DomainEvent } from '@mission-control/proto';
import { fromProtoRole, toProtoPermission, toProtoRole } from '../common/roles';
import type { WorkspaceCommand } from './workspace.commands';

export type WorkspaceEvent = Extract<
  DomainEvent,
  {
    type:
      | 'identity.v1.WorkspaceCreated'
      | 'identity.v1.MemberJoined'
      | 'identity.v1.MemberInvited'
      | 'identity.v1.MemberRoleChanged'
      | 'identity.v1.MemberRemoved'
      | 'identity.v1.ApiKeyIssued'
      | 'identity.v1.ApiKeyRevoked'
      | 'identity.v1.WorkspaceRenamed'
      | 'identity.v1.InvitationRevoked';
  }
>;

export type InvitationState = {
  email: string;
  role: Role;
  expiresAt: string;
  accepted: boolean;
  revoked?: boolean;
};

export type WorkspaceState = {
  status: 'none' | 'active';
  name: string;
  members: Readonly<Record<string, Role>>;
  invitations: Readonly<Record<string, InvitationState>>;
  apiKeys: Readonly<Record<string, { revoked: boolean }>>;
};

export const workspaceStreamId = (workspaceId: string): string => `workspace-${workspaceId}`;

/** Users act as the members they are now, whatever their token says; API keys were checked by scope. */
function requireAdmin(state: WorkspaceState, actor: Actor): void {
  if (actor.kind === 'user' && state.members[actor.id] !== 'admin') {
    throw AppError.forbidden('Only a workspace admin may do this');
  }
}

function requireActive(state: WorkspaceState): void {
  if (state.status !== 'active') {
    throw AppError.notFound('Workspace');
  }
}

const adminCount = (state: WorkspaceState): number =>
  Object.values(state.members).filter((role) => role === 'admin').length;

function requireAnotherAdmin(state: WorkspaceState, userId: string): void {
  if (state.members[userId] === 'admin' && adminCount(state) === 1) {
    throw AppError.conflict('A workspace keeps at least one admin', { userId });
  }
}

/**
 * The workspace aggregate (stream `workspace-<id>`): the tenant, its members and their roles, its
 * pending invitations and its API keys. Every rule about who may join, change or leave lives here.
 */
export const workspaceDecider: Decider<WorkspaceCommand, WorkspaceEvent, WorkspaceState> = {
  initialState: { status: 'none', name: '', members: {}, invitations: {}, apiKeys: {} },

  decide(command, state) {
    const { workspaceId, actor } = command;
    switch (command.type) {
      case 'CreateWorkspace':
        if (state.status !== 'none') {
          throw AppError.conflict('This workspace already exists', { workspaceId });
        }
        if (actor.kind !== 'user') {
          throw AppError.forbidden('Only a person can create a workspace');
        }
        return [
          domainEvent('identity.v1.WorkspaceCreated', {
            workspaceId,
            name: command.data.name,
            slug: command.data.slug,
            createdBy: actor.id,
          }),
          domainEvent('identity.v1.MemberJoined', {
            workspaceId,
            userId: actor.id,
            role: identityV1.Role.ADMIN,
            invitationId: '',
          }),
        ];

      case 'InviteMember':
        requireActive(state);
        requireAdmin(state, actor);
        if (state.invitations[command.data.invitationId]) {
          throw AppError.conflict('This invitation already exists');
        }
        return [
          domainEvent('identity.v1.MemberInvited', {
            workspaceId,
            invitationId: command.data.invitationId,
            email: command.data.email,
            role: toProtoRole(command.data.role),
            invitedBy: actor.id,
            expiresAt: command.data.expiresAt,
          }),
        ];

      case 'AcceptInvitation': {
        requireActive(state);
        const invitation = state.invitations[command.data.invitationId];
        if (!invitation) {
          throw AppError.notFound('Invitation');
        }
        if (invitation.accepted) {
          throw AppError.conflict('This invitation was already used');
        }
        if (invitation.revoked === true) {
          throw AppError.forbidden('This invitation was withdrawn');
        }
        if (Date.parse(command.data.now) >= Date.parse(invitation.expiresAt)) {
          throw AppError.forbidden('This invitation has expired');
        }
        if (invitation.email !== command.data.email) {
          throw AppError.forbidden('This invitation is for another email address');
        }
        if (state.members[command.data.userId]) {
          throw AppError.conflict('You are already a member of this workspace');
        }
        return [
          domainEvent('identity.v1.MemberJoined', {
            workspaceId,
            userId: command.data.userId,
            role: toProtoRole(invitation.role),
            invitationId: command.data.invitationId,
          }),
        ];
      }

      case 'ChangeMemberRole': {
        requireActive(state);
        requireAdmin(state, actor);
        const current = state.members[command.data.userId];
        if (!current) {
          throw AppError.notFound('Member');
        }
        if (current === command.data.role) {
          return [];
        }
        requireAnotherAdmin(state, command.data.userId);
        return [
          domainEvent('identity.v1.MemberRoleChanged', {
            workspaceId,
            userId: command.data.userId,
            oldRole: toProtoRole(current),
            newRole: toProtoRole(command.data.role),
          }),
        ];
      }

      case 'RemoveMember':
        requireActive(state);
        // Anyone may leave; removing someone else takes an admin.
        if (!(actor.kind === 'user' && actor.id === command.data.userId)) {
          requireAdmin(state, actor);
        }
        if (!state.members[command.data.userId]) {
          throw AppError.notFound('Member');
        }
        requireAnotherAdmin(state, command.data.userId);
        return [
          domainEvent('identity.v1.MemberRemoved', {
            workspaceId,
            userId: command.data.userId,
            removedBy: actor.id,
          }),
        ];

      case 'IssueApiKey':
        requireActive(state);
        requireAdmin(state, actor);
        if (state.apiKeys[command.data.apiKeyId]) {
          throw AppError.conflict('This API key already exists');
        }
        return [
          domainEvent('identity.v1.ApiKeyIssued', {
            workspaceId,
            apiKeyId: command.data.apiKeyId,
            name: command.data.name,
            prefix: command.data.prefix,
            scopes: command.data.scopes.map(toProtoPermission),
            issuedBy: actor.id,
          }),
        ];

      case 'RevokeApiKey': {
        requireActive(state);
        requireAdmin(state, actor);
        const key = state.apiKeys[command.data.apiKeyId];
        if (!key) {
          throw AppError.notFound('API key');
        }
        if (key.revoked) {
          return [];
        }
        return [
          domainEvent('identity.v1.ApiKeyRevoked', {
            workspaceId,
            apiKeyId: command.data.apiKeyId,
            revokedBy: actor.id,
          }),
        ];
      }

      case 'RenameWorkspace':
        requireActive(state);
        requireAdmin(state, actor);
        if (command.data.name === state.name) {
          return [];
        }
        return [
          domainEvent('identity.v1.WorkspaceRenamed', {
            workspaceId,
            name: command.data.name,
            renamedBy: actor.id,
          }),
        ];

      case 'RevokeInvitation': {
        requireActive(state);
        requireAdmin(state, actor);
        const invitation = state.invitations[command.data.invitationId];
        if (!invitation) {
          throw AppError.notFound('Invitation');
        }
        if (invitation.accepted) {
          throw AppError.conflict(
            'This invitation was already accepted: remove the member instead',
          );
        }
        if (invitation.revoked === true) {
          return [];
        }
        return [
          domainEvent('identity.v1.InvitationRevoked', {
            workspaceId,
            invitationId: command.data.invitationId,
            revokedBy: actor.id,
          }),
        ];
      }

      default:
        return assertNever(command, 'command');
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'identity.v1.WorkspaceCreated':
        return { ...state, status: 'active', name: event.data.name };
      case 'identity.v1.MemberJoined': {
        const invitationId = event.data.invitationId;
        const invitation = invitationId ? state.invitations[invitationId] : undefined;
        return {
          ...state,
          members: { ...state.members, [event.data.userId]: fromProtoRole(event.data.role) },
          invitations:
            invitation && invitationId
              ? { ...state.invitations, [invitationId]: { ...invitation, accepted: true } }
              : state.invitations,
        };
      }
      case 'identity.v1.MemberInvited':
        return {
          ...state,
          invitations: {
            ...state.invitations,
            [event.data.invitationId]: {
              email: event.data.email,
              role: fromProtoRole(event.data.role),
              expiresAt: event.data.expiresAt,
              accepted: false,
            },
          },
        };
      case 'identity.v1.MemberRoleChanged':
        return {
          ...state,
          members: { ...state.members, [event.data.userId]: fromProtoRole(event.data.newRole) },
        };
      case 'identity.v1.MemberRemoved': {
        const { [event.data.userId]: _removed, ...members } = state.members;
        return { ...state, members };
      }
      case 'identity.v1.ApiKeyIssued':
        return {
          ...state,
          apiKeys: { ...state.apiKeys, [event.data.apiKeyId]: { revoked: false } },
        };
      case 'identity.v1.ApiKeyRevoked':
        return {
          ...state,
          apiKeys: { ...state.apiKeys, [event.data.apiKeyId]: { revoked: true } },
        };
      case 'identity.v1.WorkspaceRenamed':
        return { ...state, name: event.data.name };
      case 'identity.v1.InvitationRevoked': {
        const invitation = state.invitations[event.data.invitationId];
        return invitation
          ? {
              ...state,
              invitations: {
                ...state.invitations,
                [event.data.invitationId]: { ...invitation, revoked: true },
              },
            }
          : state;
      }
      default:
        return assertNever(event, 'event');
    }
  },
};
