import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import type { AccountType } from '@dashtam/database';

import { ACCOUNT_VIEW_COLUMNS, type AccountView } from './account.views';

/** The one owner of `accounts` statements: the sync's writes and the read API's queries. */
@Injectable()
export class AccountsRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ── Reads (the read API) ──────────────────────────────────────────────────────────────────────

  /** The caller's accounts (index `ix_accounts_user`), by name; the filters narrow, never widen. */
  async listOwned(userId: string, filters: { providerId?: string; isActive?: boolean }): Promise<AccountView[]> {
    const conditions = ['a.user_id = $1'];
    const params: unknown[] = [userId];
    if (filters.providerId !== undefined) {
      params.push(filters.providerId);
      conditions.push(`a.provider_id = $${params.length}`);
    }
    if (filters.isActive !== undefined) {
      params.push(filters.isActive);
      conditions.push(`a.is_active = $${params.length}`);
    }
    return (await this.dataSource.query(
      `SELECT ${ACCOUNT_VIEW_COLUMNS}
         FROM accounts a
        WHERE ${conditions.join(' AND ')}
        ORDER BY a.name, a.id`,
      params,
    )) as AccountView[];
  }

  /** The caller's account, or null: unknown and someone else's look the same. */
  async findOwned(userId: string, id: string): Promise<AccountView | null> {
    const rows = (await this.dataSource.query(
      `SELECT ${ACCOUNT_VIEW_COLUMNS} FROM accounts a WHERE a.id = $1 AND a.user_id = $2`,
      [id, userId],
    )) as AccountView[];
    return rows[0] ?? null;
  }

  /** Whether the account exists and is the caller's (the sub-resources answer 404 otherwise). */
  async isOwned(userId: string, id: string): Promise<boolean> {
    const rows = (await this.dataSource.query(`SELECT 1 FROM accounts WHERE id = $1 AND user_id = $2`, [
      id,
      userId,
    ])) as unknown[];
    return rows.length > 0;
  }

  // ── Writes (the sync) ─────────────────────────────────────────────────────────────────────────

  /**
   * Upserts the accounts one sync saw, in one statement keyed by (connection_id, provider_account_id).
   * Balances' `balance_as_of` moves every time; the other columns are compared, so an account counts as
   * `updated` only when something a person would see changed (updated_at moves only then). Every
   * account seen is active again.
   */
  async upsertForSync(manager: EntityManager, owner: AccountOwner, rows: AccountWrite[]): Promise<WrittenAccount[]> {
    if (rows.length === 0) return [];
    return (await manager.query(
      `${INSERT_ACCOUNTS} ON CONFLICT (connection_id, provider_account_id) DO UPDATE SET
         mask = EXCLUDED.mask, name = EXCLUDED.name, account_type = EXCLUDED.account_type,
         currency = EXCLUDED.currency, current_balance = EXCLUDED.current_balance,
         available_balance = EXCLUDED.available_balance, balance_as_of = EXCLUDED.balance_as_of,
         provider_metadata = EXCLUDED.provider_metadata, is_active = true,
         updated_at = CASE WHEN ${ACCOUNT_FINGERPRINT('a')} IS DISTINCT FROM ${ACCOUNT_FINGERPRINT('EXCLUDED')}
                           THEN now() ELSE a.updated_at END
       RETURNING a.id, a.provider_account_id AS "providerAccountId", a.last_synced_at AS "lastSyncedAt",
                 CASE WHEN a.xmax = 0 THEN 'created' WHEN a.updated_at = now() THEN 'updated' ELSE 'unchanged' END
                   AS outcome`,
      accountParams(owner, rows),
    )) as WrittenAccount[];
  }

  /**
   * Upserts the accounts of one imported file (keyed like a sync's). A file's balances replace the
   * stored ones only when they are as recent or more (an older statement imported later changes no
   * balance); metadata merges, so a CSV mapping saved earlier stays. `balanceApplied` says whether
   * this file's balances are now the account's (its holdings may then be written too).
   */
  async upsertForImport(
    manager: EntityManager,
    owner: AccountOwner,
    rows: ImportAccountWrite[],
  ): Promise<Array<WrittenAccount & { balanceApplied: boolean }>> {
    if (rows.length === 0) return [];
    const written = (await manager.query(
      `${INSERT_ACCOUNTS} ON CONFLICT (connection_id, provider_account_id) DO UPDATE SET
         mask = COALESCE(EXCLUDED.mask, a.mask), account_type = EXCLUDED.account_type, currency = EXCLUDED.currency,
         current_balance = CASE WHEN ${NEWER_BALANCE} THEN EXCLUDED.current_balance ELSE a.current_balance END,
         available_balance = CASE WHEN ${NEWER_BALANCE} THEN EXCLUDED.available_balance ELSE a.available_balance END,
         balance_as_of = CASE WHEN ${NEWER_BALANCE} THEN EXCLUDED.balance_as_of ELSE a.balance_as_of END,
         provider_metadata = a.provider_metadata || EXCLUDED.provider_metadata, is_active = true,
         last_synced_at = now(), updated_at = now()
       RETURNING a.id, a.provider_account_id AS "providerAccountId", a.last_synced_at AS "lastSyncedAt",
                 CASE WHEN a.xmax = 0 THEN 'created' ELSE 'updated' END AS outcome,
                 a.balance_as_of AS "balanceAsOf"`,
      accountParams(owner, rows),
    )) as Array<WrittenAccount & { balanceAsOf: Date | null }>;
    const asOfByKey = new Map(rows.map((r) => [r.providerAccountId, r.balanceAsOf?.getTime() ?? null]));
    return written.map(({ balanceAsOf, ...account }) => ({
      ...account,
      balanceApplied: balanceAsOf !== null && balanceAsOf.getTime() === asOfByKey.get(account.providerAccountId),
    }));
  }

  /** The caller's account if it is one that imports write (its provider is of `providerKey`), else null. */
  async findOwnedOfProviderKey(userId: string, id: string, providerKey: string): Promise<ImportTarget | null> {
    const rows = (await this.dataSource.query(
      `SELECT a.id, a.connection_id AS "connectionId", a.provider_id AS "providerId",
              a.provider_account_id AS "providerAccountId", a.provider_metadata AS metadata
         FROM accounts a JOIN providers p ON p.id = a.provider_id AND p.deleted_at IS NULL
        WHERE a.id = $1 AND a.user_id = $2 AND p.provider_key = $3`,
      [id, userId, providerKey],
    )) as ImportTarget[];
    return rows[0] ?? null;
  }

  /** Accounts of the connection the institution no longer reports: inactive, never deleted. Returns how many. */
  async deactivateMissing(manager: EntityManager, connectionId: string, reported: string[]): Promise<number> {
    const [, count] = (await manager.query(
      `UPDATE accounts SET is_active = false, updated_at = now()
        WHERE connection_id = $1 AND is_active AND NOT (provider_account_id = ANY($2::text[]))`,
      [connectionId, reported],
    )) as [unknown[], number];
    return count;
  }

  /** The accounts whose transactions a sync read completely, as of `syncedAt` (the next window's start). */
  async markSynced(manager: EntityManager, accountIds: string[], syncedAt: Date): Promise<void> {
    if (accountIds.length === 0) return;
    await manager.query('UPDATE accounts SET last_synced_at = $2 WHERE id = ANY($1::uuid[])', [accountIds, syncedAt]);
  }

  /** The provider resource's `accounts_count`. */
  /**
   * When every active account of the connection was last read completely (the oldest such time), or
   * null when one never was or there are none yet: the start of a snapshot read's window.
   */
  async lastCompleteRead(connectionId: string): Promise<Date | null> {
    const [row] = (await this.dataSource.query(
      `SELECT CASE WHEN count(*) = 0 OR bool_or(last_synced_at IS NULL) THEN NULL ELSE min(last_synced_at) END AS at
         FROM accounts WHERE connection_id = $1 AND is_active`,
      [connectionId],
    )) as [{ at: Date | null }];
    return row.at;
  }

  async countActive(manager: EntityManager, connectionId: string): Promise<number> {
    const [{ n }] = (await manager.query(
      'SELECT count(*)::int AS n FROM accounts WHERE connection_id = $1 AND is_active',
      [connectionId],
    )) as Array<{ n: number }>;
    return n;
  }

  /** A deleted provider's accounts; positions, balance snapshots and transactions go with them (cascade). */
  async deleteOfConnection(manager: EntityManager, connectionId: string): Promise<void> {
    await manager.query('DELETE FROM accounts WHERE connection_id = $1', [connectionId]);
  }
}

// What a person sees of an account, apart from when its balance was read.
const ACCOUNT_FINGERPRINT = (alias: string): string =>
  `(${alias}.mask, ${alias}.name, ${alias}.account_type, ${alias}.currency, ${alias}.current_balance, ` +
  `${alias}.available_balance, ${alias}.provider_metadata, ${alias === 'a' ? 'a.is_active' : 'true'})`;

// An imported statement's balances win when they are at least as recent as the stored ones.
const NEWER_BALANCE =
  'EXCLUDED.balance_as_of IS NOT NULL AND (a.balance_as_of IS NULL OR EXCLUDED.balance_as_of >= a.balance_as_of)';

/** One account as an import writes it: a CSV file has no balance. */
/** The insert both upserts start with: the owner's ids, then one array per column (`accountParams`). */
const INSERT_ACCOUNTS = `INSERT INTO accounts AS a (connection_id, provider_id, user_id, provider_account_id, mask, name,
                                 account_type, currency, current_balance, available_balance, balance_as_of,
                                 provider_metadata, is_active)
       SELECT $1, $2, $3, i.*, true
         FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::numeric[], $10::numeric[],
                     $11::timestamptz[], $12::jsonb[])
              AS i(provider_account_id, mask, name, account_type, currency, current_balance, available_balance,
                   balance_as_of, provider_metadata)`;

function accountParams(owner: AccountOwner, rows: ReadonlyArray<AccountWrite | ImportAccountWrite>): unknown[] {
  return [
    owner.connectionId,
    owner.providerId,
    owner.userId,
    rows.map((r) => r.providerAccountId),
    rows.map((r) => r.mask),
    rows.map((r) => r.name),
    rows.map((r) => r.accountType),
    rows.map((r) => r.currency),
    rows.map((r) => r.currentBalance),
    rows.map((r) => r.availableBalance),
    rows.map((r) => r.balanceAsOf),
    rows.map((r) => JSON.stringify(r.metadata)),
  ];
}

export type ImportAccountWrite = Omit<AccountWrite, 'balanceAsOf'> & { balanceAsOf: Date | null };

/** An account an import may write into, with what the import needs of it. */
export interface ImportTarget {
  id: string;
  connectionId: string;
  providerId: string;
  providerAccountId: string;
  metadata: Record<string, unknown>;
}

/** Whose accounts a sync writes: the connection, and (repeated for caller-scoped reads) its provider and user. */
export interface AccountOwner {
  connectionId: string;
  providerId: string;
  userId: string;
}

/** One account as a sync writes it; money as decimal strings. */
export interface AccountWrite {
  providerAccountId: string;
  mask: string | null;
  name: string;
  accountType: AccountType;
  currency: string;
  currentBalance: string | null;
  availableBalance: string | null;
  balanceAsOf: Date;
  metadata: Record<string, unknown>;
}

export interface WrittenAccount {
  id: string;
  providerAccountId: string;
  lastSyncedAt: Date | null;
  outcome: 'created' | 'updated' | 'unchanged';
}
