import {
  PRINCIPAL_HEADER,
  principalOf,
  verifyPrincipalHeader,
  type Principal,
} from '@mission-control/auth';

export const INTERNAL_AUTH_SECRET = Symbol('INTERNAL_AUTH_SECRET');

/**
 * The caller of an entity reference (`_entities`). The auth guard does not run for reference
 * resolvers, so the signed principal header is verified here; anything invalid is no principal.
 */
export async function referencePrincipal(
  request: unknown,
  secret: string,
): Promise<Principal | undefined> {
  const verified = principalOf(request);
  if (verified) {
    return verified;
  }
  const headers = (request as { headers?: Record<string, unknown> } | undefined)?.headers;
  const header = headers?.[PRINCIPAL_HEADER];
  if (typeof header !== 'string') {
    return undefined;
  }
  try {
    return (await verifyPrincipalHeader(header, secret)).principal;
  } catch {
    return undefined;
  }
}
