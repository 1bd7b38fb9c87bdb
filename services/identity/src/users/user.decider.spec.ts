import { AppError } from '@mission-control/errors';
import { given } from '@mission-control/eventing';
import { domainEvent } from '@mission-control/proto';
import { signUpUser } from './user.commands';
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
});
