import type { DemoApiRepository, IssuedToken, PersonSession } from './demo-api.repository';
import { hasCode } from './demo-graphql.client';

export type DemoCredentials = { email: string; password: string };

/** Renew a token this long before it expires, so a call never starts with a dying one. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * The demo user's tokens: the session from logIn/signUp and a token acting in the demo workspace,
 * renewed with the refresh token (or a new logIn if the session ended) before it expires.
 */
export class DemoPersonSession {
  private session: PersonSession;
  private workspaceId: string | null = null;
  private workspaceToken: IssuedToken | null = null;
  // One renewal at a time: a refresh token works once, and a reused one ends the session.
  private renewing: Promise<string> | null = null;

  constructor(
    private readonly api: Pick<DemoApiRepository, 'refreshSession' | 'logIn' | 'switchWorkspace'>,
    private readonly credentials: DemoCredentials,
    session: PersonSession,
    private readonly now: () => number = Date.now,
  ) {
    this.session = session;
  }

  /** A token acting in no workspace (for createWorkspace and `me`). */
  get accountToken(): string {
    return this.session.token;
  }

  /** From now on, calls act in `workspaceId`. */
  async enter(workspaceId: string): Promise<void> {
    await this.switchTo(workspaceId);
  }

  /** Runs `call` with a workspace token, renewing it once if the API says it is no longer good. */
  async call<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.token();
    try {
      return await call(token);
    } catch (error) {
      if (!hasCode(error, 'UNAUTHENTICATED')) {
        throw error;
      }
      if (this.workspaceToken?.token === token) {
        this.workspaceToken = null;
      }
      return call(await this.token());
    }
  }

  private async token(): Promise<string> {
    const current = this.workspaceToken;
    if (current && current.expiresAt - this.now() > EXPIRY_MARGIN_MS) {
      return current.token;
    }
    this.renewing ??= this.renew().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private async renew(): Promise<string> {
    const workspaceId = this.workspaceId;
    if (workspaceId === null) {
      throw new Error('The demo user has not entered a workspace yet');
    }
    try {
      this.session = await this.api.refreshSession(this.session.refreshToken);
    } catch (error) {
      if (!hasCode(error, 'UNAUTHENTICATED')) {
        throw error;
      }
      this.session = await this.api.logIn(this.credentials.email, this.credentials.password);
    }
    return this.switchTo(workspaceId);
  }

  private async switchTo(workspaceId: string): Promise<string> {
    const issued = await this.api.switchWorkspace(workspaceId, this.session.token);
    this.workspaceToken = issued;
    this.workspaceId = workspaceId;
    return issued.token;
  }
}
