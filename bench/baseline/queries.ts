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

// apps/api/src/transactions/transaction.views.ts and transactions.repository.ts (listPage without filters:
// the first page of GET /api/v1/transactions, `limit` + 1 rows to tell whether another page follows)
const TRANSACTION_VIEW_COLUMNS = `
  t.id, t.account_id AS "accountId", t.provider_transaction_id AS "providerTransactionId",
  to_char(t.date, 'YYYY-MM-DD') AS date, to_char(t.settlement_date, 'YYYY-MM-DD') AS "settlementDate",
  t.description, t.type, t.raw_type AS "rawType", t.status, t.amount, t.currency, t.symbol, t.quantity,
  t.price, t.fees`;

export const TRANSACTIONS_FIRST_PAGE = `SELECT ${TRANSACTION_VIEW_COLUMNS}
         FROM transactions t
        WHERE t.user_id = $1
        ORDER BY t.date DESC, t.id DESC
        LIMIT $2`;

// apps/api/src/portfolio/portfolio.repository.ts
export const PORTFOLIO_SUMMARY = `
WITH acct AS MATERIALIZED (
  SELECT a.id, a.name, a.balance_as_of,
         h.holdings,
         COALESCE(a.current_balance, h.holdings) AS value,
         (SELECT s.balance FROM balance_snapshots s WHERE s.account_id = a.id
           ORDER BY s.captured_at DESC, s.id DESC LIMIT 1)
         - (SELECT s.balance FROM balance_snapshots s WHERE s.account_id = a.id
           ORDER BY s.captured_at DESC, s.id DESC OFFSET 1 LIMIT 1) AS change
    FROM accounts a
   CROSS JOIN LATERAL (
         SELECT COALESCE(sum(p.market_value), 0) AS holdings
           FROM positions p
          WHERE p.account_id = a.id AND p.is_active
         ) h
   WHERE a.user_id = $1 AND a.is_active
)
SELECT 'total' AS kind, NULL AS key, NULL AS name,
       round(COALESCE(sum(value), 0), 4) AS value,
       round(COALESCE(sum(holdings), 0), 4) AS holdings,
       round(COALESCE(sum(value - holdings), 0), 4) AS cash,
       round(sum(change), 4) AS change,
       min(balance_as_of) AS "asOf"
  FROM acct
UNION ALL
SELECT 'account', id::text, name, round(value, 4), NULL, NULL, NULL, NULL FROM acct
UNION ALL
SELECT 'asset_type', p.asset_type, NULL, round(COALESCE(sum(p.market_value), 0), 4), NULL, NULL, NULL, NULL
  FROM positions p JOIN acct ON acct.id = p.account_id
 WHERE p.is_active
 GROUP BY p.asset_type
UNION ALL
SELECT 'asset_type', 'cash', NULL, round(sum(value - holdings), 4), NULL, NULL, NULL, NULL
  FROM acct HAVING count(*) > 0
ORDER BY kind, value DESC, name, key`;
