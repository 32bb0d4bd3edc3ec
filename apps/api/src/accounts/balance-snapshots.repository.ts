import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

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
}
