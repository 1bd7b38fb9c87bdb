import { AccessTokenIssuer, type JWK, type Principal } from '@mission-control/auth';

export type IssuedAccessToken = { token: string; expiresAt: Date };

/** Signs this service's access tokens; the gateway verifies them with the published key set. */
export class TokenService {
  constructor(private readonly issuer: AccessTokenIssuer) {}

  issue(principal: Principal): Promise<IssuedAccessToken> {
    return this.issuer.issue(principal);
  }

  jwks(): { keys: JWK[] } {
    return this.issuer.jwks();
  }
}
