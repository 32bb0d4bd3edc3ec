import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { AccessTokenService, unauthorized } from './access-token.service';
import { SessionValidityService } from './session-validity.service';
import type { AuthenticatedRequest } from '../../common/decorators/current-user.decorator';
import { IS_PUBLIC } from '../../common/decorators/public.decorator';

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i;

/**
 * Deny by default (registered as APP_GUARD): every route needs a valid access token for a live
 * session unless it is marked `@Public()`. A session revoked anywhere stops its tokens within
 * AUTH_SESSION_CACHE_TTL_SECONDS; a disabled user stops at once the cache expires too.
 */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly accessTokens: AccessTokenService,
    private readonly sessions: SessionValidityService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match) throw unauthorized('AUTH.UNAUTHORIZED', 'This endpoint needs an access token (Authorization: Bearer)');
    const claims = await this.accessTokens.verify(match[1]);
    const owner = await this.sessions.ownerOf(claims.sid);
    if (owner === null || owner !== claims.sub) {
      throw unauthorized('AUTH.SESSION_REVOKED', 'The session has ended; sign in again');
    }
    request.user = { id: claims.sub, sessionId: claims.sid };
    return true;
  }
}
