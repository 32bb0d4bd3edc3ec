import { Injectable } from '@nestjs/common';

import { SandboxClock } from '../clock/sandbox-clock';
import { ServiceError } from '../errors/service.error';
import { SandboxSettings } from '../settings/sandbox-settings';
import { TokenStore } from '../state/token.store';

/** The token of an `Authorization: Bearer <token>` header, if that is what it is. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
}

/** Trader API calls need `Authorization: Bearer <access token>`: live, unrevoked, from a live grant. */
@Injectable()
export class AccessTokenVerifier {
  constructor(
    private readonly clock: SandboxClock,
    private readonly tokens: TokenStore,
    private readonly settings: SandboxSettings,
  ) {}

  /** The user the token acts for; 401 ServiceError otherwise. Each success counts one data call. */
  userFor(authorization: string | undefined): string {
    const value = bearerToken(authorization);
    const record = value === undefined ? undefined : this.tokens.accessToken(value);
    const family = record ? this.tokens.family(record.familyId) : undefined;
    const now = this.clock.now();
    if (!record || !family || record.revoked || family.revokedAt !== undefined || record.expiresAt <= now) {
      throw ServiceError.unauthorized();
    }
    // A token past its call budget expires on the spot, exactly as if its lifetime had run out.
    const limit = this.settings.current.accessTokenCallLimit;
    record.dataCalls += 1;
    if (limit !== null && record.dataCalls > limit) {
      this.tokens.expireAccessToken(record, now);
      throw ServiceError.unauthorized();
    }
    return family.user;
  }
}
