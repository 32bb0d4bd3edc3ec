import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { POSITION_VIEW_COLUMNS, type PositionView } from './account.views';

/** The one owner of `positions` statements: the sync's writes and the read API's queries. */
@Injectable()
export class PositionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ── Reads (the read API) ──────────────────────────────────────────────────────────────────────

  /** An account's current holdings (sold ones are inactive), by symbol. The caller checked ownership. */
  async listActive(accountId: string): Promise<PositionView[]> {
    return (await this.dataSource.query(
      `SELECT ${POSITION_VIEW_COLUMNS}
         FROM positions p
        WHERE p.account_id = $1 AND p.is_active
        ORDER BY p.symbol, p.id`,
      [accountId],
    )) as PositionView[];
  }

  // ── Writes (the sync) ─────────────────────────────────────────────────────────────────────────
}
