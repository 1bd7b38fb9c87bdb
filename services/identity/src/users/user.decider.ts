import { AppError } from '@mission-control/errors';
import { assertNever, type Decider } from '@mission-control/eventing';
import { domainEvent, identityV1, type DomainEvent } from '@mission-control/proto';
import type { SessionEndReason, UserCommand } from './user.commands';

export type UserEvent = Extract<
  DomainEvent,
  {
    type: 'identity.v1.UserSignedUp' | 'identity.v1.SessionEnded' | 'identity.v1.PasswordChanged';
  }
>;

const PROTO_END_REASON: Record<SessionEndReason, identityV1.SessionEndReason> = {
  logged_out: identityV1.SessionEndReason.LOGGED_OUT,
  revoked: identityV1.SessionEndReason.REVOKED,
  signed_out_everywhere: identityV1.SessionEndReason.SIGNED_OUT_EVERYWHERE,
  password_changed: identityV1.SessionEndReason.PASSWORD_CHANGED,
  refresh_token_reused: identityV1.SessionEndReason.REFRESH_TOKEN_REUSED,
};

const sessionsEnded = (userId: string, sessionIds: readonly string[], reason: SessionEndReason) =>
  sessionIds.map((sessionId) =>
    domainEvent('identity.v1.SessionEnded', {
      userId,
      sessionId,
      reason: PROTO_END_REASON[reason],
    }),
  );

function requireActiveUser(state: UserState): void {
  if (state.status !== 'active') {
    throw AppError.notFound('User');
  }
}

export type UserState =
  { status: 'none' } | { status: 'active'; userId: string; email: string; name: string };

export const userStreamId = (userId: string): string => `user-${userId}`;

/** The user aggregate (stream `user-<id>`): who a person is. Credentials are state, not events. */
export const userDecider: Decider<UserCommand, UserEvent, UserState> = {
  initialState: { status: 'none' },
  decide(command, state) {
    switch (command.type) {
      case 'SignUpUser':
        if (state.status !== 'none') {
          throw AppError.conflict('This user already exists');
        }
        return [domainEvent('identity.v1.UserSignedUp', command.data)];
      case 'EndSessions':
        requireActiveUser(state);
        return sessionsEnded(command.data.userId, command.data.sessionIds, command.data.reason);
      case 'ChangePassword':
        requireActiveUser(state);
        return [
          domainEvent('identity.v1.PasswordChanged', { userId: command.data.userId }),
          ...sessionsEnded(command.data.userId, command.data.endedSessionIds, 'password_changed'),
        ];
      default:
        return assertNever(command, 'command');
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'identity.v1.UserSignedUp':
        return {
          status: 'active',
          userId: event.data.userId,
          email: event.data.email,
          name: event.data.name,
        };
      // Sessions and credentials are state of the service; the events are their audit trail.
      case 'identity.v1.SessionEnded':
      case 'identity.v1.PasswordChanged':
        return state;
      default:
        return assertNever(event, 'event');
    }
  },
};
