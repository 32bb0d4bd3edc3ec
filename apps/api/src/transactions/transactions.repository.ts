import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { readRows } from '@dashtam/database';
import type { ProviderTransaction } from '@dashtam/providers';

import {
  TRANSACTION_VIEW_COLUMNS,
  type TransactionFilters,
  type TransactionPosition,
  type TransactionView,
} from './transaction.views';

/** The one owner of `transactions` statements: the sync's writes and the read API's queries. */
@Injectable()
export class TransactionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ── Reads (the read API) ──────────────────────────────────────────────────────────────────────

  /**
   * Up to `limit` of the caller's transactions after `after`, newest first: one backward range scan of
   * `ix_transactions_user_date_id` (user_id, date, id), the row comparison being the keyset. The
   * provider filter goes through the caller's accounts of that provider (transactions have no
   * provider column).
   */
  async listPage(
    userId: string,
    filters: TransactionFilters,
    after: TransactionPosition | null,
    limit: number,
  ): Promise<TransactionView[]> {
    const conditions = ['t.user_id = $1'];
    const params: unknown[] = [userId];
    const add = (sql: (p: string) => string, value: unknown): void => {
      params.push(value);
      conditions.push(sql(`$${params.length}`));
    };
    if (filters.accountId !== null) add((p) => `t.account_id = ${p}`, filters.accountId);
    if (filters.providerId !== null) {
      add(
        (p) => `t.account_id IN (SELECT a.id FROM accounts a WHERE a.user_id = $1 AND a.provider_id = ${p})`,
        filters.providerId,
      );
    }
    if (filters.from !== null) add((p) => `t.date >= ${p}::date`, filters.from);
    if (filters.to !== null) add((p) => `t.date <= ${p}::date`, filters.to);
    if (filters.type !== null) add((p) => `t.type = ${p}`, filters.type);
    if (filters.symbol !== null) add((p) => `upper(t.symbol) = ${p}`, filters.symbol);
    if (after !== null) {
      params.push(after.date, after.id);
      conditions.push(`(t.date, t.id) < ($${params.length - 1}::date, $${params.length}::uuid)`);
    }
    params.push(limit);
    // Every page of the list: straight to the pool (readRows).
    return readRows<TransactionView>(
      this.dataSource,
      `SELECT ${TRANSACTION_VIEW_COLUMNS}
         FROM transactions t
        WHERE ${conditions.join(' AND ')}
        ORDER BY t.date DESC, t.id DESC
        LIMIT $${params.length}`,
      params,
    );
  }

  /** The caller's transaction, or null: unknown and someone else's look the same. */
  async findOwned(userId: string, id: string): Promise<TransactionView | null> {
    const rows = (await this.dataSource.query(
      `SELECT ${TRANSACTION_VIEW_COLUMNS} FROM transactions t WHERE t.id = $1 AND t.user_id = $2`,
      [id, userId],
    )) as TransactionView[];
    return rows[0] ?? null;
  }

  // ── Writes (the sync) ─────────────────────────────────────────────────────────────────────────

  /**
   * Upserts one batch of an account's transactions in one statement keyed by (account_id,
   * provider_transaction_id). A row whose columns all equal what is stored is not rewritten. Returns
   * how many were created and updated; the rest of the batch was unchanged. Rows must be unique by id.
   */
  async upsertBatch(
    manager: EntityManager,
    owner: { accountId: string; userId: string },
    rows: TransactionWrite[],
  ): Promise<{ created: number; updated: number }> {
    if (rows.length === 0) return { created: 0, updated: 0 };
    const written = (await manager.query(
      `INSERT INTO transactions AS t (account_id, user_id, provider_transaction_id, date, settlement_date, description,
                                     type, raw_type, status, amount, currency, symbol, quantity, price, fees, details)
       SELECT $1, $2, i.*
         FROM unnest($3::text[], $4::date[], $5::date[], $6::text[], $7::text[], $8::text[], $9::text[],
                     $10::numeric[], $11::text[], $12::text[], $13::numeric[], $14::numeric[], $15::numeric[],
                     $16::jsonb[])
              AS i(provider_transaction_id, date, settlement_date, description, type, raw_type, status, amount,
                   currency, symbol, quantity, price, fees, details)
       ON CONFLICT (account_id, provider_transaction_id) DO UPDATE SET
         date = EXCLUDED.date, settlement_date = EXCLUDED.settlement_date, description = EXCLUDED.description,
         type = EXCLUDED.type, raw_type = EXCLUDED.raw_type, status = EXCLUDED.status, amount = EXCLUDED.amount,
         currency = EXCLUDED.currency, symbol = EXCLUDED.symbol, quantity = EXCLUDED.quantity,
         price = EXCLUDED.price, fees = EXCLUDED.fees, details = EXCLUDED.details, updated_at = now()
       WHERE ${TRANSACTION_FINGERPRINT('t')} IS DISTINCT FROM ${TRANSACTION_FINGERPRINT('EXCLUDED')}
       RETURNING t.xmax = 0 AS inserted`,
      [
        owner.accountId,
        owner.userId,
        rows.map((r) => r.providerTransactionId),
        rows.map((r) => r.date),
        rows.map((r) => r.settlementDate),
        rows.map((r) => r.description),
        rows.map((r) => r.type),
        rows.map((r) => r.rawType),
        rows.map((r) => r.status),
        rows.map((r) => r.amount),
        rows.map((r) => r.currency),
        rows.map((r) => r.symbol),
        rows.map((r) => r.quantity),
        rows.map((r) => r.price),
        rows.map((r) => r.fees),
        rows.map((r) => JSON.stringify(r.details)),
      ],
    )) as Array<{ inserted: boolean }>;
    const created = written.filter((row) => row.inserted).length;
    return { created, updated: written.length - created };
  }

  /**
   * Pending transactions of the account dated after `after` and up to `through` (the days a sync's
   * window covered completely) that the institution did not return this time: they posted under a new
   * id, or were dropped. They are replaced by what it did return, so nothing is listed twice.
   */
  async deletePendingNotReturned(
    manager: EntityManager,
    accountId: string,
    window: { after: string; through: string },
    returned: string[],
  ): Promise<number> {
    const [, count] = (await manager.query(
      `DELETE FROM transactions
        WHERE account_id = $1 AND status = 'pending' AND date > $2::date AND date <= $3::date
          AND NOT (provider_transaction_id = ANY($4::text[]))`,
      [accountId, window.after, window.through, returned],
    )) as [unknown[], number];
    return count;
  }
}

const TRANSACTION_FINGERPRINT = (alias: string): string =>
  `(${[
    'date',
    'settlement_date',
    'description',
    'type',
    'raw_type',
    'status',
    'amount',
    'currency',
    'symbol',
    'quantity',
    'price',
    'fees',
    'details',
  ]
    .map((column) => `${alias}.${column}`)
    .join(', ')})`;

/** One transaction as a sync writes it: the institution-neutral shape every adapter's mapper produces. */
export type TransactionWrite = ProviderTransaction;
