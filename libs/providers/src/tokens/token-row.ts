import type { EntityManager } from 'typeorm';

import type { ConnectionStatus } from '@dashtam/database';

/** A provider_tokens row with what the token services need from its connection and provider. */
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

const SELECT_TOKEN_ROW = `
  SELECT t.connection_id AS "connectionId",
         t.access_token_encrypted AS "accessTokenEncrypted",
         t.refresh_token_encrypted AS "refreshTokenEncrypted",
         t.id_token_encrypted AS "idTokenEncrypted",
         t.token_type AS "tokenType",
         t.expires_at AS "expiresAt",
         t.refresh_token_expires_at AS "refreshTokenExpiresAt",
         t.scope,
         t.last_refreshed_at AS "lastRefreshedAt",
         t.refresh_count AS "refreshCount",
         t.version,
         c.status AS "connectionStatus",
         c.provider_id AS "providerId",
         p.user_id AS "userId",
         p.provider_key AS "providerKey",
         p.deleted_at IS NOT NULL AS "providerDeleted"
    FROM provider_tokens t
    JOIN provider_connections c ON c.id = t.connection_id
    JOIN providers p ON p.id = c.provider_id
   WHERE t.connection_id = $1`;

/**
 * Reads a connection's token row. `lock` first takes the row lock (FOR UPDATE on the token row only)
 * that makes refreshes single-flight across processes, then reads in a second statement: under READ
 * COMMITTED a statement that waited for a lock still sees the joined rows as of its own start, so
 * reading in the locking statement could miss what the previous holder committed (say, the
 * connection turning `requires_reauth`). Must run inside a transaction when locking.
 * Lock order for every writer of these tables: provider_tokens row first, then provider_connections.
 */
export async function readTokenRow(
  manager: EntityManager,
  connectionId: string,
  options: { lock: boolean },
): Promise<TokenRow | null> {
  if (options.lock) {
    const locked = (await manager.query('SELECT 1 FROM provider_tokens WHERE connection_id = $1 FOR UPDATE', [
      connectionId,
    ])) as unknown[];
    if (locked.length === 0) return null;
  }
  const rows = (await manager.query(SELECT_TOKEN_ROW, [connectionId])) as TokenRow[];
  return rows[0] ?? null;
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
