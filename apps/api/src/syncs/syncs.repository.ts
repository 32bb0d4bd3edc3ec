import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import type { SyncStatus, SyncTrigger } from '@dashtam/database';
import { PROVIDER_CATALOG, PROVIDER_KEYS } from '@dashtam/providers';

import type { ClaimedSync, SyncCounts, SyncView } from './sync.types';

const VIEW_COLUMNS = `
  s.id, s.connection_id AS "connectionId", s.user_id AS "userId", s.status, s.trigger,
  s.created_at AS "createdAt", s.started_at AS "startedAt", s.finished_at AS "finishedAt", s.error, s.warnings,
  s.accounts_created AS "ac", s.accounts_updated AS "au", s.accounts_unchanged AS "an",
  s.positions_created AS "pc", s.positions_updated AS "pu", s.positions_unchanged AS "pn",
  s.transactions_created AS "tc", s.transactions_updated AS "tu", s.transactions_unchanged AS "tn"`;

interface ViewRow extends Omit<SyncView, 'counts'> {
  ac: number;
  au: number;
  an: number;
  pc: number;
  pu: number;
  pn: number;
  tc: number;
  tu: number;
  tn: number;
}

function toView(row: ViewRow): SyncView {
  const { ac, au, an, pc, pu, pn, tc, tu, tn, ...rest } = row;
  return {
    ...rest,
    counts: {
      accounts: { created: ac, updated: au, unchanged: an },
      positions: { created: pc, updated: pu, unchanged: pn },
      transactions: { created: tc, updated: tu, unchanged: tn },
    },
  };
}

/** A sync found by its Idempotency-Key, with the hash of the request that created it. */
export interface KeyedSync {
  sync: SyncView;
  requestHash: string | null;
}

export interface NewSync {
  connectionId: string;
  userId: string | null;
  trigger: SyncTrigger;
  idempotency?: { key: string; requestHash: string; ttlSeconds: number };
}

/** A queued or running sync whose last sign of life is older than the stale timeout. */
export interface StaleSync {
  id: string;
  status: SyncStatus;
  /** updated_at in epoch milliseconds: the same stale sync gets the same re-dispatch job id everywhere. */
  generation: string;
}

export interface SyncResult {
  status: Extract<SyncStatus, 'succeeded' | 'failed'>;
  counts: SyncCounts;
  error: string | null;
  warnings: string[];
}

/**
 * The one owner of `syncs` statements. "At most one queued or running sync per connection" is the
 * partial unique index uq_syncs_connection_in_flight; inserts that would break it insert nothing
 * (ON CONFLICT DO NOTHING), so every caller — API, linking, scheduler, on any instance — can race.
 */
@Injectable()
export class SyncsRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ── The API's syncs ─────────────────────────────────────────────────────────────────────────────

  /** The caller's sync created under `key`, while the key is alive (24 h), or null. */
  async findByIdempotencyKey(userId: string, key: string): Promise<KeyedSync | null> {
    const rows = (await this.dataSource.query(
      `SELECT ${VIEW_COLUMNS}, s.request_hash AS "requestHash"
         FROM syncs s
        WHERE s.user_id = $1 AND s.idempotency_key = $2 AND s.idempotency_expires_at > now()`,
      [userId, key],
    )) as Array<ViewRow & { requestHash: string | null }>;
    if (!rows[0]) return null;
    const { requestHash, ...view } = rows[0];
    return { sync: toView(view), requestHash };
  }

  /** Frees an expired key of the caller, so the unique index lets it name a new sync. */
  async releaseExpiredKey(userId: string, key: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE syncs SET idempotency_key = NULL, request_hash = NULL, idempotency_expires_at = NULL, updated_at = now()
        WHERE user_id = $1 AND idempotency_key = $2 AND idempotency_expires_at <= now()`,
      [userId, key],
    );
  }

  /**
   * Records `key` on a sync the caller's request was answered with (one already in flight), so a retry
   * with the key gets it again. False when the sync has a key already, or the key is taken meanwhile.
   */
  async attachIdempotencyKey(
    syncId: string,
    userId: string,
    idempotency: { key: string; requestHash: string; ttlSeconds: number },
  ): Promise<boolean> {
    try {
      const [rows] = (await this.dataSource.query(
        `UPDATE syncs
            SET idempotency_key = $3, request_hash = $4,
                idempotency_expires_at = now() + make_interval(secs => $5),
                user_id = COALESCE(user_id, $2), updated_at = now()
          WHERE id = $1 AND idempotency_key IS NULL AND (user_id IS NULL OR user_id = $2)
          RETURNING id`,
        [syncId, userId, idempotency.key, idempotency.requestHash, idempotency.ttlSeconds],
      )) as [unknown[], number];
      return rows.length > 0;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /**
   * A new queued sync, or null when the connection already has one queued or running (or, for a
   * keyed request, the key was taken by a concurrent request).
   */
  async insertQueued(input: NewSync, manager: EntityManager = this.dataSource.manager): Promise<SyncView | null> {
    const rows = (await manager.query(
      `INSERT INTO syncs AS s (connection_id, user_id, trigger, status, idempotency_key, request_hash, idempotency_expires_at)
       VALUES ($1, $2, $3, 'queued', $4, $5, now() + make_interval(secs => $6::int))
       ON CONFLICT DO NOTHING
       RETURNING ${VIEW_COLUMNS}`,
      [
        input.connectionId,
        input.userId,
        input.trigger,
        input.idempotency?.key ?? null,
        input.idempotency?.requestHash ?? null,
        // No key, no expiry: make_interval(NULL) is NULL.
        input.idempotency?.ttlSeconds ?? null,
      ],
    )) as ViewRow[];
    return rows[0] ? toView(rows[0]) : null;
  }

  /** The connection's queued or running sync, or null. */
  async findInFlight(connectionId: string): Promise<SyncView | null> {
    const rows = (await this.dataSource.query(
      `SELECT ${VIEW_COLUMNS} FROM syncs s WHERE s.connection_id = $1 AND s.status IN ('queued', 'running')`,
      [connectionId],
    )) as ViewRow[];
    return rows[0] ? toView(rows[0]) : null;
  }

  async findOfConnection(connectionId: string, syncId: string): Promise<SyncView | null> {
    const rows = (await this.dataSource.query(
      `SELECT ${VIEW_COLUMNS} FROM syncs s WHERE s.id = $1 AND s.connection_id = $2`,
      [syncId, connectionId],
    )) as ViewRow[];
    return rows[0] ? toView(rows[0]) : null;
  }

  /** One page of the connection's syncs, newest first, with the total. */
  async listOfConnection(
    connectionId: string,
    page: { limit: number; offset: number },
  ): Promise<{ items: SyncView[]; total: number }> {
    const rows = (await this.dataSource.query(
      `SELECT ${VIEW_COLUMNS}, count(*) OVER () AS "total"
         FROM syncs s
        WHERE s.connection_id = $1
        ORDER BY s.created_at DESC, s.id DESC
        LIMIT $2 OFFSET $3`,
      [connectionId, page.limit, page.offset],
    )) as Array<ViewRow & { total: string }>;
    if (rows.length > 0) {
      return { items: rows.map(({ total: _total, ...row }) => toView(row)), total: Number(rows[0].total) };
    }
    const [{ total }] = (await this.dataSource.query('SELECT count(*) AS total FROM syncs WHERE connection_id = $1', [
      connectionId,
    ])) as Array<{ total: string }>;
    return { items: [], total: Number(total) };
  }

  // ── The engine's syncs ──────────────────────────────────────────────────────────────────────────

  /**
   * Claims a sync to run: a queued one, or a running one whose runner is gone (`takeover`: the job
   * engine says so; otherwise its heartbeat must be older than `staleSeconds`). Null when the sync is
   * gone, finished, or alive elsewhere. Must run inside a transaction (the row is locked first).
   */
  async claim(
    manager: EntityManager,
    syncId: string,
    options: { takeover: boolean; staleSeconds: number },
  ): Promise<ClaimedSync | null> {
    const [current] = (await manager.query(
      `SELECT status, updated_at < clock_timestamp() - make_interval(secs => $2) AS stale
         FROM syncs WHERE id = $1 FOR UPDATE`,
      [syncId, options.staleSeconds],
    )) as Array<{ status: SyncStatus; stale: boolean }>;
    if (!current) return null;
    const claimable =
      current.status === 'queued' || (current.status === 'running' && (options.takeover || current.stale));
    if (!claimable) return null;
    const [claimed] = (await manager.query(
      `UPDATE syncs s
          SET status = 'running', started_at = clock_timestamp(), updated_at = clock_timestamp(), error = NULL
         FROM provider_connections c
         JOIN providers p ON p.id = c.provider_id
        WHERE s.id = $1 AND c.id = s.connection_id
        RETURNING s.id, s.connection_id AS "connectionId", s.trigger, s.started_at::text AS lease,
                  s.started_at AS "startedAt", c.provider_id AS "providerId", p.user_id AS "userId",
                  p.provider_key AS "providerKey", c.status AS "connectionStatus",
                  p.deleted_at IS NOT NULL AS "providerDeleted"`,
      [syncId],
    )) as [Array<Omit<ClaimedSync, 'resumed'>>, number];
    const row = claimed[0];
    return row ? { ...row, resumed: current.status === 'running' } : null;
  }

  /** The runner is alive. False when the sync is no longer this runner's (taken over, finished, deleted). */
  async heartbeat(syncId: string, lease: string): Promise<boolean> {
    const [rows] = (await this.dataSource.query(
      `UPDATE syncs SET updated_at = clock_timestamp()
        WHERE id = $1 AND status = 'running' AND started_at = $2::timestamptz
        RETURNING id`,
      [syncId, lease],
    )) as [unknown[], number];
    return rows.length > 0;
  }

  /** Hands a running sync back to the queue (this runner stops; another resumes it). */
  async release(syncId: string, lease: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE syncs SET status = 'queued', updated_at = clock_timestamp()
        WHERE id = $1 AND status = 'running' AND started_at = $2::timestamptz`,
      [syncId, lease],
    );
  }

  /**
   * Inside a batch's transaction: holds the sync row (FOR SHARE) while the batch writes, so a provider
   * deletion waits for the batch and the batch after it finds the sync gone. False when the sync is no
   * longer this runner's.
   */
  async holdLease(manager: EntityManager, syncId: string, lease: string): Promise<boolean> {
    const rows = (await manager.query(
      `SELECT 1 FROM syncs WHERE id = $1 AND status = 'running' AND started_at = $2::timestamptz FOR SHARE`,
      [syncId, lease],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Writes the sync's outcome, if it is still this runner's. */
  async finish(manager: EntityManager, syncId: string, lease: string, result: SyncResult): Promise<boolean> {
    const { accounts: a, positions: p, transactions: t } = result.counts;
    const [rows] = (await manager.query(
      `UPDATE syncs
          SET status = $3, error = $4, warnings = $5::jsonb, finished_at = clock_timestamp(), updated_at = clock_timestamp(),
              accounts_created = $6, accounts_updated = $7, accounts_unchanged = $8,
              positions_created = $9, positions_updated = $10, positions_unchanged = $11,
              transactions_created = $12, transactions_updated = $13, transactions_unchanged = $14
        WHERE id = $1 AND status = 'running' AND started_at = $2::timestamptz
        RETURNING id`,
      [
        syncId,
        lease,
        result.status,
        result.error,
        JSON.stringify(result.warnings),
        a.created,
        a.updated,
        a.unchanged,
        p.created,
        p.updated,
        p.unchanged,
        t.created,
        t.updated,
        t.unchanged,
      ],
    )) as [unknown[], number];
    return rows.length > 0;
  }

  /** A sync of a provider deleted before it ran: nothing to keep. */
  async delete(manager: EntityManager, syncId: string): Promise<void> {
    await manager.query('DELETE FROM syncs WHERE id = $1', [syncId]);
  }

  /** A deleted provider's syncs go with its financial data (the audit trail stays). */
  async deleteOfConnection(manager: EntityManager, connectionId: string): Promise<void> {
    await manager.query('DELETE FROM syncs WHERE connection_id = $1', [connectionId]);
  }

  /**
   * Queues a scheduled sync for up to `limit` connections that are due — live, not fed by file
   * imports (they are `active` with nothing to fetch), `active` or `error`
   * (which keeps trying, backed off), `next_sync_at` passed or never set — and have none in flight.
   * Returns the new syncs' ids; concurrent scans on other instances cannot queue a second one.
   */
  async queueDue(limit: number, excludedConnectionIds: readonly string[] = []): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `INSERT INTO syncs (connection_id, trigger, status)
       SELECT c.id, 'scheduled', 'queued'
         FROM provider_connections c
         JOIN providers p ON p.id = c.provider_id
        WHERE c.status IN ('active', 'error')
          AND (c.next_sync_at IS NULL OR c.next_sync_at <= now())
          AND p.deleted_at IS NULL
          AND c.id <> ALL($2::uuid[])
          AND p.provider_key <> ALL($3::text[])
          AND NOT EXISTS (SELECT 1 FROM syncs s WHERE s.connection_id = c.id AND s.status IN ('queued', 'running'))
        ORDER BY c.next_sync_at NULLS FIRST
        LIMIT $1
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [limit, excludedConnectionIds, IMPORTED_PROVIDER_KEYS],
    )) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  /** Queued or running syncs with no sign of life for `staleSeconds`: their job or process was lost. */
  async findStale(staleSeconds: number, limit: number): Promise<StaleSync[]> {
    return (await this.dataSource.query(
      `SELECT id, status, (extract(epoch FROM updated_at) * 1000)::bigint::text AS generation
         FROM syncs
        WHERE status IN ('queued', 'running') AND updated_at < clock_timestamp() - make_interval(secs => $1)
        ORDER BY updated_at
        LIMIT $2`,
      [staleSeconds, limit],
    )) as StaleSync[];
  }
}

// Catalog keys whose data comes from uploaded files: there is no institution to sync with.
const IMPORTED_PROVIDER_KEYS = PROVIDER_KEYS.filter((key) => PROVIDER_CATALOG[key].authType === 'file');

function isUniqueViolation(error: unknown): boolean {
  return (error as { driverError?: { code?: string } }).driverError?.code === '23505';
}
