// The statements the api runs for the bench's requests, word for word: the baseline must do the same
// database work, so a ratio measures what the api adds on top. Change them together with the api's.

/** What the harness sends the baseline at start (over IPC, never on the command line). */
export interface BaselineSettings {
  port: number;
  databaseUrl: string;
  poolMax: number;
  jwtSecret: string;
}

// apps/api/src/providers/providers.repository.ts
const VIEW_COLUMNS = `
  p.id, p.user_id AS "userId", p.provider_key AS "providerKey", p.alias,
  p.created_at AS "createdAt", p.updated_at AS "updatedAt",
  c.id AS "connectionId", c.status, c.connected_at AS "connectedAt", c.last_sync_at AS "lastSyncAt",
  c.next_sync_at AS "nextSyncAt", c.accounts_count AS "accountsCount", c.error_message AS "errorMessage",
  c.updated_at AS "connectionUpdatedAt"`;

/** GET /api/v1/providers with its defaults (page 1 of 50, newest first). */
export const LIST_PROVIDERS = `SELECT ${VIEW_COLUMNS}, count(*) OVER () AS "total"
         FROM providers p
         JOIN provider_connections c ON c.provider_id = p.id
        WHERE p.user_id = $1 AND p.deleted_at IS NULL
        ORDER BY p.created_at DESC, p.id DESC
        LIMIT $2 OFFSET $3`;

/** The caller's live provider (every provider route starts with it). */
export const OWNED_PROVIDER = `SELECT ${VIEW_COLUMNS}
         FROM providers p
         JOIN provider_connections c ON c.provider_id = p.id
        WHERE p.id = $1 AND p.user_id = $2 AND p.deleted_at IS NULL`;

// libs/providers/src/connections/provider-connections.repository.ts (findTokenStatus)
export const TOKEN_STATUS = `SELECT c.status, t.connection_id IS NOT NULL AS "hasTokens", t.expires_at AS "expiresAt",
              t.refresh_token_encrypted IS NOT NULL AS "hasRefreshToken", t.scope,
              t.last_refreshed_at AS "lastRefreshedAt", t.refresh_count AS "refreshCount",
              t.refresh_token_expires_at AS "refreshTokenExpiresAt"
         FROM provider_connections c
         LEFT JOIN provider_tokens t ON t.connection_id = c.id
        WHERE c.id = $1`;
