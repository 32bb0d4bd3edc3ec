import type { ConnectionStatus } from '@dashtam/database';

/**
 * A provider_tokens row with what the token services need from its connection and provider, as
 * ProviderConnectionsRepository reads it (its envelopes are still sealed).
 */
export interface TokenRow {
  connectionId: string;
  accessTokenEncrypted: string;
  refreshTokenEncrypted: string | null;
  idTokenEncrypted: string | null;
  tokenType: string;
  expiresAt: Date | null;
  refreshTokenExpiresAt: Date | null;
  scope: string | null;
  lastRefreshedAt: Date | null;
  refreshCount: number;
  version: number;
  connectionStatus: ConnectionStatus;
  providerId: string;
  userId: string;
  providerKey: string;
  providerDeleted: boolean;
}

/** The token status the API shows (SPEC §8 `GET /providers/{id}/authorization`); no secret in it. */
export interface TokenStatus {
  connectionId: string;
  status: ConnectionStatus;
  /** The rest is null when the connection holds no tokens (never linked, or disconnected). */
  expiresAt: Date | null;
  hasRefreshToken: boolean | null;
  scope: string | null;
  lastRefreshedAt: Date | null;
  refreshCount: number | null;
  refreshTokenExpiresAt: Date | null;
}

export function tokenStatusOf(row: TokenRow): TokenStatus {
  return {
    connectionId: row.connectionId,
    status: row.connectionStatus,
    expiresAt: row.expiresAt,
    hasRefreshToken: row.refreshTokenEncrypted !== null,
    scope: row.scope,
    lastRefreshedAt: row.lastRefreshedAt,
    refreshCount: row.refreshCount,
    refreshTokenExpiresAt: row.refreshTokenExpiresAt,
  };
}

/** Statuses in which stored tokens may be used and refreshed (`error` is about syncs, not the grant). */
export function isUsableStatus(status: ConnectionStatus): boolean {
  return status === 'active' || status === 'error';
}
