import { Injectable, Logger } from '@nestjs/common';

import { SandboxClock } from '../clock/sandbox-clock';
import { OAuthError } from '../errors/oauth.error';
import { SandboxSettings } from '../settings/sandbox-settings';
import { GrantStore } from '../state/grant.store';
import { type TokenFamily, TokenStore } from '../state/token.store';
import { verifiesS256 } from './pkce';
import { paramReader, type ParamReader } from './param-reader';
import { TokenIssuer, type TokenResponse } from './token-issuer';

export interface GrantContext {
  clientId: string;
  issuer: string;
  /** An armed `invalid_grant` fault: refuse as a real invalid grant would, without touching state. */
  forceInvalidGrant: boolean;
}

/**
 * The token endpoint's grants. Code-grant failures answer in the flat error shape; refresh-grant
 * failures in the nested one, as Schwab's refresh path passes its upstream error through.
 */
@Injectable()
export class TokenService {
  private readonly logger = new Logger(TokenService.name);

  constructor(
    private readonly settings: SandboxSettings,
    private readonly clock: SandboxClock,
    private readonly grants: GrantStore,
    private readonly tokens: TokenStore,
    private readonly issuer: TokenIssuer,
  ) {}

  grant(body: unknown, context: GrantContext): TokenResponse {
    const params = paramReader(body, (message) => OAuthError.invalidRequest(message));
    const grantType = params.required('grant_type');
    if (grantType === 'authorization_code') return this.authorizationCode(params, context);
    if (grantType === 'refresh_token') return this.refreshToken(params, context);
    throw OAuthError.unsupportedGrantType();
  }

  private authorizationCode(params: ParamReader, context: GrantContext): TokenResponse {
    const value = params.required('code');
    const redirectUri = params.required('redirect_uri');
    const verifier = params.optional('code_verifier');
    const invalid = (description: string) => OAuthError.invalidGrant(description, 'flat');
    if (context.forceInvalidGrant) throw invalid('Authorization code is invalid');

    const now = this.clock.now();
    const code = this.grants.findCode(value);
    if (!code || code.clientId !== context.clientId) throw invalid('Authorization code is invalid');
    if (code.consumed) {
      // RFC 6749 §4.1.2: a replayed code revokes what it already produced.
      const family = code.familyId === undefined ? undefined : this.tokens.family(code.familyId);
      if (family) this.tokens.revokeFamily(family, 'authorization code replayed', now);
      this.logger.warn('authorization code replayed; its token family is revoked');
      throw invalid('Authorization code has already been used');
    }
    // From here the code is burnt, whatever the outcome: one attempt per code.
    code.consumed = true;
    if (code.expiresAt <= now) throw invalid('Authorization code has expired');
    if (redirectUri !== code.redirectUri) throw invalid('redirect_uri does not match the authorization request');
    if (code.codeChallenge !== undefined) {
      if (verifier === undefined || !verifiesS256(verifier, code.codeChallenge)) {
        throw invalid('code_verifier does not match the code_challenge');
      }
    } else if (verifier !== undefined) {
      throw invalid('code_verifier sent but the authorization request had no code_challenge');
    }

    const family = this.tokens.createFamily({
      clientId: code.clientId,
      user: code.user,
      now,
      refreshTtlSeconds: this.settings.current.refreshTtlSeconds,
    });
    code.familyId = family.id;
    return this.issuer.issue(family, now, true, context.issuer);
  }

  private refreshToken(params: ParamReader, context: GrantContext): TokenResponse {
    const value = params.required('refresh_token');
    const invalid = (description: string) => OAuthError.invalidGrant(description, 'nested');
    if (context.forceInvalidGrant) throw invalid('Refresh token is invalid');

    const now = this.clock.now();
    const family = this.tokens.familyOfRefreshToken(value);
    if (!family || family.clientId !== context.clientId) throw invalid('Refresh token is invalid');
    if (family.revokedAt !== undefined) throw invalid('Refresh token has been revoked');
    const rotatedOut = family.currentRefreshToken !== value;
    if (rotatedOut && !this.withinReuseGrace(family, value, now)) {
      // A rotated token came back: either a client lost the newer one or someone stole this one.
      this.tokens.revokeFamily(family, 'refresh token reuse detected', now);
      this.logger.warn('rotated refresh token reused; its token family is revoked');
      throw invalid('Refresh token has already been used; every token of this grant is revoked');
    }
    // The deadline was fixed when the code was exchanged; refreshing never extends it.
    if (family.refreshExpiresAt <= now) throw invalid('Refresh token has expired');
    if (rotatedOut) {
      // A retry by a client that never received the successor: that pair is void, this one replaces it.
      this.tokens.supersedeLostSuccessor(family);
      this.logger.log('rotated-out refresh token redeemed inside the reuse grace; its unused successor is void');
    }
    return this.issuer.issue(family, now, this.settings.current.rotation === 'rotating', context.issuer);
  }

  /** The immediately previous token, its successor never used, within the grace of its first rotation. */
  private withinReuseGrace(family: TokenFamily, value: string, now: number): boolean {
    const graceMs = this.settings.current.reuseGraceSeconds * 1000;
    return (
      graceMs > 0 &&
      family.previousRefreshToken === value &&
      family.previousRotatedAt !== undefined &&
      now - family.previousRotatedAt < graceMs
    );
  }
}
