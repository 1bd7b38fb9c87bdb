import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import { AppError } from '@mission-control/errors';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
  SignJWT,
} from 'jose';
import type { Principal } from './principal';
import { claimsOf, principalFromClaims, principalProblem } from './principal-claims';

export type { JWK } from 'jose';

const ALGORITHM = 'EdDSA';
// RFC 9068 media type: keeps access tokens apart from any other JWT signed by the same key.
const TOKEN_TYPE = 'at+jwt';
const DEFAULT_TTL_SECONDS = 900;
// Issued-at in milliseconds, beside the standard `iat` (seconds).
const ISSUED_AT_MS_CLAIM = 'ims';

export type SigningKey = { privateJwk: JWK; publicJwk: JWK; kid: string };

/** A fresh Ed25519 key pair; the kid is the RFC 7638 thumbprint of the public key. */
export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, {
    crv: 'Ed25519',
    extractable: true,
  });
  const privateJwk = await exportJWK(privateKey);
  const publicJwk = await exportJWK(publicKey);
  return { privateJwk, publicJwk, kid: await calculateJwkThumbprint(publicJwk) };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isEd25519 = (jwk: Record<string, unknown>): jwk is Record<string, unknown> & { x: string } =>
  jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && typeof jwk.x === 'string' && jwk.x.length > 0;

/**
 * Reads a signing key from the JSON of `{ privateJwk, publicJwk, kid }`. Messages never echo the
 * input: it holds the private key.
 */
export function parseSigningKey(json: string): SigningKey {
  const malformed = (why: string) => AppError.validation(`Signing key is malformed: ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw malformed('not JSON');
  }
  if (!isRecord(parsed)) {
    throw malformed('expected an object with privateJwk, publicJwk and kid');
  }
  const { privateJwk, publicJwk, kid } = parsed;
  if (typeof kid !== 'string' || kid.length === 0) {
    throw malformed('kid must be a non-empty string');
  }
  if (!isRecord(privateJwk) || !isEd25519(privateJwk) || typeof privateJwk.d !== 'string') {
    throw malformed('privateJwk must be an Ed25519 private JWK');
  }
  if (!isRecord(publicJwk) || !isEd25519(publicJwk)) {
    throw malformed('publicJwk must be an Ed25519 public JWK');
  }
  if ('d' in publicJwk) {
    throw malformed('publicJwk must not contain private fields');
  }
  let derivedX: unknown;
  try {
    const privateKey = createPrivateKey({ key: { ...privateJwk }, format: 'jwk' });
    derivedX = createPublicKey(privateKey).export({ format: 'jwk' }).x;
  } catch {
    throw malformed('privateJwk is not a valid key');
  }
  if (derivedX !== publicJwk.x || privateJwk.x !== publicJwk.x) {
    throw malformed('publicJwk does not belong to privateJwk');
  }
  return {
    privateJwk: { kty: 'OKP', crv: 'Ed25519', x: privateJwk.x, d: privateJwk.d },
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x: publicJwk.x },
    kid,
  };
}

export type AccessTokenIssuerOptions = {
  key: SigningKey;
  issuer: string;
  audience: string;
  ttlSeconds?: number;
};

/** Signs user and agent access tokens. */
export class AccessTokenIssuer {
  private readonly ttlSeconds: number;

  constructor(private readonly options: AccessTokenIssuerOptions) {
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
    if (!Number.isInteger(this.ttlSeconds) || this.ttlSeconds <= 0) {
      throw AppError.validation('ttlSeconds must be a positive integer');
    }
  }

  async issue(principal: Principal): Promise<{ token: string; expiresAt: Date }> {
    const problem = principalProblem(principal);
    if (problem !== undefined) {
      throw AppError.validation(`Cannot issue a token: ${problem}`);
    }
    const issuedAtMs = Date.now();
    const issuedAt = Math.floor(issuedAtMs / 1000);
    const expiresAt = issuedAt + this.ttlSeconds;
    const token = await new SignJWT({ ...claimsOf(principal), [ISSUED_AT_MS_CLAIM]: issuedAtMs })
      .setProtectedHeader({ alg: ALGORITHM, typ: TOKEN_TYPE, kid: this.options.key.kid })
      .setJti(randomUUID())
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .sign(this.options.key.privateJwk);
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  /** The key set to publish: public parameters only, whatever the stored JWK holds. */
  jwks(): { keys: JWK[] } {
    const { kty, crv, x } = this.options.key.publicJwk;
    return { keys: [{ kty, crv, x, kid: this.options.key.kid, alg: ALGORITHM, use: 'sig' }] };
  }
}

/** A verified access token: who it speaks for and when it was issued (epoch ms). */
export type VerifiedAccess = { principal: Principal; issuedAtMs: number };

/**
 * When a token was issued, in epoch ms: the `ims` claim, or `iat` for tokens issued before it
 * existed. Revocation compares it with the moment access was taken away, so seconds are too coarse.
 */
export function issuedAtMsOf(payload: JWTPayload): number | undefined {
  const ims = payload[ISSUED_AT_MS_CLAIM];
  if (typeof ims === 'number' && Number.isFinite(ims)) {
    return ims;
  }
  return typeof payload.iat === 'number' ? payload.iat * 1000 : undefined;
}

export type AccessTokenVerifierOptions = { issuer: string; audience: string } & (
  { jwksUrl: string } | { jwks: { keys: JWK[] } }
);

/** The key set could not be fetched: our outage, not the caller's bad token. */
class KeySetUnavailable extends Error {
  constructor(cause: unknown) {
    super('Access token signing keys are unavailable', { cause });
    this.name = 'KeySetUnavailable';
  }
}

// Errors that blame the token (its kid matches no key) rather than the key set endpoint.
const isTokenKeyMismatch = (error: unknown): boolean =>
  error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys;

export class AccessTokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly options: AccessTokenVerifierOptions) {
    if ('jwksUrl' in options) {
      // Cached by jose; refetched when a token names an unknown kid, at most every 30 s.
      const remote = createRemoteJWKSet(new URL(options.jwksUrl));
      this.keys = async (header, token) => {
        try {
          return await remote(header, token);
        } catch (error) {
          throw isTokenKeyMismatch(error) ? error : new KeySetUnavailable(error);
        }
      };
    } else {
      this.keys = createLocalJWKSet(options.jwks);
    }
  }

  /**
   * The principal of a valid access token. Token problems are UNAUTHENTICATED with a short
   * message; an unreachable key set is rethrown as an internal error so clients are not logged out
   * by our outage.
   */
  async verify(token: string): Promise<Principal> {
    return (await this.verifyAccess(token)).principal;
  }

  /** As {@link verify}, with the moment the token was issued. */
  async verifyAccess(token: string): Promise<VerifiedAccess> {
    let payload: JWTPayload;
    try {
      const verified = await jwtVerify(token, this.keys, {
        algorithms: [ALGORITHM],
        typ: TOKEN_TYPE,
        issuer: this.options.issuer,
        audience: this.options.audience,
        requiredClaims: ['sub', 'jti', 'iat', 'exp'],
      });
      payload = verified.payload;
    } catch (error) {
      if (error instanceof KeySetUnavailable) {
        throw error;
      }
      if (error instanceof errors.JWTExpired) {
        throw AppError.unauthenticated('Access token expired');
      }
      throw AppError.unauthenticated('Invalid access token');
    }
    const principal = principalFromClaims(payload);
    const issuedAtMs = issuedAtMsOf(payload);
    if (principal === undefined || issuedAtMs === undefined) {
      throw AppError.unauthenticated('Invalid access token');
    }
    return { principal, issuedAtMs };
  }
}
