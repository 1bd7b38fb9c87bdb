/** What `mc` reads from an access token: who it is and where it acts. Not verified: the server does. */
export type TokenClaims = { subject: string; kind: string | null; workspaceId: string | null };

export function tokenClaims(token: string): TokenClaims | null {
  const payload = token.split('.')[1];
  if (!payload) {
    return null;
  }
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    if (typeof claims.sub !== 'string') {
      return null;
    }
    return {
      subject: claims.sub,
      kind: typeof claims.knd === 'string' ? claims.knd : null,
      workspaceId: typeof claims.wid === 'string' ? claims.wid : null,
    };
  } catch {
    return null;
  }
}
