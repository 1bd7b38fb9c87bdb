import { VerifiedTokenCache, type Principal } from '@mission-control/auth';
import { AppError } from '@mission-control/errors';

export type TokenVerifier = { verify(token: string): Promise<Principal> };

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/**
 * Who is calling, from the Authorization header. No header is an anonymous caller (the subgraphs
 * decide what is public); a header that is present but not a valid token is UNAUTHENTICATED, never
 * silently anonymous, so a client with an expired token learns it must refresh.
 */
export class EdgeAuthenticator {
  private readonly verified = new VerifiedTokenCache<Principal>();

  constructor(private readonly verifier: TokenVerifier) {}

  async authenticate(authorization: string | undefined): Promise<Principal | null> {
    if (authorization === undefined || authorization.trim() === '') {
      return null;
    }
    const token = BEARER.exec(authorization)?.[1];
    if (token === undefined) {
      throw AppError.unauthenticated('Authorization must be "Bearer <access token>"');
    }
    return this.verified.get(token, (value) => this.verifier.verify(value));
  }
}
