import { AppError } from '@mission-control/errors';
import { given } from '@mission-control/eventing';
import { domainEvent, identityV1, type Actor } from '@mission-control/proto';
import {
  acceptInvitation,
  changeMemberRole,
  createWorkspace,
  inviteMember,
  issueApiKey,
  removeMember,
  revokeApiKey,
} from './workspace.commands';
import { workspaceDecider, type WorkspaceEvent } from './workspace.decider';

const workspaceId = '0193a0c4-0000-7000-8000-00000000000a';
const ada = '0193a0c4-0000-7000-8000-000000000001';
const bob = '0193a0c4-0000-7000-8000-000000000002';
const invitationId = '0193a0c4-0000-7000-8000-0000000000f1';
const apiKeyId = '0193a0c4-0000-7000-8000-0000000000a1';
const user = (id: string): Actor => ({ kind: 'user', id });
const code = (expected: string) => (error: unknown) =>
  error instanceof AppError && error.code === expected;

const created: WorkspaceEvent[] = [
  domainEvent('identity.v1.WorkspaceCreated', {
    workspaceId,
    name: 'Apollo',
    slug: 'apollo-1a2b3c',
    createdBy: ada,
  }),
  domainEvent('identity.v1.MemberJoined', {
    workspaceId,
    userId: ada,
    role: identityV1.Role.ADMIN,
    invitationId: '',
  }),
];
const invited = domainEvent('identity.v1.MemberInvited', {
  workspaceId,
  invitationId,
  email: 'bob@example.com',
  role: identityV1.Role.VIEWER,
  invitedBy: ada,
  expiresAt: '2026-11-25T00:00:00.000Z',
});
const bobJoined = domainEvent('identity.v1.MemberJoined', {
  workspaceId,
  userId: bob,
  role: identityV1.Role.VIEWER,
  invitationId,
});
const accept = (now: string, email = 'bob@example.com') =>
  acceptInvitation({
    workspaceId,
    actor: user(bob),
    data: { invitationId, userId: bob, email, now },
  });

describe('workspace decider', () => {
  it('creates a workspace with its creator as first admin', () => {
    given(workspaceDecider)
      .when(
        createWorkspace({
          workspaceId,
          actor: user(ada),
          data: { name: ' Apollo ', slug: 'apollo-1a2b3c' },
        }),
      )
      .then(created);
  });

  it('invites by lower-cased email, admins only', () => {
    const invite = (actor: string) =>
      inviteMember({
        workspaceId,
        actor: user(actor),
        data: {
          invitationId,
          email: 'Bob@Example.com',
          role: 'viewer',
          expiresAt: '2026-11-25T00:00:00.000Z',
        },
      });
    given(workspaceDecider, created).when(invite(ada)).then([invited]);
    given(workspaceDecider, [...created, invited, bobJoined])
      .when(invite(bob))
      .thenThrows(code('FORBIDDEN'));
    given(workspaceDecider).when(invite(ada)).thenThrows(code('NOT_FOUND'));
  });

  it('lets the invited person join once, before expiry', () => {
    given(workspaceDecider, [...created, invited])
      .when(accept('2026-11-24T23:59:59.000Z'))
      .then([bobJoined]);
    given(workspaceDecider, [...created, invited, bobJoined])
      .when(accept('2026-11-24T00:00:00.000Z'))
      .thenThrows(code('CONFLICT'));
  });

  it('refuses an expired invitation or another email', () => {
    given(workspaceDecider, [...created, invited])
      .when(accept('2026-11-25T00:00:00.000Z'))
      .thenThrows('expired');
    given(workspaceDecider, [...created, invited])
      .when(accept('2026-11-24T00:00:00.000Z', 'eve@example.com'))
      .thenThrows(code('FORBIDDEN'));
  });

  it('changes a role and keeps the last admin', () => {
    const promote = changeMemberRole({
      workspaceId,
      actor: user(ada),
      data: { userId: bob, role: 'admin' },
    });
    given(workspaceDecider, [...created, invited, bobJoined])
      .when(promote)
      .then([
        domainEvent('identity.v1.MemberRoleChanged', {
          workspaceId,
          userId: bob,
          oldRole: identityV1.Role.VIEWER,
          newRole: identityV1.Role.ADMIN,
        }),
      ]);
    given(workspaceDecider, created)
      .when(
        changeMemberRole({ workspaceId, actor: user(ada), data: { userId: ada, role: 'viewer' } }),
      )
      .thenThrows(code('CONFLICT'));
    given(workspaceDecider, created)
      .when(removeMember({ workspaceId, actor: user(ada), data: { userId: ada } }))
      .thenThrows(code('CONFLICT'));
  });

  it('removes a member; a viewer cannot remove others but may leave', () => {
    const removed = domainEvent('identity.v1.MemberRemoved', {
      workspaceId,
      userId: bob,
      removedBy: ada,
    });
    given(workspaceDecider, [...created, invited, bobJoined])
      .when(removeMember({ workspaceId, actor: user(ada), data: { userId: bob } }))
      .then([removed]);
    given(workspaceDecider, [...created, invited, bobJoined])
      .when(removeMember({ workspaceId, actor: user(bob), data: { userId: ada } }))
      .thenThrows(code('FORBIDDEN'));
    given(workspaceDecider, [...created, invited, bobJoined])
      .when(removeMember({ workspaceId, actor: user(bob), data: { userId: bob } }))
      .then([{ ...removed, data: { ...removed.data, removedBy: bob } }]);
  });

  it('issues and revokes API keys, revoking twice changes nothing', () => {
    const issued = domainEvent('identity.v1.ApiKeyIssued', {
      workspaceId,
      apiKeyId,
      name: 'CI',
      prefix: 'abcd1234',
      scopes: [identityV1.Permission.CREATE_MISSIONS],
      issuedBy: ada,
    });
    const revoked = domainEvent('identity.v1.ApiKeyRevoked', {
      workspaceId,
      apiKeyId,
      revokedBy: ada,
    });
    given(workspaceDecider, created)
      .when(
        issueApiKey({
          workspaceId,
          actor: user(ada),
          data: { apiKeyId, name: 'CI', prefix: 'abcd1234', scopes: ['create_missions'] },
        }),
      )
      .then([issued]);
    const revoke = revokeApiKey({ workspaceId, actor: user(ada), data: { apiKeyId } });
    given(workspaceDecider, [...created, issued])
      .when(revoke)
      .then([revoked]);
    given(workspaceDecider, [...created, issued, revoked])
      .when(revoke)
      .then([]);
    given(workspaceDecider, created).when(revoke).thenThrows(code('NOT_FOUND'));
  });

  it('refuses a command with invalid data when it is built', () => {
    expect(() =>
      issueApiKey({
        workspaceId,
        actor: user(ada),
        data: { apiKeyId, name: '', prefix: 'x', scopes: [] },
      }),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION_ERROR' }));
  });
});
