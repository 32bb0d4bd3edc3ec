import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

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
    return (await this.dataSource.query(
      `SELECT ${TRANSACTION_VIEW_COLUMNS}
         FROM transactions t
        WHERE ${conditions.join(' AND ')}
        ORDER BY t.date DESC, t.id DESC
        LIMIT $${params.length}`,
      params,
    )) as TransactionView[];
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
}
