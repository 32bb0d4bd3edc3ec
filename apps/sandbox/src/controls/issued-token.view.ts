import type { GrantStore } from '../state/grant.store';
import type { IssuedEntry } from '../state/issued-token.log';
import type { TokenStore } from '../state/token.store';

export interface IssuedTokenView {
  kind: IssuedEntry['kind'];
  value: string;
  user: string;
  family_id: string | null;
  issued_at: string;
  expires_at: string;
  status: 'active' | 'used' | 'rotated' | 'revoked' | 'expired';
}

/** One issued secret and what became of it, as of `now`. */
export function issuedTokenView(
  entry: IssuedEntry,
  now: number,
  grants: GrantStore,
  tokens: TokenStore,
): IssuedTokenView {
  return {
    kind: entry.kind,
    value: entry.value,
    user: entry.user,
    family_id: entry.familyId ?? null,
    issued_at: new Date(entry.issuedAt).toISOString(),
    expires_at: new Date(entry.expiresAt).toISOString(),
    status: statusOf(entry, now, grants, tokens),
  };
}

function statusOf(entry: IssuedEntry, now: number, grants: GrantStore, tokens: TokenStore): IssuedTokenView['status'] {
  switch (entry.kind) {
    case 'authorization_code':
      if (grants.findCode(entry.value)?.consumed) return 'used';
      return entry.expiresAt <= now ? 'expired' : 'active';
    case 'refresh_token':
      return tokens.refreshTokenStatus(entry.value, now) ?? 'expired';
    case 'access_token': {
      // The record's deadline: a fault or a call limit may have ended the token early.
      const record = tokens.accessToken(entry.value);
      if (record?.revoked) return 'revoked';
      return (record?.expiresAt ?? entry.expiresAt) <= now ? 'expired' : 'active';
    }
    case 'id_token':
      if (entry.familyId !== undefined && tokens.family(entry.familyId)?.revokedAt !== undefined) return 'revoked';
      return entry.expiresAt <= now ? 'expired' : 'active';
  }
}
