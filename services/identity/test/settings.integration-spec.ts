import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { prismaQueryable } from '@mission-control/eventing';
import { decodeEvent, identityV1 } from '@mission-control/proto';
import { startEventHandlers } from '@mission-control/eventing/nest';
import { startServiceApp } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { PrismaService } from '../src/database/prisma.service';
import { identityEventStore } from '../src/eventing/identity-event-store';
import { userStreamId } from '../src/users/user.decider';
import { errorCode, GatewayStandIn, identityTestConfig } from './identity-test-kit';

const SIGN_UP = `mutation ($email: String!, $password: String!, $name: String!) {
  signUp(email: $email, password: $password, name: $name) { accessToken refreshToken user { id email } }
}`;
const LOG_IN = `mutation ($email: String!, $password: String!) {
  logIn(email: $email, password: $password) { accessToken refreshToken }
}`;
const REFRESH = `mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }`;
const LOG_OUT = `mutation ($t: String!) { logOut(refreshToken: $t) }`;
const CREATE_WORKSPACE = `mutation ($name: String!) { createWorkspace(name: $name) { id } }`;
const SWITCH = `mutation ($id: String!) { switchWorkspace(workspaceId: $id) { accessToken } }`;
const RENAME = `mutation ($id: ID!, $name: String!) { renameWorkspace(workspaceId: $id, name: $name) { id name slug } }`;
const WORKSPACE = `query ($id: ID!) { workspace(id: $id) { name slug } }`;
const INVITE = `mutation ($id: ID!, $email: String!, $role: Role!) {
  inviteMember(workspaceId: $id, email: $email, role: $role) { token invitation { id } }
}`;
const INVITATIONS = `query ($id: ID!) { invitations(workspaceId: $id) { id email role revokedAt createdAt } }`;
const REVOKE_INVITATION = `mutation ($id: ID!, $inv: ID!) { revokeInvitation(workspaceId: $id, invitationId: $inv) { id revokedAt } }`;
const ACCEPT = `mutation ($token: String!) { acceptInvitation(token: $token) { role } }`;
const CHANGE_ROLE = `mutation ($id: ID!, $user: ID!, $role: Role!) {
  changeMemberRole(workspaceId: $id, userId: $user, role: $role) { role }
}`;
const SESSIONS = `{ sessions { id startedAt lastUsedAt current } }`;
const REVOKE_SESSION = `mutation ($id: ID!) { revokeSession(sessionId: $id) }`;
const EVERYWHERE = `mutation { signOutEverywhere }`;
const CHANGE_PASSWORD = `mutation ($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) }`;

type Auth = { accessToken: string; refreshToken: string; user: { id: string; email: string } };
type Session = { id: string; startedAt: string; lastUsedAt: string; current: boolean };

const PASSWORD = 'correct horse battery staple';

describe('identity settings: workspace, invitations, sessions, password', () => {
  let app: INestApplication;
  let gateway: GatewayStandIn;

  beforeAll(async () => {
    app = await startServiceApp(AppModule.forRoot(await identityTestConfig()));
    await startEventHandlers(app);
    gateway = new GatewayStandIn(app, await identityTestConfig());
  });
  afterAll(() => app.close());

  const email = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`;
  const signUp = async (name: string, address = email(name)): Promise<Auth> =>
    (await gateway.ok<{ signUp: Auth }>(SIGN_UP, { email: address, password: PASSWORD, name }))
      .signUp;
  const logIn = async (address: string, password = PASSWORD): Promise<Auth> =>
    (await gateway.ok<{ logIn: Auth }>(LOG_IN, { email: address, password })).logIn;
  const inWorkspace = async (token: string, id: string): Promise<string> =>
    (await gateway.ok<{ switchWorkspace: { accessToken: string } }>(SWITCH, { id }, { token }))
      .switchWorkspace.accessToken;
  const newWorkspace = async (owner: Auth) => {
    const { createWorkspace } = await gateway.ok<{ createWorkspace: { id: string } }>(
      CREATE_WORKSPACE,
      { name: 'Apollo' },
      { token: owner.accessToken },
    );
    return {
      id: createWorkspace.id,
      admin: await inWorkspace(owner.accessToken, createWorkspace.id),
    };
  };
  const sessionsOf = async (token: string): Promise<Session[]> =>
    (await gateway.ok<{ sessions: Session[] }>(SESSIONS, {}, { token })).sessions;
  /** The reasons of the SessionEnded events on the user's stream, in order. */
  const endedSessions = async (userId: string) => {
    const stored = await identityEventStore.readStream(
      prismaQueryable(app.get(PrismaService)),
      userStreamId(userId),
    );
    return stored
      .map((event) => decodeEvent(event.type, event.payload))
      .flatMap((event) =>
        event.type === 'identity.v1.SessionEnded'
          ? [
              {
                session: event.data.sessionId,
                reason: identityV1.SessionEndReason[event.data.reason],
              },
            ]
          : [],
      );
  };

  it('renames a workspace for admins only; the slug stays', async () => {
    const owner = await signUp('Owner');
    const workspace = await newWorkspace(owner);
    const before = await gateway.ok<{ workspace: { slug: string } }>(
      WORKSPACE,
      { id: workspace.id },
      { token: workspace.admin },
    );
    const { renameWorkspace } = await gateway.ok<{
      renameWorkspace: { name: string; slug: string };
    }>(RENAME, { id: workspace.id, name: '  Artemis  ' }, { token: workspace.admin });
    expect(renameWorkspace).toMatchObject({ name: 'Artemis', slug: before.workspace.slug });
    expect(
      errorCode(
        await gateway.gql(RENAME, { id: workspace.id, name: ' ' }, { token: workspace.admin }),
      ),
    ).toBe('VALIDATION_ERROR');

    const viewer = await signUp('Viewer');
    const { inviteMember } = await gateway.ok<{ inviteMember: { token: string } }>(
      INVITE,
      { id: workspace.id, email: viewer.user.email, role: 'VIEWER' },
      { token: workspace.admin },
    );
    await gateway.ok(ACCEPT, { token: inviteMember.token }, { token: viewer.accessToken });
    const viewerToken = await inWorkspace(viewer.accessToken, workspace.id);
    expect(
      errorCode(
        await gateway.gql(RENAME, { id: workspace.id, name: 'Mine' }, { token: viewerToken }),
      ),
    ).toBe('FORBIDDEN');
  });

  it('lists pending invitations and withdraws one: its token no longer joins', async () => {
    const owner = await signUp('Inviter');
    const workspace = await newWorkspace(owner);
    const invitee = await signUp('Invitee');
    const invite = async (address: string) =>
      (
        await gateway.ok<{ inviteMember: { token: string; invitation: { id: string } } }>(
          INVITE,
          { id: workspace.id, email: address, role: 'MISSION_COMMANDER' },
          { token: workspace.admin },
        )
      ).inviteMember;
    const kept = await invite('someone@example.com');
    const withdrawn = await invite(invitee.user.email);

    const listed = await gateway.ok<{ invitations: { id: string }[] }>(
      INVITATIONS,
      { id: workspace.id },
      { token: workspace.admin },
    );
    expect(listed.invitations.map((invitation) => invitation.id).sort()).toEqual(
      [kept.invitation.id, withdrawn.invitation.id].sort(),
    );

    const { revokeInvitation } = await gateway.ok<{ revokeInvitation: { revokedAt: string } }>(
      REVOKE_INVITATION,
      { id: workspace.id, inv: withdrawn.invitation.id },
      { token: workspace.admin },
    );
    expect(revokeInvitation.revokedAt).toEqual(expect.any(String));
    const after = await gateway.ok<{ invitations: { id: string }[] }>(
      INVITATIONS,
      { id: workspace.id },
      { token: workspace.admin },
    );
    expect(after.invitations.map((invitation) => invitation.id)).toEqual([kept.invitation.id]);
    expect(
      errorCode(
        await gateway.gql(ACCEPT, { token: withdrawn.token }, { token: invitee.accessToken }),
      ),
    ).toBe('FORBIDDEN');

    // Another workspace's admin cannot see or withdraw these.
    const stranger = await newWorkspace(await signUp('Stranger'));
    expect(
      errorCode(await gateway.gql(INVITATIONS, { id: workspace.id }, { token: stranger.admin })),
    ).toBe('FORBIDDEN');
    expect(
      errorCode(
        await gateway.gql(
          REVOKE_INVITATION,
          { id: stranger.id, inv: kept.invitation.id },
          { token: stranger.admin },
        ),
      ),
    ).toBe('NOT_FOUND');
  });

  it('lists your sessions, signs one out, then every one', async () => {
    const address = email('Sessions');
    const laptop = await signUp('Sessions', address);
    const phone = await logIn(address);
    const tablet = await logIn(address);

    const seen = await sessionsOf(laptop.accessToken);
    expect(seen).toHaveLength(3);
    expect(seen.filter((session) => session.current)).toHaveLength(1);
    const phoneSession = (await sessionsOf(phone.accessToken)).find((session) => session.current)!;

    expect(
      await gateway.ok(REVOKE_SESSION, { id: phoneSession.id }, { token: laptop.accessToken }),
    ).toEqual({
      revokeSession: true,
    });
    expect(errorCode(await gateway.gql(REFRESH, { t: phone.refreshToken }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(await sessionsOf(laptop.accessToken)).toHaveLength(2);
    // Ended already, or someone else's: NOT_FOUND either way.
    expect(
      errorCode(
        await gateway.gql(REVOKE_SESSION, { id: phoneSession.id }, { token: laptop.accessToken }),
      ),
    ).toBe('NOT_FOUND');
    expect(
      errorCode(await gateway.gql(REVOKE_SESSION, { id: 'xyz' }, { token: laptop.accessToken })),
    ).toBe('VALIDATION_ERROR');
    const other = await signUp('Other');
    const otherSession = (await sessionsOf(other.accessToken))[0]!;
    expect(
      errorCode(
        await gateway.gql(REVOKE_SESSION, { id: otherSession.id }, { token: laptop.accessToken }),
      ),
    ).toBe('NOT_FOUND');

    await gateway.ok(EVERYWHERE, {}, { token: tablet.accessToken });
    for (const auth of [laptop, tablet]) {
      expect(errorCode(await gateway.gql(REFRESH, { t: auth.refreshToken }))).toBe(
        'UNAUTHENTICATED',
      );
    }
    expect(await endedSessions(laptop.user.id)).toEqual([
      { session: phoneSession.id, reason: 'REVOKED' },
      expect.objectContaining({ reason: 'SIGNED_OUT_EVERYWHERE' }),
      expect.objectContaining({ reason: 'SIGNED_OUT_EVERYWHERE' }),
    ]);
    // The other person's session was untouched.
    expect(await sessionsOf(other.accessToken)).toHaveLength(1);
  });

  it('changes the password after checking the current one and signs out every other session', async () => {
    const address = email('Password');
    const here = await signUp('Password', address);
    const elsewhere = await logIn(address);
    const next = 'a brand new passphrase';

    const wrong = await gateway.gql(
      CHANGE_PASSWORD,
      { current: 'not my password at all', next },
      { token: here.accessToken },
    );
    expect(errorCode(wrong)).toBe('VALIDATION_ERROR');
    expect(
      errorCode(
        await gateway.gql(
          CHANGE_PASSWORD,
          { current: PASSWORD, next: 'short' },
          { token: here.accessToken },
        ),
      ),
    ).toBe('VALIDATION_ERROR');
    // Nothing changed by the refusals.
    await logIn(address, PASSWORD);

    expect(
      await gateway.ok(CHANGE_PASSWORD, { current: PASSWORD, next }, { token: here.accessToken }),
    ).toEqual({ changePassword: true });
    expect(errorCode(await gateway.gql(REFRESH, { t: elsewhere.refreshToken }))).toBe(
      'UNAUTHENTICATED',
    );
    // This session goes on; the old password is refused and the new one works.
    await gateway.ok(REFRESH, { t: here.refreshToken });
    expect(errorCode(await gateway.gql(LOG_IN, { email: address, password: PASSWORD }))).toBe(
      'UNAUTHENTICATED',
    );
    await logIn(address, next);
    const reasons = (await endedSessions(here.user.id)).map((ended) => ended.reason);
    expect(reasons.filter((reason) => reason === 'PASSWORD_CHANGED')).toHaveLength(2);
  });

  it('records a logout and a reused refresh token as the session ending, once', async () => {
    const address = email('Ends');
    const first = await signUp('Ends', address);
    await gateway.ok(LOG_OUT, { t: first.refreshToken });
    // Logging out again changes nothing.
    await gateway.ok(LOG_OUT, { t: first.refreshToken });

    const second = await logIn(address);
    await gateway.ok(REFRESH, { t: second.refreshToken });
    expect(errorCode(await gateway.gql(REFRESH, { t: second.refreshToken }))).toBe(
      'UNAUTHENTICATED',
    );

    expect((await endedSessions(first.user.id)).map((ended) => ended.reason)).toEqual([
      'LOGGED_OUT',
      'REFRESH_TOKEN_REUSED',
    ]);
  });

  it('keeps the role an admin gives a member when their session refreshes', async () => {
    const owner = await signUp('Boss');
    const workspace = await newWorkspace(owner);
    const member = await signUp('Member');
    const { inviteMember } = await gateway.ok<{ inviteMember: { token: string } }>(
      INVITE,
      { id: workspace.id, email: member.user.email, role: 'MISSION_COMMANDER' },
      { token: workspace.admin },
    );
    await gateway.ok(ACCEPT, { token: inviteMember.token }, { token: member.accessToken });
    await inWorkspace(member.accessToken, workspace.id);
    await gateway.ok(
      CHANGE_ROLE,
      { id: workspace.id, user: member.user.id, role: 'VIEWER' },
      { token: workspace.admin },
    );
    const refreshed = await gateway.ok<{ refreshSession: Auth }>(REFRESH, {
      t: member.refreshToken,
    });
    expect(await gateway.principalOf(refreshed.refreshSession.accessToken)).toMatchObject({
      workspaceId: workspace.id,
      role: 'viewer',
    });
  });
});
