import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { OAuthError } from '../errors/oauth.error';
import { FaultInjector } from '../faults/fault-injector';
import { FaultPoint } from '../faults/fault-point.decorator';
import { ClientAuthenticator } from './client-authenticator';
import { RevocationService } from './revocation.service';
import type { TokenResponse } from './token-issuer';
import { TokenService } from './token.service';

const FORM = /^application\/x-www-form-urlencoded\b/i;

/** Server-to-server half of the flow: token and revocation endpoints, HTTP Basic client auth. */
@Controller('v1/oauth')
export class TokenController {
  constructor(
    private readonly clients: ClientAuthenticator,
    private readonly tokens: TokenService,
    private readonly revocation: RevocationService,
    private readonly faults: FaultInjector,
  ) {}

  @Post('token')
  @HttpCode(200)
  @FaultPoint('token')
  token(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): TokenResponse {
    const clientId = this.clients.authenticate(request.headers.authorization);
    requireForm(request);
    const response = this.tokens.grant(request.body, {
      clientId,
      issuer: `${request.protocol}://${request.host}`,
      forceInvalidGrant: this.faults.isInvalidGrantForced(request.raw),
    });
    void reply.headers({ 'cache-control': 'no-store', pragma: 'no-cache' });
    return response;
  }

  @Post('revoke')
  @HttpCode(200)
  @FaultPoint('revoke')
  revoke(@Req() request: FastifyRequest): void {
    const clientId = this.clients.authenticate(request.headers.authorization);
    requireForm(request);
    this.revocation.revoke(request.body, clientId);
  }
}

function requireForm(request: FastifyRequest): void {
  if (!FORM.test(request.headers['content-type'] ?? '')) {
    throw OAuthError.invalidRequest('The body must be application/x-www-form-urlencoded');
  }
}
