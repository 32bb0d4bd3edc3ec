import type { EntityManager } from 'typeorm';

import type { TokenCipher } from '@dashtam/crypto';

import { type AuditContext, writeProviderAudit } from '../audit/provider-audit.writer';
import type { TokenSet } from '../provider-client';
import type { ProviderError } from '../provider.errors';
import type { ReauthReason } from './token.errors';
import type { TokenRow } from './token-row';

/**
 * Writes a refresh's result as a compare-and-set on the version it was obtained from, plus audit
 * `token_refreshed`, through `manager` (one transaction). Returns the updated row, or null when the
 * version moved. Rotation: a returned refresh token replaces the stored one, otherwise the stored one
 * is kept. Every field is (re-)encrypted under the active key so the row's key_id stays truthful.
 * `refresh_token_expires_at` is deliberately not written: refreshing never extends that deadline.
 */
export async function persistRefreshedTokens(
  manager: EntityManager,
  cipher: TokenCipher,
  row: TokenRow,
  oldRefreshToken: string,
  tokens: TokenSet,
  context: AuditContext | undefined,
): Promise<TokenRow | null> {
  const aad = { aad: row.connectionId };
  const now = new Date();
  const refreshToken = tokens.refreshToken ?? oldRefreshToken;
  const idToken = tokens.idToken ?? (row.idTokenEncrypted === null ? null : cipher.decrypt(row.idTokenEncrypted, aad));
  const expiresAt = tokens.expiresInSeconds === null ? null : new Date(now.getTime() + tokens.expiresInSeconds * 1000);
  const encrypted = {
    access: cipher.encrypt(tokens.accessToken, aad),
    refresh: cipher.encrypt(refreshToken, aad),
    id: idToken === null ? null : cipher.encrypt(idToken, aad),
  };
  const [updated] = (await manager.query(
    `UPDATE provider_tokens
        SET access_token_encrypted = $3, refresh_token_encrypted = $4, id_token_encrypted = $5,
            token_type = $6, expires_at = $7, scope = COALESCE($8, scope), last_refreshed_at = $9,
            refresh_count = refresh_count + 1, key_id = $10, version = version + 1, updated_at = now()
      WHERE connection_id = $1 AND version = $2
      RETURNING version, refresh_count AS "refreshCount", scope`,
    [
      row.connectionId,
      row.version,
      encrypted.access,
      encrypted.refresh,
      encrypted.id,
      tokens.tokenType,
      expiresAt,
      tokens.scope,
      now,
      cipher.activeKeyId,
    ],
  )) as [Array<{ version: number; refreshCount: number; scope: string | null }>, number];
  const result = updated[0];
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
    accessTokenEncrypted: encrypted.access,
    refreshTokenEncrypted: encrypted.refresh,
    idTokenEncrypted: encrypted.id,
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
  manager: EntityManager,
  row: TokenRow,
  reason: ReauthReason,
  error: ProviderError | null,
  context: AuditContext | undefined,
): Promise<void> {
  await manager.query(
    `UPDATE provider_connections SET status = 'requires_reauth', error_message = $2, updated_at = now() WHERE id = $1`,
    [row.connectionId, REAUTH_MESSAGES[reason]],
  );
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
