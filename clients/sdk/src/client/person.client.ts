import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type DocumentNode, Kind, OperationTypeNode } from 'graphql';
import { MissionControlError } from '../errors/mission-control.error';
import {
  LogInDocument,
  LogOutDocument,
  type PersonSessionFragment,
  RefreshSessionDocument,
  SwitchWorkspaceDocument,
} from '../graphql/generated';
import { type RetryPolicy, withRetries } from '../retry/retry-policy';
import { type FetchLike, GraphQLTransport } from '../transport/graphql-transport';
import type { RequestOptions } from './mission-control.client';

/** What a person's session needs to go on: a token now and the refresh token for the next one. */
export type PersonTokens = {
  accessToken: string;
  /** ISO time. */
  accessTokenExpiresAt: string;
  /** Works once: every refresh answers a new one, which must be kept in its place. */
  refreshToken: string;
};

export type SignedInPerson = PersonSessionFragment['user'];

export type PersonClientOptions = {
  /** The gateway's origin, e.g. `http://127.0.0.1:4000`. */
  url: string;
  tokens: PersonTokens;
  /**
   * Called with the new tokens after every refresh or workspace switch, before the request that
   * needed them is sent: the old refresh token no longer works, so persist these.
   */
  onTokens?: (tokens: PersonTokens) => void | Promise<void>;
  /** A token is replaced this long before it expires (default 30 s). */
  refreshBeforeMs?: number;
  /** Queries are retried with backoff; mutations, which carry no idempotency key here, are not. */
  retry?: Partial<RetryPolicy>;
  fetch?: FetchLike;
  userAgent?: string;
};

const isMutation = (document: DocumentNode) =>
  document.definitions.some(
    (definition) =>
      definition.kind === Kind.OPERATION_DEFINITION &&
      definition.operation === OperationTypeNode.MUTATION,
  );

/**
 * GraphQL as a signed-in person (a CLI, a script): the access token is refreshed with the refresh
 * token before it expires, or once when the server refuses it, and each rotated pair is handed to
 * `onTokens` to keep.
 */
export class PersonClient {
  readonly url: string;
  private readonly transport: GraphQLTransport;
  private current: PersonTokens;
  private refreshing: Promise<string> | null = null;

  constructor(private readonly options: PersonClientOptions) {
    this.url = options.url;
    this.transport = new GraphQLTransport(options.url, options.fetch, options.userAgent);
    this.current = options.tokens;
  }

  /** Signs in with email and password; the answer's tokens start a client. */
  static async logIn(
    url: string,
    email: string,
    password: string,
    options: Pick<PersonClientOptions, 'fetch' | 'userAgent'> = {},
  ): Promise<PersonSessionFragment> {
    const transport = new GraphQLTransport(url, options.fetch, options.userAgent);
    const { logIn } = await transport.execute(LogInDocument, { variables: { email, password } });
    return logIn;
  }

  get tokens(): PersonTokens {
    return this.current;
  }

  /** A valid access token (for a live connection); refreshed as needed. */
  async accessToken(): Promise<string> {
    const refreshBeforeMs = this.options.refreshBeforeMs ?? 30_000;
    if (Date.now() < Date.parse(this.current.accessTokenExpiresAt) - refreshBeforeMs) {
      return this.current.accessToken;
    }
    return this.refresh(this.current.accessToken);
  }

  /** The server refused `token` (a live connection was told so): the next one is refreshed. */
  invalidate(token: string): void {
    if (this.current.accessToken === token) {
      this.current = { ...this.current, accessTokenExpiresAt: new Date(0).toISOString() };
    }
  }

  /** Any operation of the graph as this person, typed by its document. */
  async request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    options: RequestOptions = {},
  ): Promise<TResult> {
    const policy = isMutation(document)
      ? { attempts: 1, ...options.retry }
      : { ...this.options.retry, ...options.retry };
    return withRetries(() => this.authenticated(document, variables, options.signal), {
      policy,
      signal: options.signal,
    });
  }

  /** Acts in `workspaceId` from now on; the session's later refreshes keep it. */
  async switchWorkspace(workspaceId: string): Promise<PersonTokens> {
    const { switchWorkspace } = await this.request(SwitchWorkspaceDocument, { workspaceId });
    this.current = { ...this.current, ...switchWorkspace };
    await this.options.onTokens?.(this.current);
    return this.current;
  }

  /** Ends the session on the server: its refresh token and access tokens stop working. */
  async logOut(): Promise<boolean> {
    const { logOut } = await this.transport.execute(LogOutDocument, {
      variables: { refreshToken: this.current.refreshToken },
    });
    return logOut;
  }

  private async authenticated<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    signal: AbortSignal | undefined,
  ): Promise<TResult> {
    const token = await this.accessToken();
    try {
      return await this.transport.execute(document, { variables, token, signal });
    } catch (error) {
      if (!(error instanceof MissionControlError) || error.code !== 'UNAUTHENTICATED') {
        throw error;
      }
      const fresh = await this.refresh(token);
      return this.transport.execute(document, { variables, token: fresh, signal });
    }
  }

  /** Trades the refresh token for a new pair, once however many requests need it. */
  private refresh(stale: string): Promise<string> {
    if (this.current.accessToken !== stale) {
      return Promise.resolve(this.current.accessToken);
    }
    this.refreshing ??= (async () => {
      try {
        const { refreshSession } = await this.transport.execute(RefreshSessionDocument, {
          variables: { refreshToken: this.current.refreshToken },
        });
        this.current = {
          accessToken: refreshSession.accessToken,
          accessTokenExpiresAt: refreshSession.accessTokenExpiresAt,
          refreshToken: refreshSession.refreshToken,
        };
      } catch (error) {
        throw error instanceof MissionControlError && error.code === 'UNAUTHENTICATED'
          ? new MissionControlError({
              code: 'UNAUTHENTICATED',
              message: `The session has ended (${error.message}): sign in again.`,
              requestId: error.requestId,
              details: error.details,
              cause: error,
            })
          : error;
      }
      await this.options.onTokens?.(this.current);
      return this.current.accessToken;
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }
}
