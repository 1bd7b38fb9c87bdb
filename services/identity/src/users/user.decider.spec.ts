import { AppError } from '@mission-control/errors';
import { given } from '@mission-control/eventing';
import { domainEvent, identityV1 } from '@mission-control/proto';
import { changePassword, endSessions, signUpUser } from './user.commands';
import { userDecider } from './user.decider';

const userId = '0193a0c4-6d2e-7c4e-9a6f-3f1b2c3d4e5f';
const signUp = (email = '  Ada@Example.COM ') =>
  signUpUser({
    workspaceId: 'none',
    actor: { kind: 'user', id: userId },
    data: { userId, email, name: 'Ada' },
  });
const signedUp = domainEvent('identity.v1.UserSignedUp', {
  userId,
  email: 'ada@example.com',
  name: 'Ada',
});

describe('user decider', () => {
  it('signs a new user up with a lower-cased email', () => {
    given(userDecider).when(signUp()).then([signedUp]);
  });

  it('refuses to sign the same user up twice', () => {
    given(userDecider, [signedUp])
      .when(signUp())
      .thenThrows((error) => error instanceof AppError && error.code === 'CONFLICT');
  });

  it('refuses an invalid email when the command is built', () => {
    expect(() => signUp('not-an-email')).toThrow(
      expect.objectContaining({ code: 'VALIDATION_ERROR' }),
    );
  });

  describe('sessions', () => {
    const sessions = [
      '0193a0c4-0000-7000-8000-000000000001',
      '0193a0c4-0000-7000-8000-000000000002',
    ];
    const actor = { kind: 'user' as const, id: userId };
    const ended = (sessionId: string, reason: identityV1.SessionEndReason) =>
      domainEvent('identity.v1.SessionEnded', { userId, sessionId, reason });

    it('ends each named session with its reason', () => {
      given(userDecider, [signedUp])
        .when(
          endSessions({
            workspaceId: 'none',
            actor,
            data: { userId, sessionIds: sessions, reason: 'signed_out_everywhere' },
          }),
        )
        .then(sessions.map((id) => ended(id, identityV1.SessionEndReason.SIGNED_OUT_EVERYWHERE)));
    });

    it('records a password change and the sessions it signs out', () => {
      given(userDecider, [signedUp])
        .when(
          changePassword({
            workspaceId: 'none',
            actor,
            data: { userId, endedSessionIds: [sessions[1]!] },
          }),
        )
        .then([
          domainEvent('identity.v1.PasswordChanged', { userId }),
          ended(sessions[1]!, identityV1.SessionEndReason.PASSWORD_CHANGED),
        ]);
    });

    it('refuses to end sessions of a user who does not exist', () => {
      given(userDecider)
        .when(
          endSessions({
            workspaceId: 'none',
            actor,
            data: { userId, sessionIds: sessions, reason: 'logged_out' },
          }),
        )
        .thenThrows((error) => error instanceof AppError && error.code === 'NOT_FOUND');
    });
  });
});
