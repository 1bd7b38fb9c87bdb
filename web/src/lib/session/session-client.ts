import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { ApiError, apiErrorFrom } from '../api/api-error';
import { graphqlRequest } from '../api/graphql-request';
import type { SessionGrant, SessionUser } from './session-grant';
import { isUsable, refreshDelayMs, retryDelayMs } from './token-schedule';

export type SessionState =
  | { status: 'starting' }
  | { status: 'anonymous' }
  | { status: 'authenticated'; user: SessionUser | null; workspaceId: string | null };

type HeldToken = { value: string; expiresAt: number; workspaceId: string | null };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function grantOf(body: unknown): SessionGrant {
  if (
    isRecord(body) &&
    typeof body.accessToken === 'string' &&
    typeof body.accessTokenExpiresAt === 'string'
  ) {
    return body as SessionGrant;
  }
  throw new ApiError('INTERNAL_ERROR', 'Unexpected session answer', null, true);
}

async function postJson(path: string, body: object, token?: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError('NETWORK_ERROR', 'The server could not be reached', null, true);
  }
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    throw apiErrorFrom(isRecord(json) ? json.error : null);
  }
  return json;
}

// Refresh tokens rotate: two tabs presenting the same one would look like theft and end the
// session, so refreshes take turns across tabs.
const REFRESH_LOCK = 'mission-control:session-refresh';

function withRefreshLock<T>(run: () => Promise<T>): Promise<T> {
  if (typeof navigator !== 'undefined' && 'locks' in navigator && navigator.locks) {
    return navigator.locks.request(REFRESH_LOCK, run) as Promise<T>;
  }
  return run();
}

/**
 * The browser's session: the access token lives here, in memory only, and is refreshed (through
 * the httpOnly refresh cookie) before it expires and whenever the API says UNAUTHENTICATED.
 */
export class SessionClient {
  private state: SessionState = { status: 'starting' };
  private token: HeldToken | null = null;
  private user: SessionUser | null = null;
  private wantedWorkspaceId: string | null = null;
  private refreshing: Promise<boolean> | null = null;
  private starting: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failedRefreshes = 0;
  private readonly listeners = new Set<() => void>();

  constructor(readonly graphqlEndpoint: string) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionState => this.state;

  /** Picks up the session the cookie holds, once per page load. */
  start(): Promise<void> {
    this.starting ??= this.refresh().then(() => undefined);
    return this.starting;
  }

  async signUp(input: { email: string; password: string; name: string }): Promise<void> {
    this.accept(grantOf(await postJson('/api/session/signup', input)));
  }

  async logIn(input: { email: string; password: string }): Promise<void> {
    this.accept(grantOf(await postJson('/api/session/login', input)));
  }

  async logOut(): Promise<void> {
    try {
      await postJson('/api/session/logout', {});
    } finally {
      this.forget();
    }
  }

  /** Makes the access token act in `workspaceId`; FORBIDDEN when the person is not a member. */
  async useWorkspace(workspaceId: string): Promise<void> {
    this.wantedWorkspaceId = workspaceId;
    if (this.token?.workspaceId === workspaceId) {
      return;
    }
    const token = await this.accessToken();
    this.accept(grantOf(await postJson('/api/session/switch', { workspaceId }, token)));
  }

  /** A token good for a request now, refreshed first when it is about to expire. */
  async accessToken(): Promise<string> {
    if (this.token && isUsable(this.token.expiresAt, Date.now())) {
      return this.token.value;
    }
    await this.refresh();
    if (!this.token) {
      throw new ApiError('UNAUTHENTICATED', 'Please log in', null, false);
    }
    return this.token.value;
  }

  /** One GraphQL operation as the signed-in person, retried once after a refresh on UNAUTHENTICATED. */
  async request<Result, Variables>(
    document: TypedDocumentNode<Result, Variables>,
    variables: Variables,
    signal?: AbortSignal,
  ): Promise<Result> {
    const token = await this.accessToken();
    try {
      return await graphqlRequest(this.graphqlEndpoint, document, variables, { token, signal });
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'UNAUTHENTICATED') {
        throw error;
      }
      if (!(await this.refresh())) {
        throw error;
      }
      return graphqlRequest(this.graphqlEndpoint, document, variables, {
        token: this.token?.value ?? null,
        signal,
      });
    }
  }

  /**
   * Exchanges the refresh cookie for a new access token. Resolves false when there is no session
   * (the state turns anonymous) or the server could not be reached (retried with back-off).
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= withRefreshLock(async () => {
      try {
        const body = await postJson(
          '/api/session/refresh',
          this.wantedWorkspaceId ? { workspaceId: this.wantedWorkspaceId } : {},
        );
        this.failedRefreshes = 0;
        if (body === null) {
          this.forget();
          return false;
        }
        this.accept(grantOf(body));
        return true;
      } catch (error) {
        if (error instanceof ApiError && error.retryable) {
          this.schedule(retryDelayMs(this.failedRefreshes++));
          if (this.state.status === 'starting') {
            this.setState({ status: 'anonymous' });
          }
          return false;
        }
        this.forget();
        return false;
      }
    }).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private accept(grant: SessionGrant): void {
    const expiresAt = Date.parse(grant.accessTokenExpiresAt);
    this.token = { value: grant.accessToken, expiresAt, workspaceId: grant.workspaceId };
    this.user = grant.user ?? this.user;
    this.schedule(refreshDelayMs(expiresAt, Date.now()));
    this.setState({ status: 'authenticated', user: this.user, workspaceId: grant.workspaceId });
  }

  private forget(): void {
    clearTimeout(this.timer);
    this.token = null;
    this.user = null;
    this.wantedWorkspaceId = null;
    this.setState({ status: 'anonymous' });
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delayMs);
  }

  private setState(next: SessionState): void {
    this.state = next;
    for (const listener of this.listeners) {
      listener();
    }
  }
}
