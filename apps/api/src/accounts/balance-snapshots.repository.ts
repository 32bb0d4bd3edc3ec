import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { BALANCE_SNAPSHOT_VIEW_COLUMNS, type BalanceSnapshotView, type DateRange } from './account.views';

/** The one owner of `balance_snapshots` statements: the sync's writes and the read API's queries. */
@Injectable()
export class BalanceSnapshotsRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ── Reads (the read API) ──────────────────────────────────────────────────────────────────────

  /**
   * An account's balance history, oldest first, on index (account_id, captured_at). `from` and `to` are
   * whole UTC days, both included — spelled out as UTC so the session's time zone cannot shift them.
   * The caller checked ownership.
   */
  async listForAccount(accountId: string, range: DateRange): Promise<BalanceSnapshotView[]> {
    const conditions = ['s.account_id = $1'];
    const params: unknown[] = [accountId];
    if (range.from !== undefined) {
      params.push(range.from);
      conditions.push(`s.captured_at >= ($${params.length}::date)::timestamp AT TIME ZONE 'UTC'`);
    }
    if (range.to !== undefined) {
      params.push(range.to);
      conditions.push(`s.captured_at < ($${params.length}::date + 1)::timestamp AT TIME ZONE 'UTC'`);
    }
    return (await this.dataSource.query(
      `SELECT ${BALANCE_SNAPSHOT_VIEW_COLUMNS}
         FROM balance_snapshots s
        WHERE ${conditions.join(' AND ')}
        ORDER BY s.captured_at, s.id`,
      params,
    )) as BalanceSnapshotView[];
  }

  // ── Writes (the sync) ─────────────────────────────────────────────────────────────────────────

  /**
   * One snapshot per account of the sync, in one statement: the balances the account row now holds,
   * the market value of its active positions, and its cash. Append-only.
   */
  async insertForSync(manager: EntityManager, rows: SnapshotWrite[]): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO balance_snapshots (account_id, balance, available_balance, holdings_value, cash_value, captured_at)
       SELECT a.id, a.current_balance, a.available_balance,
              COALESCE((SELECT sum(p.market_value) FROM positions p WHERE p.account_id = a.id AND p.is_active), 0),
              i.cash_value, i.captured_at
         FROM unnest($1::uuid[], $2::numeric[], $3::timestamptz[]) AS i(account_id, cash_value, captured_at)
         JOIN accounts a ON a.id = i.account_id`,
      [rows.map((r) => r.accountId), rows.map((r) => r.cashValue), rows.map((r) => r.capturedAt)],
    );
  }

  /**
   * The balances an imported statement states, as of its own date. Importing the same statement again
   * adds nothing: an account has at most one snapshot per instant.
   */
  async insertForImport(manager: EntityManager, rows: ImportedSnapshotWrite[]): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO balance_snapshots (account_id, balance, available_balance, holdings_value, cash_value, captured_at)
       SELECT i.*
         FROM unnest($1::uuid[], $2::numeric[], $3::numeric[], $4::numeric[], $5::numeric[], $6::timestamptz[])
              AS i(account_id, balance, available_balance, holdings_value, cash_value, captured_at)
        WHERE NOT EXISTS (SELECT 1 FROM balance_snapshots s
                           WHERE s.account_id = i.account_id AND s.captured_at = i.captured_at)`,
      [
        rows.map((r) => r.accountId),
        rows.map((r) => r.balance),
        rows.map((r) => r.availableBalance),
        rows.map((r) => r.holdingsValue),
        rows.map((r) => r.cashValue),
        rows.map((r) => r.capturedAt),
      ],
    );
  }
}

/** A snapshot an imported statement states itself. */
export interface ImportedSnapshotWrite {
  accountId: string;
  balance: string | null;
  availableBalance: string | null;
  holdingsValue: string | null;
  cashValue: string | null;
  capturedAt: Date;
}

/** A snapshot's own facts; the rest comes from the account and its positions as just written. */
export interface SnapshotWrite {
  accountId: string;
  cashValue: string | null;
  capturedAt: Date;
}
