import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

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
}
