import type { EntityManager } from 'typeorm';

import type { TokenCipherService } from '@dashtam/crypto';

import { type AuditContext, writeProviderAudit } from '../audit/provider-audit.writer';
import type { ProviderConnectionsRepository } from '../connections/provider-connections.repository';
import type { TokenSet } from '../provider-client';
import type { ProviderError } from '../provider.errors';
import type { ReauthReason } from './token.errors';
import type { TokenRow } from './token-row';
import { sealTokens } from './token-sealing';

/**
 * Writes a refresh's result as a compare-and-set on the version it was obtained from, plus audit
 * `token_refreshed`, through `manager` (one transaction). Returns the updated row, or null when the
 * version moved. Rotation: a returned refresh token replaces the stored one, otherwise the stored one
 * is kept. Every field is resealed under the active key so the row's key_id stays truthful.
 */
export async function persistRefreshedTokens(
  connections: ProviderConnectionsRepository,
  manager: EntityManager,
  cipher: TokenCipherService,
  row: TokenRow,
  oldRefreshToken: string,
  tokens: TokenSet,
  context: AuditContext | undefined,
): Promise<TokenRow | null> {
  const now = new Date();
  const idToken =
    tokens.idToken ??
    (row.idTokenEncrypted === null ? null : cipher.decrypt(row.idTokenEncrypted, { aad: row.connectionId }));
  const expiresAt = tokens.expiresInSeconds === null ? null : new Date(now.getTime() + tokens.expiresInSeconds * 1000);
  const sealed = sealTokens(cipher, row.connectionId, {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken ?? oldRefreshToken,
    idToken,
  });
  const result = await connections.storeRefreshed(manager, row, sealed, {
    tokenType: tokens.tokenType,
    expiresAt,
    scope: tokens.scope,
    refreshedAt: now,
  });
  if (!result) return null;
  const rotated = tokens.refreshToken !== null && tokens.refreshToken !== oldRefreshToken;
  await writeProviderAudit(
    manager,
    {
      action: 'token_refreshed',
      providerId: row.providerId,
      connectionId: row.connectionId,
      userId: row.userId,
      details: {
        refresh_count: result.refreshCount,
        rotated,
        expires_at: expiresAt?.toISOString() ?? null,
        refresh_token_expires_at: row.refreshTokenExpiresAt?.toISOString() ?? null,
      },
    },
    context,
  );
  return {
    ...row,
    accessTokenEncrypted: sealed.accessTokenEncrypted,
    refreshTokenEncrypted: sealed.refreshTokenEncrypted,
    idTokenEncrypted: sealed.idTokenEncrypted,
    tokenType: tokens.tokenType,
    expiresAt,
    scope: result.scope,
    lastRefreshedAt: now,
    refreshCount: result.refreshCount,
    version: result.version,
  };
}

const REAUTH_MESSAGES: Record<ReauthReason, string> = {
  refresh_refused: 'The institution refused the stored authorization; link the account again.',
  refresh_token_expired: "The institution's authorization has expired; link the account again.",
  no_refresh_token: 'The institution issued no refresh token and access has expired; link the account again.',
  requires_reauth: 'Link the account again.',
};

/**
 * Marks the connection `requires_reauth` (tokens and connection are kept: only a disconnect deletes)
 * and appends audit `token_refresh_failed`, through `manager` (one transaction).
 */
export async function markRequiresReauth(
  connections: ProviderConnectionsRepository,
  manager: EntityManager,
  row: TokenRow,
  reason: ReauthReason,
  error: ProviderError | null,
  context: AuditContext | undefined,
): Promise<void> {
  await connections.markRequiresReauth(manager, row.connectionId, REAUTH_MESSAGES[reason]);
  await writeProviderAudit(
    manager,
    {
      action: 'token_refresh_failed',
      providerId: row.providerId,
      connectionId: row.connectionId,
      userId: row.userId,
      details: {
        reason,
        classification: 'permanent',
        oauth_error: error?.oauthError ?? null,
        http_status: error?.status ?? null,
        previous_status: row.connectionStatus,
        status: 'requires_reauth',
      },
    },
    context,
  );
}
