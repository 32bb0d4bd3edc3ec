import { isOAuthClient, type ProviderClient } from '../provider-client';
import { ProviderError } from '../provider.errors';

export type GrantRevocation = 'revoked' | 'not_supported' | 'failed';

/**
 * RFC 7009 at the institution, best effort: a refresh token revokes its whole grant, so it goes first.
 * `tokens` is read only when the institution revokes at all (it may decrypt). Never throws: a failure is
 * an outcome with a reason safe to log (the institution's summary or the error's class).
 */
export async function revokeGrant(
  institution: ProviderClient,
  tokens: () => { accessToken: string; refreshToken: string | null },
): Promise<{ outcome: GrantRevocation; reason: string | null }> {
  // Credential institutions (SimpleFIN, Alpaca) have no revocation call: the person withdraws access there.
  if (!isOAuthClient(institution) || !institution.supportsRevocation) return { outcome: 'not_supported', reason: null };
  try {
    const { accessToken, refreshToken } = tokens();
    if (refreshToken !== null) await institution.revoke(refreshToken, 'refresh_token');
    else await institution.revoke(accessToken, 'access_token');
    return { outcome: 'revoked', reason: null };
  } catch (error) {
    return { outcome: 'failed', reason: error instanceof ProviderError ? error.message : (error as Error).name };
  }
}
