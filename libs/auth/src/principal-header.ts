import { AppError } from '@mission-control/errors';
import type { Principal } from './principal';
import { claimsOf, principalFromClaims, principalProblem } from './principal-claims';
import {
  assertInternalSecret,
  type HopToken,
  MIN_INTERNAL_SECRET_LENGTH,
  optionalString,
  signHop,
  verifyHop,
} from './signed-hop';

export { assertInternalSecret, MIN_INTERNAL_SECRET_LENGTH };

/** Carries the principal the gateway verified to the subgraphs, as a short-lived HS256 JWS. */
export const PRINCIPAL_HEADER = 'x-mc-principal';

// Distinct type and audience: an access token can never pass for a principal header, and back.
const PRINCIPAL_TOKEN: HopToken = {
  type: 'mc-principal+jwt',
  issuer: 'mission-control-gateway',
  audience: 'mission-control-subgraph',
  name: 'principal header',
};

export async function signPrincipalHeader(
  principal: Principal,
  secret: string,
  options: { requestId?: string; ttlSeconds?: number } = {},
): Promise<string> {
  assertInternalSecret(secret);
  const problem = principalProblem(principal);
  if (problem !== undefined) {
    throw AppError.validation(`Cannot forward the principal: ${problem}`);
  }
  return signHop(
    PRINCIPAL_TOKEN,
    {
      ...claimsOf(principal),
      ...(options.requestId === undefined ? {} : { rid: options.requestId }),
    },
    secret,
    options.ttlSeconds,
  );
}

export async function verifyPrincipalHeader(
  value: string,
  secret: string,
): Promise<{ principal: Principal; requestId?: string }> {
  const payload = await verifyHop(PRINCIPAL_TOKEN, value, secret, ['sub']);
  const principal = principalFromClaims(payload);
  if (principal === undefined) {
    throw AppError.unauthenticated('Invalid principal header');
  }
  const rid = optionalString(payload, 'rid', PRINCIPAL_TOKEN.name);
  return rid === undefined ? { principal } : { principal, requestId: rid };
}
