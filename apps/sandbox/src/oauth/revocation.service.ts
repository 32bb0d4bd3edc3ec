import { Injectable } from '@nestjs/common';

import { SandboxClock } from '../clock/sandbox-clock';
import { OAuthError } from '../errors/oauth.error';
import { TokenStore } from '../state/token.store';
import { paramReader } from './param-reader';

/**
 * RFC 7009. A refresh token revokes its whole grant (access tokens included); an access token only
 * itself. Unknown, expired or foreign tokens still answer 200: revocation reveals nothing.
 */
@Injectable()
export class RevocationService {
  constructor(
    private readonly clock: SandboxClock,
    private readonly tokens: TokenStore,
  ) {}

  revoke(body: unknown, clientId: string): void {
    const params = paramReader(body, (message) => OAuthError.invalidRequest(message));
    const token = params.required('token');
    // The hint only orders the lookup (RFC 7009 §2.1); unknown hints are ignored.
    const hint = params.optional('token_type_hint');
    const lookups = hint === 'access_token' ? [this.access, this.refresh] : [this.refresh, this.access];
    for (const lookup of lookups) if (lookup.call(this, token, clientId)) return;
  }

  private refresh(token: string, clientId: string): boolean {
    const family = this.tokens.familyOfRefreshToken(token);
    if (!family) return false;
    if (family.clientId === clientId) this.tokens.revokeFamily(family, 'revoked by client', this.clock.now());
    return true;
  }

  private access(token: string, clientId: string): boolean {
    const record = this.tokens.accessToken(token);
    if (!record) return false;
    if (this.tokens.family(record.familyId)?.clientId === clientId) this.tokens.revokeAccessToken(record);
    return true;
  }
}
