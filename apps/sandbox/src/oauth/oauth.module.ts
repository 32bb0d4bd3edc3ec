import { Module } from '@nestjs/common';

import { AuthorizeController } from './authorize.controller';
import { AuthorizeService } from './authorize.service';
import { ClientAuthenticator } from './client-authenticator';
import { RevocationService } from './revocation.service';
import { TokenIssuer } from './token-issuer';
import { TokenController } from './token.controller';
import { TokenService } from './token.service';

/** Schwab's OAuth2 surface: /v1/oauth/authorize (+ consent), /v1/oauth/token, /v1/oauth/revoke. */
@Module({
  controllers: [AuthorizeController, TokenController],
  providers: [AuthorizeService, ClientAuthenticator, RevocationService, TokenIssuer, TokenService],
})
export class OAuthModule {}
