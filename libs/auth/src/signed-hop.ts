import { AppError } from '@mission-control/errors';
import { errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';

/** The internal secrets must be at least this long: HS256 is only as strong as its secret. */
export const MIN_INTERNAL_SECRET_LENGTH = 32;

const ALGORITHM = 'HS256';
export const DEFAULT_HOP_TTL_SECONDS = 60;

/**
 * One kind of short-lived HS256 token one of our processes hands the next over the network. Each
 * kind has its own type, issuer and audience, so a token of one kind never passes for another.
 */
export type HopToken = { type: string; issuer: string; audience: string; name: string };

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

export async function signHop(
  token: HopToken,
  claims: JWTPayload,
  secret: string,
  ttlSeconds = DEFAULT_HOP_TTL_SECONDS,
): Promise<string> {
  const key = keyOf(secret);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw AppError.validation('ttlSeconds must be a positive integer');
  }
  const issuedAt = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, typ: token.type })
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .setIssuer(token.issuer)
    .setAudience(token.audience)
    .sign(key);
}

/** The verified claims; UNAUTHENTICATED naming the token when it is forged, foreign or expired. */
export async function verifyHop(
  token: HopToken,
  value: string,
  secret: string,
  requiredClaims: string[] = [],
): Promise<JWTPayload> {
  const key = keyOf(secret);
  try {
    const verified = await jwtVerify(value, key, {
      algorithms: [ALGORITHM],
      typ: token.type,
      issuer: token.issuer,
      audience: token.audience,
      requiredClaims: ['iat', 'exp', ...requiredClaims],
    });
    return verified.payload;
  } catch (error) {
    throw AppError.unauthenticated(
      error instanceof errors.JWTExpired
        ? `${token.name[0]!.toUpperCase()}${token.name.slice(1)} expired`
        : `Invalid ${token.name}`,
    );
  }
}

/** An optional string claim; anything else is a token we did not sign. */
export function optionalString(
  payload: JWTPayload,
  claim: string,
  name: string,
): string | undefined {
  const value = payload[claim];
  if (value !== undefined && typeof value !== 'string') {
    throw AppError.unauthenticated(`Invalid ${name}`);
  }
  return value;
}
