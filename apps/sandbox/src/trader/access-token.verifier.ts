import { Injectable } from '@nestjs/common';

import { SandboxClock } from '../clock/sandbox-clock';
import { ServiceError } from '../errors/service.error';
import { TokenStore } from '../state/token.store';

/** Trader API calls need `Authorization: Bearer <access token>`: live, unrevoked, from a live grant. */
@Injectable()
export class AccessTokenVerifier {
  constructor(
    private readonly clock: SandboxClock,
    private readonly tokens: TokenStore,
  ) {}

  /** The user the token acts for; 401 ServiceError otherwise. */
  userFor(authorization: string | undefined): string {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const record = match ? this.tokens.accessToken(match[1]) : undefined;
    const family = record ? this.tokens.family(record.familyId) : undefined;
    if (
      !record ||
      !family ||
      record.revoked ||
      family.revokedAt !== undefined ||
      record.expiresAt <= this.clock.now()
    ) {
      throw ServiceError.unauthorized();
    }
    return family.user;
  }
}
