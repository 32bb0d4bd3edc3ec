import { randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { SandboxSettings } from '../settings/sandbox-settings';
import { IssuedTokenLog } from '../state/issued-token.log';
import { type TokenFamily, TokenStore } from '../state/token.store';
import { newAccessToken, newRefreshToken, signIdToken } from './token-format';

/** Schwab's token response, field for field. */
export interface TokenResponse {
  expires_in: number;
  token_type: 'Bearer';
  scope: 'api';
  refresh_token: string;
  access_token: string;
  id_token: string;
}

/** Mints the tokens of one grant and writes each to the issued-token log. */
@Injectable()
export class TokenIssuer {
  private readonly idTokenKey = randomBytes(32);

  constructor(
    private readonly settings: SandboxSettings,
    private readonly tokens: TokenStore,
    private readonly issued: IssuedTokenLog,
  ) {}

  /** `rotateRefresh`: mint a new refresh token (first grant, rotating refresh) or keep the current one. */
  issue(family: TokenFamily, now: number, rotateRefresh: boolean, issuer: string): TokenResponse {
    const ttl = this.settings.current.accessTtlSeconds;
    const base = { user: family.user, familyId: family.id, issuedAt: now };
    if (rotateRefresh) {
      const refresh = newRefreshToken();
      this.tokens.addRefreshToken(family, refresh, now);
      this.issued.record({ ...base, kind: 'refresh_token', value: refresh, expiresAt: family.refreshExpiresAt });
    }
    const access = this.tokens.addAccessToken(family, newAccessToken(), now, ttl);
    this.issued.record({ ...base, kind: 'access_token', value: access.value, expiresAt: access.expiresAt });
    const iat = Math.floor(now / 1000);
    const idToken = signIdToken(
      { iss: issuer, sub: family.user, aud: family.clientId, iat, exp: iat + ttl },
      this.idTokenKey,
    );
    this.issued.record({ ...base, kind: 'id_token', value: idToken, expiresAt: access.expiresAt });
    return {
      expires_in: ttl,
      token_type: 'Bearer',
      scope: 'api',
      refresh_token: family.currentRefreshToken,
      access_token: access.value,
      id_token: idToken,
    };
  }
}
