import { VerifiedTokenCache, type Principal, type VerifiedAccess } from '@mission-control/auth';
import { AppError } from '@mission-control/errors';
import type { Revocations } from './revocations';

export type TokenVerifier = { verifyAccess(token: string): Promise<VerifiedAccess> };

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/**
 * Who is calling, from the Authorization header. No header is an anonymous caller (the subgraphs
 * decide what is public); a header that is present but not a valid token is UNAUTHENTICATED, never
 * silently anonymous, so a client with an expired token learns it must refresh. A valid token
 * whose access was taken away since it was issued is refused the same way, on every request.
 */
export class EdgeAuthenticator {
  private readonly verified = new VerifiedTokenCache<VerifiedAccess>();

  constructor(
    private readonly verifier: TokenVerifier,
    readonly revocations: Revocations,
  ) {}

  async authenticate(authorization: string | undefined): Promise<Principal | null> {
    return (await this.authenticateAccess(authorization))?.principal ?? null;
  }

  /** As {@link authenticate}, with when the token was issued (live connections re-check it). */
  async authenticateAccess(authorization: string | undefined): Promise<VerifiedAccess | null> {
    if (authorization === undefined || authorization.trim() === '') {
      return null;
    }
    const token = BEARER.exec(authorization)?.[1];
    if (token === undefined) {
      throw AppError.unauthenticated('Authorization must be "Bearer <access token>"');
    }
    const access = await this.verified.get(token, (value) => this.verifier.verifyAccess(value));
    this.revocations.assertCurrent(access);
    return access;
  }
}
