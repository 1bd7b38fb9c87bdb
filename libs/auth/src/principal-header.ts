import { AppError } from '@mission-control/errors';
import { errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { Principal } from './principal';
import { claimsOf, principalFromClaims, principalProblem } from './principal-claims';

/** Carries the principal the gateway verified to the subgraphs, as a short-lived HS256 JWS. */
export const PRINCIPAL_HEADER = 'x-mc-principal';

/** INTERNAL_AUTH_SECRET must be at least this long: HS256 is only as strong as its secret. */
export const MIN_INTERNAL_SECRET_LENGTH = 32;

const ALGORITHM = 'HS256';
// Distinct type and audience: an access token can never pass for a principal header, and back.
const TOKEN_TYPE = 'mc-principal+jwt';
const ISSUER = 'mission-control-gateway';
const AUDIENCE = 'mission-control-subgraph';
const DEFAULT_TTL_SECONDS = 60;

/** A short secret is a misconfiguration, not the caller's fault: fail loudly, not UNAUTHENTICATED. */
export function assertInternalSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < MIN_INTERNAL_SECRET_LENGTH) {
    throw new Error(
      `The internal auth secret must be at least ${MIN_INTERNAL_SECRET_LENGTH} characters`,
    );
  }
}

function keyOf(secret: string): Uint8Array {
  assertInternalSecret(secret);
  return new TextEncoder().encode(secret);
}

export async function signPrincipalHeader(
  principal: Principal,
  secret: string,
  options: { requestId?: string; ttlSeconds?: number } = {},
): Promise<string> {
  const key = keyOf(secret);
  const problem = principalProblem(principal);
  if (problem !== undefined) {
    throw AppError.validation(`Cannot forward the principal: ${problem}`);
  }
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw AppError.validation('ttlSeconds must be a positive integer');
  }
  const issuedAt = Math.floor(Date.now() / 1000);
  return new SignJWT({
    ...claimsOf(principal),
    ...(options.requestId === undefined ? {} : { rid: options.requestId }),
  })
    .setProtectedHeader({ alg: ALGORITHM, typ: TOKEN_TYPE })
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .sign(key);
}

export async function verifyPrincipalHeader(
  value: string,
  secret: string,
): Promise<{ principal: Principal; requestId?: string }> {
  const key = keyOf(secret);
  let payload: JWTPayload;
  try {
    const verified = await jwtVerify(value, key, {
      algorithms: [ALGORITHM],
      typ: TOKEN_TYPE,
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'iat', 'exp'],
    });
    payload = verified.payload;
  } catch (error) {
    throw AppError.unauthenticated(
      error instanceof errors.JWTExpired ? 'Principal header expired' : 'Invalid principal header',
    );
  }
  const principal = principalFromClaims(payload);
  if (principal === undefined) {
    throw AppError.unauthenticated('Invalid principal header');
  }
  const { rid } = payload;
  if (rid !== undefined && typeof rid !== 'string') {
    throw AppError.unauthenticated('Invalid principal header');
  }
  return rid === undefined ? { principal } : { principal, requestId: rid };
}
