import { Controller, Get, Header } from '@nestjs/common';
import { Public, type JWK } from '@mission-control/auth';
import { TokenService } from './token.service';

/** The public keys access tokens are signed with, for the gateway (and anyone) to verify them. */
@Controller('.well-known')
export class JwksController {
  constructor(private readonly tokens: TokenService) {}

  @Public()
  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  jwks(): { keys: JWK[] } {
    return this.tokens.jwks();
  }
}
