import { Injectable } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import { AppError } from '@mission-control/errors';
import { validate } from '@mission-control/eventing';
import { z } from 'zod';
import { PasswordHasher } from '../auth/password-hasher';
import { requireUser } from '../common/principals';
import { AggregateRunner } from '../eventing/identity-event-store';
import { SessionsRepository, type SessionSummary } from '../users/sessions.repository';
import {
  changePassword,
  endSessions,
  NO_WORKSPACE,
  passwordSchema,
  type SessionEndReason,
} from '../users/user.commands';
import { userDecider, userStreamId } from '../users/user.decider';
import { UsersRepository } from '../users/users.repository';

export type SessionView = SessionSummary & { current: boolean };

const changePasswordSchema = z.object({
  currentPassword: z.string().max(256),
  newPassword: passwordSchema,
});

/**
 * A person's sessions: listing them, ending one, all, or every other one with a new password.
 * Each end is a SessionEnded event on the user's stream, which the gateway turns into refusing that
 * session's access tokens at once (see docs/adr/0004-immediate-revocation.md).
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly runner: AggregateRunner,
    private readonly sessions: SessionsRepository,
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
  ) {}

  async list(principal: Principal): Promise<SessionView[]> {
    const userId = requireUser(principal);
    const live = await this.sessions.listLive(userId, new Date());
    return live.map((session) => ({ ...session, current: session.id === principal.sessionId }));
  }

  /** Signs one of your sessions out; an unknown or already ended one is NOT_FOUND. */
  async revoke(principal: Principal, sessionId: string): Promise<boolean> {
    const userId = requireUser(principal);
    const live = await this.sessions.listLive(userId, new Date());
    if (!live.some((session) => session.id === sessionId)) {
      throw AppError.notFound('Session');
    }
    await this.end(userId, [sessionId], 'revoked');
    return true;
  }

  /** Signs out every session of yours, this one included. */
  async signOutEverywhere(principal: Principal): Promise<boolean> {
    const userId = requireUser(principal);
    const live = await this.sessions.listLive(userId, new Date());
    await this.end(
      userId,
      live.map((session) => session.id),
      'signed_out_everywhere',
    );
    return true;
  }

  /** Sets a new password after checking the current one; every other session is signed out. */
  async changePassword(
    principal: Principal,
    input: { currentPassword: string; newPassword: string },
  ): Promise<boolean> {
    const userId = requireUser(principal);
    const { currentPassword, newPassword } = validate(changePasswordSchema, input);
    const stored = await this.users.findPasswordHashById(userId);
    if (!stored || !(await this.passwords.verify(stored, currentPassword))) {
      throw AppError.validation('The current password is not right', {
        fields: { currentPassword: 'is not your current password' },
      });
    }
    if (currentPassword === newPassword) {
      throw AppError.validation('Choose a password different from the current one', {
        fields: { newPassword: 'is the current password' },
      });
    }
    const hash = await this.passwords.hash(newPassword);
    const now = new Date();
    const others = (await this.sessions.listLive(userId, now))
      .map((session) => session.id)
      .filter((id) => id !== principal.sessionId);
    await this.runner.transaction(async (tx) => {
      await this.runner.execute(
        tx,
        userDecider,
        userStreamId(userId),
        changePassword({
          workspaceId: NO_WORKSPACE,
          actor: { kind: 'user', id: userId },
          data: { userId, endedSessionIds: others },
        }),
      );
      await this.users.setPasswordHash(tx, userId, hash, now);
      await this.sessions.revokeFamilies(tx, others, now);
    });
    return true;
  }

  /** Ends sessions and records why, in one transaction. */
  async end(
    userId: string,
    sessionIds: readonly string[],
    reason: SessionEndReason,
  ): Promise<void> {
    if (sessionIds.length === 0) {
      return;
    }
    await this.runner.transaction(async (tx) => {
      await this.runner.execute(
        tx,
        userDecider,
        userStreamId(userId),
        endSessions({
          workspaceId: NO_WORKSPACE,
          actor: { kind: 'user', id: userId },
          data: { userId, sessionIds: [...sessionIds], reason },
        }),
      );
      await this.sessions.revokeFamilies(tx, sessionIds, new Date());
    });
  }
}
