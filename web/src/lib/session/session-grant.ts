export type SessionUser = { id: string; email: string; name: string };

/** What the /api/session routes hand the browser: an access token, never the refresh token. */
export type SessionGrant = {
  accessToken: string;
  accessTokenExpiresAt: string;
  /** The workspace the token acts in (null before one was chosen). */
  workspaceId: string | null;
  user: SessionUser | null;
};
