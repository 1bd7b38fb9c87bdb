import { AppError } from '@mission-control/errors';
import { assertNever, type Decider } from '@mission-control/eventing';
import { domainEvent, type DomainEvent } from '@mission-control/proto';
import type { UserCommand } from './user.commands';

export type UserEvent = Extract<DomainEvent, { type: 'identity.v1.UserSignedUp' }>;

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
      default:
        return assertNever(command.type, 'command');
    }
  },
  evolve(_state, event) {
    switch (event.type) {
      case 'identity.v1.UserSignedUp':
        return {
          status: 'active',
          userId: event.data.userId,
          email: event.data.email,
          name: event.data.name,
        };
      default:
        return assertNever(event.type, 'event');
    }
  },
};
