import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import { AppError } from '@mission-control/errors';
import { z } from 'zod';
import { AUTH_SETTINGS, type AuthSettings } from '../auth/identity-auth.config';
import { PasswordHasher } from '../auth/password-hasher';
import { TokenService, type IssuedAccessToken } from '../auth/token.service';
import { singleLineText, validate } from '@mission-control/eventing';
import { requireUser } from '../common/principals';
import { randomToken, sameHash, sha256 } from '../common/secrets';
import { AggregateRunner } from '../eventing/identity-event-store';
import { WorkspacesRepository } from '../workspaces/workspaces.repository';
import { SessionsService } from '../sessions/sessions.service';
import { LoginAttemptsRepository } from './login-attempts.repository';
import { LOGIN_DELAY } from './login-delay';
import { SessionsRepository, type Session } from './sessions.repository';
import { emailSchema, NO_WORKSPACE, passwordSchema, signUpUser } from './user.commands';
import { userDecider, userStreamId } from './user.decider';
import { UsersRepository, type UserRecord } from './users.repository';

export type AuthResult = {
  accessToken: IssuedAccessToken;
  refreshToken: string;
  user: UserRecord;
};

const signUpSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: singleLineText(z.string().trim().min(1, 'must not be empty').max(200)),
});

// One answer for an unknown email and a wrong password: which emails exist is nobody's business.
const badCredentials = () => AppError.unauthenticated('Invalid email or password');
const badRefreshToken = () => AppError.unauthenticated('Invalid or expired session');
const badApiKey = () => AppError.unauthenticated('Invalid API key');

const API_KEY = /^mc_([a-z0-9]{8,32})_([A-Za-z0-9_-]{20,})$/;

/** Sign-up, log-in, sessions (rotating refresh tokens) and the exchange of API keys for tokens. */
@Injectable()
export class AuthService {
  constructor(
    private readonly runner: AggregateRunner,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly sessionEnds: SessionsService,
    private readonly attempts: LoginAttemptsRepository,
    private readonly workspaces: WorkspacesRepository,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokenService,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  async signUp(input: { email: string; password: string; name: string }): Promise<AuthResult> {
    const { email, password, name } = validate(signUpSchema, input);
    const userId = randomUUID();
    const command = signUpUser({
      workspaceId: NO_WORKSPACE,
      actor: { kind: 'user', id: userId },
      data: { userId, email, name },
    });
    const passwordHash = await this.passwords.hash(password);
    const refreshToken = randomToken();
    // The account, its event and its first session commit together or not at all: a sign-up
    // that fails answers an error and leaves nothing behind to trip over on the next try.
    const session = await this.runner.transaction(async (tx) => {
      await this.runner.execute(tx, userDecider, userStreamId(userId), command);
      await this.users.insert(tx, { id: userId, email, name: command.data.name }, passwordHash);
      return this.sessions.start(
        { userId, workspaceId: null },
        sha256(refreshToken),
        this.refreshExpiry(new Date()),
        tx,
      );
    });
    const user = await this.userOrFail(userId);
    return { accessToken: await this.accessTokenFor(session), refreshToken, user };
  }

  async logIn(input: { email: string; password: string }, clientIp: string): Promise<AuthResult> {
    const email = emailSchema.safeParse(input.email);
    if (!email.success || typeof input.password !== 'string') {
      throw badCredentials();
    }
    const window = this.settings.loginWindowSeconds;
    // An address gets a hard limit; an account only slows down, so nobody can lock out its owner.
    const [forIp = 0] = await this.attempts.consume([`ip:${clientIp}`], window);
    if (forIp > this.settings.loginMaxAttemptsPerIp) {
      throw AppError.limitExceeded('Too many login attempts; try again later', {
        retryAfterSeconds: window,
      });
    }
    const account = `account:${email.data}`;
    const spaced = await this.attempts.consumeSpaced(account, window, {
      ...LOGIN_DELAY,
      freeAttempts: this.settings.loginMaxAttemptsPerAccount,
    });
    if (!spaced.counted) {
      throw AppError.limitExceeded('Too many failed logins for this account; try again shortly', {
        retryAfterSeconds: spaced.retryAfterSeconds,
      });
    }
    const keys = [account, `ip:${clientIp}`];
    const found = await this.users.findWithPasswordHash(email.data);
    const passwordHash = found?.passwordHash;
    const valid = passwordHash
      ? await this.passwords.verify(passwordHash, input.password)
      : await this.passwords.verifyNothing(input.password);
    if (!found || !valid) {
      throw badCredentials();
    }
    await this.attempts.release(keys, this.settings.loginWindowSeconds);
    return this.startSession(found.user, null);
  }

  /**
   * Rotates a refresh token. Presenting one that was already rotated means it was copied: the
   * whole session is revoked, so the thief's copy and the owner's current token both stop working.
   */
  async refresh(refreshToken: string): Promise<AuthResult> {
    const now = new Date();
    const next = randomToken();
    const result = await this.sessions.rotate(
      sha256(refreshToken),
      sha256(next),
      this.refreshExpiry(now),
      now,
    );
    switch (result.outcome) {
      case 'rotated': {
        const user = await this.userOrFail(result.session.userId);
        return {
          accessToken: await this.accessTokenFor(result.session),
          refreshToken: next,
          user,
        };
      }
      case 'reused':
        await this.sessionEnds.end(
          result.session.userId,
          [result.session.familyId],
          'refresh_token_reused',
        );
        throw badRefreshToken();
      case 'unknown':
      case 'expired':
      case 'revoked':
        throw badRefreshToken();
      default: {
        const unexpected: never = result;
        throw new Error(`Unexpected rotation outcome ${JSON.stringify(unexpected)}`);
      }
    }
  }

  /** Ends the session the token belongs to. Unknown tokens are ignored: logging out is idempotent. */
  async logOut(refreshToken: string): Promise<boolean> {
    const session = await this.sessions.liveSessionOf(sha256(refreshToken), new Date());
    if (session) {
      await this.sessionEnds.end(session.userId, [session.familyId], 'logged_out');
    }
    return true;
  }

  /** An access token for the same session, acting in `workspaceId` with the member's role. */
  async switchWorkspace(principal: Principal, workspaceId: string): Promise<IssuedAccessToken> {
    const userId = requireUser(principal);
    const sessionId = principal.sessionId;
    if (!sessionId || !(await this.sessions.isLive(sessionId, new Date()))) {
      throw AppError.unauthenticated('Your session has ended; log in again');
    }
    const role = await this.workspaces.findRole(workspaceId, userId);
    if (!role) {
      throw AppError.forbidden('You do not have access to this workspace');
    }
    await this.sessions.switchWorkspace(sessionId, workspaceId);
    return this.tokens.issue({
      kind: 'user',
      subject: userId,
      workspaceId,
      role,
      scopes: null,
      sessionId,
    });
  }

  /**
   * A short-lived access token for an API key: its workspace, limited to its scopes. The key acts
   * with an admin's ceiling narrowed to the scopes an admin gave it.
   */
  async exchangeApiKey(key: string): Promise<IssuedAccessToken> {
    const match = API_KEY.exec(key);
    if (!match) {
      throw badApiKey();
    }
    const found = await this.workspaces.findApiKeyForExchange(match[1]!);
    if (!found || found.revokedAt || !sameHash(found.secretHash, sha256(key))) {
      throw badApiKey();
    }
    await this.workspaces.touchApiKey(found.id, new Date());
    return this.tokens.issue({
      kind: 'api_key',
      subject: found.id,
      workspaceId: found.workspaceId,
      role: 'admin',
      scopes: found.scopes,
    });
  }

  async me(principal: Principal): Promise<UserRecord> {
    return this.userOrFail(requireUser(principal));
  }

  private async startSession(user: UserRecord, workspaceId: string | null): Promise<AuthResult> {
    const refreshToken = randomToken();
    const session = await this.sessions.start(
      { userId: user.id, workspaceId },
      sha256(refreshToken),
      this.refreshExpiry(new Date()),
    );
    return { accessToken: await this.accessTokenFor(session), refreshToken, user };
  }

  /** The session's workspace counts only while the user is still a member, with today's role. */
  private async accessTokenFor(session: Session): Promise<IssuedAccessToken> {
    const role = session.workspaceId
      ? await this.workspaces.findRole(session.workspaceId, session.userId)
      : null;
    return this.tokens.issue({
      kind: 'user',
      subject: session.userId,
      workspaceId: role ? session.workspaceId : null,
      role,
      scopes: null,
      sessionId: session.familyId,
    });
  }

  private refreshExpiry(now: Date): Date {
    return new Date(now.getTime() + this.settings.refreshTokenTtlDays * 86_400_000);
  }

  private async userOrFail(userId: string): Promise<UserRecord> {
    const user = await this.users.findById(userId);
    if (!user) {
      throw AppError.unauthenticated();
    }
    return user;
  }
}
