/**
 * The workspace an access token acts in (`wid` claim), read without verifying: the token came
 * straight from identity, and the gateway verifies it on every use anyway.
 */
export function workspaceOfToken(token: string): string | null {
  const payload = token.split('.')[1];
  if (!payload) {
    return null;
  }
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(
      Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (c) =>
        c.charCodeAt(0),
      ),
    );
    const claims: unknown = JSON.parse(json);
    if (typeof claims === 'object' && claims !== null && 'wid' in claims) {
      const { wid } = claims;
      return typeof wid === 'string' && wid.length > 0 ? wid : null;
    }
    return null;
  } catch {
    return null;
  }
}
