import type { EntityManager } from 'typeorm';

import type { TokenCipherService } from '@dashtam/crypto';

import { type AuditContext, providerAuditFrom, writeProviderAudit } from '../audit/provider-audit.writer';
import type {
  ProviderConnectionsRepository,
  RefreshedTokenFields,
} from '../connections/provider-connections.repository';
import type { TokenSet } from '../provider-client';
import type { ProviderError } from '../provider.errors';
import type { ReauthReason } from './token.errors';
import type { TokenRow } from './token-row';
import { type SealedTokens, sealTokens } from './token-sealing';

/**
 * What a refresh the institution answered must write: the new tokens sealed for the row (a missing
 * refresh or id token keeps the stored one), the plain fields, and what binds the set to the row it
 * was refreshed from. Computed once, when the answer arrives, so the same envelopes can wait in the
 * pending slot and be written later unchanged. Every field is sealed under the active key so the
 * row's key_id stays truthful.
 */
export interface RefreshResult {
  connectionId: string;
  /** The token row version the refresh was made from; the write is a compare-and-set on it. */
  fromVersion: number;
  /** The stored refresh token that was sent, as it was sealed then: the set belongs only to a row that still holds it. */
  fromRefreshTokenEncrypted: string;
  sealed: SealedTokens;
  fields: RefreshedTokenFields;
  rotated: boolean;
}

export function sealRefreshResult(
  cipher: TokenCipherService,
  row: TokenRow,
  oldRefreshToken: string,
  tokens: TokenSet,
  now = new Date(),
): RefreshResult {
  const idToken =
    tokens.idToken ??
    (row.idTokenEncrypted === null ? null : cipher.decrypt(row.idTokenEncrypted, { aad: row.connectionId }));
  return {
    connectionId: row.connectionId,
    fromVersion: row.version,
    fromRefreshTokenEncrypted: row.refreshTokenEncrypted!,
    sealed: sealTokens(cipher, row.connectionId, {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken ?? oldRefreshToken,
      idToken,
    }),
    fields: {
      tokenType: tokens.tokenType,
      expiresAt: tokens.expiresInSeconds === null ? null : new Date(now.getTime() + tokens.expiresInSeconds * 1000),
      scope: tokens.scope,
      refreshedAt: now,
    },
    rotated: tokens.refreshToken !== null && tokens.refreshToken !== oldRefreshToken,
  };
}

/**
 * Writes a refresh's result as a compare-and-set on the version it was obtained from, plus audit
 * `token_refreshed`, through `manager`: one statement (one round trip) in the caller's transaction.
 * `row` is the token row as read now (under the refresh lock): its connection facts go into the audit row. Returns the updated row, or null when
 * the version moved. `deferred` marks a result stored after the request that obtained it gave up.
 */
export async function storeRefreshResult(
  connections: ProviderConnectionsRepository,
  manager: EntityManager,
  row: TokenRow,
  result: RefreshResult,
  context: AuditContext | undefined,
  deferred = false,
): Promise<TokenRow | null> {
  const expiresAt = result.fields.expiresAt;
  const stored = await connections.storeRefreshed(
    manager,
    { connectionId: result.connectionId, version: result.fromVersion },
    result.sealed,
    result.fields,
    (source, firstParam) =>
      providerAuditFrom(
        source,
        {
          action: 'token_refreshed',
          providerId: row.providerId,
          connectionId: row.connectionId,
          userId: row.userId,
          details: {
            rotated: result.rotated,
            expires_at: expiresAt?.toISOString() ?? null,
            refresh_token_expires_at: row.refreshTokenExpiresAt?.toISOString() ?? null,
            ...(deferred ? { deferred: true } : {}),
          },
        },
        // The counter is the one the write itself produced.
        { refresh_count: 'refreshCount' },
        firstParam,
        context,
      ),
  );
  if (!stored) return null;
  return {
    ...row,
    accessTokenEncrypted: result.sealed.accessTokenEncrypted,
    refreshTokenEncrypted: result.sealed.refreshTokenEncrypted,
    idTokenEncrypted: result.sealed.idTokenEncrypted,
    tokenType: result.fields.tokenType,
    expiresAt,
    scope: stored.scope,
    lastRefreshedAt: result.fields.refreshedAt,
    refreshCount: stored.refreshCount,
    version: stored.version,
  };
}

const REAUTH_MESSAGES: Record<ReauthReason, string> = {
  refresh_refused: 'The institution refused the stored authorization; link the account again.',
  refresh_token_expired: "The institution's authorization has expired; link the account again.",
  no_refresh_token: 'The institution issued no refresh token and access has expired; link the account again.',
  requires_reauth: 'Link the account again.',
  credential_refused: 'The institution no longer accepts the stored credentials; link the account again.',
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
