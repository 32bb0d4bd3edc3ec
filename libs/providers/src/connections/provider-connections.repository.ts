import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { type ConnectionStatus, readRows } from '@dashtam/database';

import type { SealedTokens } from '../tokens/token-sealing';
import type { TokenRow, TokenStatus } from '../tokens/token-row';

/** A connection locked for a write of its tokens or status, with its token row read under the locks. */
export interface LockedConnection {
  connectionId: string;
  status: ConnectionStatus;
  providerId: string;
  userId: string;
  providerKey: string;
  providerDeleted: boolean;
  /** Null when the connection holds no tokens (never linked, or disconnected). */
  tokens: TokenRow | null;
}

/** The plain (not secret) fields a completed authorization stores beside the sealed tokens. */
export interface AuthorizedTokenFields {
  tokenType: string;
  expiresAt: Date | null;
  refreshTokenExpiresAt: Date | null;
  scope: string | null;
  connectedAt: Date;
}

/** The plain fields a refresh writes; a null scope keeps the stored one. */
export interface RefreshedTokenFields {
  tokenType: string;
  expiresAt: Date | null;
  scope: string | null;
  refreshedAt: Date;
}

/** A token row's envelopes as the re-encryption command reads and rewrites them. */
export interface StoredEnvelopes {
  id: string;
  connectionId: string;
  version: number;
  accessTokenEncrypted: string;
  refreshTokenEncrypted: string | null;
  idTokenEncrypted: string | null;
}

/** A row resealed by the re-encryption command, with the version its envelopes were read at. */
export type ResealedRow = { id: string; version: number } & SealedTokens;

/** How long a refresh waits for the lock, and how long its transaction may sit idle (PostgreSQL ends it). */
export interface LockDeadlines {
  lockWaitMs: number;
  idleInTransactionMs: number;
}

/** A token the proactive refresh must look at. */
export interface ExpiringToken {
  connectionId: string;
  expiresAt: Date;
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

// Only what a refresh can help: a live provider, a connection whose tokens are in use ('error' means
// syncs fail, its tokens still matter) and a refresh token to send. Range on ix_provider_tokens_expires_at.
// The page cursor is the expiry as PostgreSQL's own text: a JS Date keeps milliseconds, the column
// keeps microseconds, and a cursor rounded down would match its own page again (and again).
const DUE = `
  SELECT t.connection_id AS "connectionId", t.expires_at AS "expiresAt", t.expires_at::text AS "cursor"
    FROM provider_tokens t
    JOIN provider_connections c ON c.id = t.connection_id
    JOIN providers p ON p.id = c.provider_id
   WHERE t.expires_at <= $1
     AND t.refresh_token_encrypted IS NOT NULL
     AND c.status IN ('active', 'error')
     AND p.deleted_at IS NULL`;

const FIRST_DUE_PAGE = `${DUE} ORDER BY t.expires_at, t.connection_id LIMIT $2`;
const NEXT_DUE_PAGE = `${DUE}
     AND t.expires_at >= $3::timestamptz AND (t.expires_at, t.connection_id) > ($3::timestamptz, $4::uuid)
   ORDER BY t.expires_at, t.connection_id LIMIT $2`;

/** Consecutive failed syncs after which a connection is `error` (SPEC §4). */
export const SYNC_FAILURES_BEFORE_ERROR = 3;
/** The longest a failing connection waits for its next sync. */
export const SYNC_MAX_BACKOFF_HOURS = 24;

/** The connection after a sync's result was recorded. */
export interface SyncConnectionOutcome {
  status: ConnectionStatus;
  errorCount: number;
  nextSyncAt: Date | null;
}

interface DueRow extends ExpiringToken {
  cursor: string;
}

/**
 * The one owner of `provider_connections` and `provider_tokens`: every statement on them is here, so
 * their rules are obeyed once. Token columns hold only envelopes sealed by `sealTokens`; this class
 * never sees a plaintext token. Other repositories may join these tables to read, never write them.
 *
 * Lock order, for every transaction that takes more than one of these row locks: the `providers` row,
 * then the connection's `provider_tokens` row (the refresh lock), then its `provider_connections` row.
 * Refreshes hold the token row across the institution call; everything that also changes the
 * connection takes the token row first (`lockForWrite`), so no two writers wait on each other in a cycle.
 *
 * Connection status changes, all here:
 * - `pending`: `createPending` (a new provider, never linked);
 * - `active` from the start: `createImported` (a provider of imported files, which has no tokens);
 * - `active`: `storeAuthorized` (first link or reconnect, from any status);
 * - `requires_reauth`: `markRequiresReauth` (the institution refused the grant; tokens are kept);
 * - `disconnected`: `disconnect` (tokens deleted, the connection stays);
 * - `error`: `markUnreadable` (stored tokens fail authentication) and `recordSyncFailed` (the third
 *   sync failure in a row); `recordSyncSucceeded` makes it `active` again.
 */
@Injectable()
export class ProviderConnectionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The `pending` connection of a provider just inserted in the same transaction; returns its id. */
  async createPending(manager: EntityManager, providerId: string): Promise<string> {
    const [connection] = (await manager.query(
      `INSERT INTO provider_connections (provider_id, status) VALUES ($1, 'pending') RETURNING id`,
      [providerId],
    )) as Array<{ id: string }>;
    return connection.id;
  }

  /**
   * The connection of a provider an import just created: `active` from the start, with no tokens and
   * no next sync — files are its only source, so the scheduler and the refresh sweep never pick it.
   */
  async createImported(manager: EntityManager, providerId: string): Promise<string> {
    const [connection] = (await manager.query(
      `INSERT INTO provider_connections (provider_id, status, connected_at) VALUES ($1, 'active', now()) RETURNING id`,
      [providerId],
    )) as Array<{ id: string }>;
    return connection.id;
  }

  /** After an import wrote the connection's accounts: when, and how many are active. */
  async recordImport(manager: EntityManager, connectionId: string, accountsCount: number): Promise<void> {
    await manager.query(
      `UPDATE provider_connections SET last_sync_at = now(), accounts_count = $2, updated_at = now() WHERE id = $1`,
      [connectionId, accountsCount],
    );
  }

  /** Sets the connection's user-facing error message (or clears it with null); the status stays. */
  async setErrorMessage(manager: EntityManager, connectionId: string, message: string | null): Promise<void> {
    await manager.query(`UPDATE provider_connections SET error_message = $2, updated_at = now() WHERE id = $1`, [
      connectionId,
      message,
    ]);
  }

  /**
   * Takes the token row lock (when the connection has tokens), then the connection row lock, then reads
   * the token row: what a writer of both tables must hold. Null when the connection does not exist.
   * Must run inside a transaction.
   */
  async lockForWrite(manager: EntityManager, connectionId: string): Promise<LockedConnection | null> {
    const tokenLocked = (await manager.query('SELECT 1 FROM provider_tokens WHERE connection_id = $1 FOR UPDATE', [
      connectionId,
    ])) as unknown[];
    const [connection] = (await manager.query(
      `SELECT c.status, c.provider_id AS "providerId", p.user_id AS "userId", p.provider_key AS "providerKey",
              p.deleted_at IS NOT NULL AS "providerDeleted"
         FROM provider_connections c
         JOIN providers p ON p.id = c.provider_id
        WHERE c.id = $1
          FOR UPDATE OF c`,
      [connectionId],
    )) as Array<Omit<LockedConnection, 'connectionId' | 'tokens'>>;
    if (!connection) return null;
    const tokens = tokenLocked.length > 0 ? await this.readTokenRow(manager, connectionId) : null;
    return { connectionId, ...connection, tokens };
  }

  /** The connection's token row with its connection and provider facts, or null without tokens. */
  findTokenRow(connectionId: string): Promise<TokenRow | null> {
    return this.readTokenRow(this.dataSource.manager, connectionId);
  }

  /**
   * Takes the refresh lock (FOR UPDATE on the token row only) that makes refreshes single-flight across
   * processes, then reads in a second statement: under READ COMMITTED a statement that waited for a
   * lock still sees the joined rows as of its own start, so reading in the locking statement could
   * miss what the previous holder committed (say, the connection turning `requires_reauth`). Null
   * without tokens. Must run inside a transaction.
   */
  async lockTokenRow(
    manager: EntityManager,
    connectionId: string,
    deadlines?: LockDeadlines,
  ): Promise<TokenRow | null> {
    // With deadlines they are set (for this transaction) by the same statement, one round trip fewer:
    // the materialised CTE runs before any row reaches the lock, so the wait is already bounded.
    const locked = (await (deadlines
      ? manager.query(
          `WITH deadlines AS MATERIALIZED (
             SELECT set_config('lock_timeout', $2, true), set_config('idle_in_transaction_session_timeout', $3, true)
           )
           SELECT 1 FROM deadlines, provider_tokens t WHERE t.connection_id = $1 FOR UPDATE OF t`,
          [connectionId, `${deadlines.lockWaitMs}ms`, `${deadlines.idleInTransactionMs}ms`],
        )
      : manager.query('SELECT 1 FROM provider_tokens WHERE connection_id = $1 FOR UPDATE', [
          connectionId,
        ]))) as unknown[];
    if (locked.length === 0) return null;
    return this.readTokenRow(manager, connectionId);
  }

  /** The connection's token status (no secret in it); null when the connection does not exist. */
  async findTokenStatus(connectionId: string): Promise<TokenStatus | null> {
    // GET …/authorization reads it on every call: straight to the pool.
    const rows = await readRows<Omit<TokenStatus, 'connectionId'> & { hasTokens: boolean }>(
      this.dataSource,
      `SELECT c.status, t.connection_id IS NOT NULL AS "hasTokens", t.expires_at AS "expiresAt",
              t.refresh_token_encrypted IS NOT NULL AS "hasRefreshToken", t.scope,
              t.last_refreshed_at AS "lastRefreshedAt", t.refresh_count AS "refreshCount",
              t.refresh_token_expires_at AS "refreshTokenExpiresAt"
         FROM provider_connections c
         LEFT JOIN provider_tokens t ON t.connection_id = c.id
        WHERE c.id = $1`,
      [connectionId],
    );
    const row = rows[0];
    if (!row) return null;
    const { hasTokens, ...status } = row;
    return hasTokens
      ? { connectionId, ...status }
      : {
          connectionId,
          status: row.status,
          expiresAt: null,
          hasRefreshToken: null,
          scope: null,
          lastRefreshedAt: null,
          refreshCount: null,
          refreshTokenExpiresAt: null,
        };
  }

  /**
   * Stores a completed authorization and makes the connection `active`. A reconnect replaces the row
   * in place and bumps its version, so an older in-flight refresh cannot overwrite it; its counters
   * start again. Call under `lockForWrite`.
   */
  async storeAuthorized(
    manager: EntityManager,
    connectionId: string,
    sealed: SealedTokens,
    fields: AuthorizedTokenFields,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO provider_tokens (connection_id, access_token_encrypted, refresh_token_encrypted,
                                    id_token_encrypted, token_type, expires_at, refresh_token_expires_at,
                                    scope, last_refreshed_at, refresh_count, key_id, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, 0, $9, 1)
       ON CONFLICT (connection_id) DO UPDATE SET
         access_token_encrypted = EXCLUDED.access_token_encrypted,
         refresh_token_encrypted = EXCLUDED.refresh_token_encrypted,
         id_token_encrypted = EXCLUDED.id_token_encrypted,
         token_type = EXCLUDED.token_type,
         expires_at = EXCLUDED.expires_at,
         refresh_token_expires_at = EXCLUDED.refresh_token_expires_at,
         scope = EXCLUDED.scope,
         last_refreshed_at = NULL,
         refresh_count = 0,
         key_id = EXCLUDED.key_id,
         version = provider_tokens.version + 1,
         updated_at = now()`,
      [
        connectionId,
        sealed.accessTokenEncrypted,
        sealed.refreshTokenEncrypted,
        sealed.idTokenEncrypted,
        fields.tokenType,
        fields.expiresAt,
        fields.refreshTokenExpiresAt,
        fields.scope,
        sealed.keyId,
      ],
    );
    await manager.query(
      `UPDATE provider_connections
          SET status = 'active', connected_at = $2, error_count = 0, error_message = NULL, updated_at = now()
        WHERE id = $1`,
      [connectionId, fields.connectedAt],
    );
  }

  /**
   * Writes a refresh's result as a compare-and-set on the version it was obtained from, and its audit
   * row in the same statement (one round trip; `audit` builds the INSERT over the CTE `stored`, so the
   * row is written only when the compare-and-set matched). Returns the new version, counter and scope,
   * or null when the version moved. `refresh_token_expires_at` is deliberately not written: refreshing
   * never extends that deadline.
   */
  async storeRefreshed(
    manager: EntityManager,
    observed: { connectionId: string; version: number },
    sealed: SealedTokens,
    fields: RefreshedTokenFields,
    audit: (source: string, firstParam: number) => { sql: string; params: unknown[] },
  ): Promise<{ version: number; refreshCount: number; scope: string | null } | null> {
    const audited = audit('stored', 11);
    const rows = (await manager.query(
      `WITH stored AS (
         UPDATE provider_tokens
            SET access_token_encrypted = $3, refresh_token_encrypted = $4, id_token_encrypted = $5,
                token_type = $6, expires_at = $7, scope = COALESCE($8, scope), last_refreshed_at = $9,
                refresh_count = refresh_count + 1, key_id = $10, version = version + 1, updated_at = now()
          WHERE connection_id = $1 AND version = $2
          RETURNING version, refresh_count AS "refreshCount", scope
       ), audited AS (${audited.sql})
       SELECT version, "refreshCount", scope FROM stored`,
      [
        observed.connectionId,
        observed.version,
        sealed.accessTokenEncrypted,
        sealed.refreshTokenEncrypted,
        sealed.idTokenEncrypted,
        fields.tokenType,
        fields.expiresAt,
        fields.scope,
        fields.refreshedAt,
        sealed.keyId,
        ...audited.params,
      ],
    )) as Array<{ version: number; refreshCount: number; scope: string | null }>;
    return rows[0] ?? null;
  }

  /** `requires_reauth` with a message saying why; tokens and connection are kept (only a disconnect deletes). */
  async markRequiresReauth(manager: EntityManager, connectionId: string, message: string): Promise<void> {
    await manager.query(
      `UPDATE provider_connections SET status = 'requires_reauth', error_message = $2, updated_at = now() WHERE id = $1`,
      [connectionId, message],
    );
  }

  /** `error`: the stored tokens cannot be read. Returns false when it already was (nothing to audit again). */
  async markUnreadable(manager: EntityManager, connectionId: string, message: string): Promise<boolean> {
    const changed = (await manager.query(
      `UPDATE provider_connections SET status = 'error', error_message = $2, updated_at = now()
        WHERE id = $1 AND status <> 'error'
        RETURNING id`,
      [connectionId, message],
    )) as [unknown[], number];
    return changed[0].length > 0;
  }

  /** Deletes the tokens and makes the connection `disconnected`; the provider stays. Call under `lockForWrite`. */
  async disconnect(manager: EntityManager, connectionId: string): Promise<void> {
    await manager.query(`DELETE FROM provider_tokens WHERE connection_id = $1`, [connectionId]);
    await manager.query(
      `UPDATE provider_connections
          SET status = 'disconnected', connected_at = NULL, next_sync_at = NULL, error_count = 0,
              error_message = NULL, updated_at = now()
        WHERE id = $1`,
      [connectionId],
    );
  }

  /**
   * Tokens expiring at or before `horizon` (expired ones included), soonest first, that a refresh can
   * help. Keyset pages on (expires_at, connection_id): no OFFSET rescans, and a row refreshed meanwhile
   * moves past the horizon instead of shifting the pages.
   */
  async *expiringTokenBatches(horizon: Date, batchSize: number): AsyncGenerator<ExpiringToken[]> {
    let last: DueRow | undefined;
    for (;;) {
      const rows = (await (last
        ? this.dataSource.query(NEXT_DUE_PAGE, [horizon, batchSize, last.cursor, last.connectionId])
        : this.dataSource.query(FIRST_DUE_PAGE, [horizon, batchSize]))) as DueRow[];
      if (rows.length > 0) yield rows;
      if (rows.length < batchSize) return;
      last = rows[rows.length - 1];
    }
  }

  /** Every token row's envelopes, in pages of `batchSize` by id (the boot check's integrity scan). */
  async *storedEnvelopeBatches(batchSize: number): AsyncGenerator<StoredEnvelopes[]> {
    let afterId: string | null = null;
    for (;;) {
      const rows = (await this.dataSource.query(
        `SELECT id, connection_id AS "connectionId", version, access_token_encrypted AS "accessTokenEncrypted",
                refresh_token_encrypted AS "refreshTokenEncrypted", id_token_encrypted AS "idTokenEncrypted"
           FROM provider_tokens
          WHERE $1::uuid IS NULL OR id > $1::uuid
          ORDER BY id
          LIMIT $2`,
        [afterId, batchSize],
      )) as StoredEnvelopes[];
      if (rows.length === 0) return;
      yield rows;
      afterId = rows[rows.length - 1].id;
    }
  }

  /** Every key id named by a stored token row, sorted. */
  async keyIdsInUse(): Promise<string[]> {
    const rows = (await this.dataSource.query('SELECT DISTINCT key_id FROM provider_tokens ORDER BY key_id')) as Array<{
      key_id: string;
    }>;
    return rows.map((row) => row.key_id);
  }

  /** How many token rows are sealed under a key other than `keyId`. */
  async countSealedUnderOtherKeys(keyId: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [{ n }] = (await manager.query('SELECT count(*)::int AS n FROM provider_tokens WHERE key_id <> $1', [
      keyId,
    ])) as Array<{ n: number }>;
    return n;
  }

  /** Up to `limit` rows sealed under a key other than `keyId`, in id order after `afterId`, skipping `skipIds`. */
  async findSealedUnderOtherKeys(
    keyId: string,
    page: { afterId: string | null; skipIds: string[]; limit: number },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<StoredEnvelopes[]> {
    return (await manager.query(
      `SELECT id, connection_id AS "connectionId", version, access_token_encrypted AS "accessTokenEncrypted",
              refresh_token_encrypted AS "refreshTokenEncrypted", id_token_encrypted AS "idTokenEncrypted"
         FROM provider_tokens
        WHERE key_id <> $1 AND ($2::uuid IS NULL OR id > $2::uuid) AND NOT (id = ANY($3::uuid[]))
        ORDER BY id
        LIMIT $4`,
      [keyId, page.afterId, page.skipIds, page.limit],
    )) as StoredEnvelopes[];
  }

  /**
   * Replaces the envelopes of resealed rows in one statement (the batch commits or rolls back as a
   * whole), each a compare-and-set on the version read. The version is not bumped: the tokens did not
   * change, and a refresh that read the row before must still be able to store its result. Returns
   * how many rows were written.
   */
  async rewriteEnvelopes(rows: ResealedRow[], manager: EntityManager = this.dataSource.manager): Promise<number> {
    if (rows.length === 0) return 0;
    const [, affected] = (await manager.query(
      `UPDATE provider_tokens AS t
          SET access_token_encrypted = u.access, refresh_token_encrypted = u.refresh,
              id_token_encrypted = u.id_token, key_id = u.key_id, updated_at = now()
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[])
              AS u(id, version, access, refresh, id_token, key_id)
        WHERE t.id = u.id AND t.version = u.version`,
      [
        rows.map((row) => row.id),
        rows.map((row) => row.version),
        rows.map((row) => row.accessTokenEncrypted),
        rows.map((row) => row.refreshTokenEncrypted),
        rows.map((row) => row.idTokenEncrypted),
        rows.map((row) => row.keyId),
      ],
    )) as [unknown[], number];
    return affected;
  }

  // ── Syncs: the sync engine's writes of the connection (apps/api/src/syncs) ──────────────────────
  //
  // Lock order of a sync's transactions: this connection row first (lockForSyncWrite, or the UPDATE of
  // recordSync*), then its `syncs` row, then the financial rows. Deleting a provider takes the connection
  // row (disconnect) before it deletes the syncs and accounts, so the two never wait on each other in a
  // cycle, and a sync's batch that waited for a deletion finds its sync gone and stops.

  /**
   * Takes the connection row FOR KEY SHARE (what the accounts' foreign key takes anyway, taken first):
   * a sync's batch then waits for a concurrent disconnect or delete instead of deadlocking with it.
   * Returns the status, or null when the connection does not exist. Must run inside a transaction.
   */
  async lockForSyncWrite(manager: EntityManager, connectionId: string): Promise<ConnectionStatus | null> {
    const rows = (await manager.query('SELECT status FROM provider_connections WHERE id = $1 FOR KEY SHARE', [
      connectionId,
    ])) as Array<{ status: ConnectionStatus }>;
    return rows[0]?.status ?? null;
  }

  /**
   * A successful sync: when it finished, the next one a frequency later, the active accounts counted,
   * and the failure streak cleared — an `error` connection is `active` again. A connection that was
   * disconnected meanwhile keeps its status and gets no next sync.
   */
  async recordSyncSucceeded(
    manager: EntityManager,
    connectionId: string,
    accountsCount: number,
  ): Promise<SyncConnectionOutcome | null> {
    const [rows] = (await manager.query(
      `UPDATE provider_connections
          SET last_sync_at = now(),
              next_sync_at = CASE WHEN status IN ('active', 'error')
                                  THEN now() + make_interval(mins => sync_frequency_minutes)
                                  ELSE next_sync_at END,
              status = CASE WHEN status = 'error' THEN 'active' ELSE status END,
              error_count = 0, error_message = NULL, accounts_count = $2, updated_at = now()
        WHERE id = $1
        RETURNING status, error_count AS "errorCount", next_sync_at AS "nextSyncAt"`,
      [connectionId, accountsCount],
    )) as [SyncConnectionOutcome[], number];
    return rows[0] ?? null;
  }

  /**
   * A failed sync: one more in the streak, the readable `message`, and the next try backed off
   * (frequency × 2^failures, at most 24 h, never sooner than `notBeforeSeconds` — an institution's
   * Retry-After). The third failure in a row makes an `active` connection `error`.
   */
  async recordSyncFailed(
    manager: EntityManager,
    connectionId: string,
    failure: { message: string; notBeforeSeconds: number },
  ): Promise<SyncConnectionOutcome | null> {
    const [rows] = (await manager.query(
      `UPDATE provider_connections
          SET error_count = error_count + 1,
              error_message = $2,
              status = CASE WHEN status = 'active' AND error_count + 1 >= ${SYNC_FAILURES_BEFORE_ERROR}
                            THEN 'error' ELSE status END,
              next_sync_at = CASE WHEN status IN ('active', 'error') THEN GREATEST(
                  now() + LEAST(
                    make_interval(mins => sync_frequency_minutes) * power(2, LEAST(error_count + 1, 20)),
                    interval '${SYNC_MAX_BACKOFF_HOURS} hours'),
                  now() + make_interval(secs => $3))
                ELSE next_sync_at END,
              updated_at = now()
        WHERE id = $1
        RETURNING status, error_count AS "errorCount", next_sync_at AS "nextSyncAt"`,
      [connectionId, failure.message, failure.notBeforeSeconds],
    )) as [SyncConnectionOutcome[], number];
    return rows[0] ?? null;
  }

  // ── End of the sync engine's block ─────────────────────────────────────────────────────────────

  private async readTokenRow(manager: EntityManager, connectionId: string): Promise<TokenRow | null> {
    const rows = (await manager.query(SELECT_TOKEN_ROW, [connectionId])) as TokenRow[];
    return rows[0] ?? null;
  }
}
