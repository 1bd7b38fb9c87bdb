import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { MissionControlError } from '@mission-control/sdk';

export type CallerKind = 'agent' | 'user' | 'api_key';

/** Who the MCP server acts for: the principal its token names. */
export type McpCaller = {
  kind: CallerKind;
  /** Agent id, user id or API key id. */
  id: string;
  /** The workspace the token acts in; null for a person who has not chosen one. */
  workspaceId: string | null;
};

/**
 * The public graph as the tools reach it: over HTTP with the SDK (stdio), or through the gateway's
 * own edge (/mcp). Every failure is a MissionControlError with its code and request id.
 */
export type MissionControlGraph = {
  request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
  ): Promise<TResult>;
  caller(): Promise<McpCaller>;
};

const KINDS: readonly CallerKind[] = ['agent', 'user', 'api_key'];

/**
 * The caller an access token names (its `sub`, `knd` and `wid` claims). The signature is the
 * gateway's to check on every request; this only reads whom the token speaks for, without a
 * round trip or a heartbeat.
 */
export function callerOfToken(token: string): McpCaller {
  const payload = token.split('.')[1];
  let claims: unknown;
  try {
    claims =
      payload === undefined ? null : JSON.parse(Buffer.from(payload, 'base64url').toString());
  } catch {
    claims = null;
  }
  const { sub, knd, wid } = (claims ?? {}) as Record<string, unknown>;
  if (
    typeof sub !== 'string' ||
    !KINDS.includes(knd as CallerKind) ||
    (wid !== null && typeof wid !== 'string')
  ) {
    throw new MissionControlError({
      code: 'UNAUTHENTICATED',
      message: 'The token is not a Mission Control access token: pass an agent key or a token.',
    });
  }
  return { kind: knd as CallerKind, id: sub, workspaceId: wid };
}
