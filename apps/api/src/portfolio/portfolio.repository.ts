import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { readRows } from '@dashtam/database';

/** The portfolio summary of one user, every figure a decimal string computed by PostgreSQL. */
export interface PortfolioSummaryView {
  totalValue: string;
  cashValue: string;
  holdingsValue: string;
  changeSincePrevious: string | null;
  asOf: Date | null;
  accounts: Array<{ id: string; name: string; value: string }>;
  byAssetType: Array<{ assetType: string; value: string }>;
}

interface SummaryRow {
  kind: 'total' | 'account' | 'asset_type';
  key: string | null;
  name: string | null;
  value: string;
  holdings: string | null;
  cash: string | null;
  change: string | null;
  asOf: Date | null;
}

/**
 * One statement for the whole summary. Per active account (index ix_accounts_user):
 *   holdings = Σ market_value of its active positions (a null market value counts 0)
 *   value    = current_balance (the institution's total, liquidation value for Schwab),
 *              or its holdings when the institution reported no balance
 *   cash     = value − holdings (negative for a margin loan)
 *   change   = its latest snapshot's balance − the one before (null with fewer than two)
 * Totals are sums of those, and `by_asset_type` is holdings grouped by asset type plus one `cash` row
 * (Σ cash): so total = cash + holdings = Σ accounts = Σ by_asset_type exactly, in numeric arithmetic.
 * Every figure is rounded to 4 decimals (money's scale) only for its spelling: sums of numeric(19,4)
 * already have 4, `round` just makes the empty sum read '0.0000' like the rest.
 */
const SUMMARY_SQL = `
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

/**
 * Where the portfolio summary's SQL lives: a read-only view across accounts, positions and
 * balance_snapshots. It never writes; those tables' statements otherwise stay in their own
 * repositories (apps/api/src/accounts), which the sync writes through.
 */
@Injectable()
export class PortfolioRepository {
  constructor(private readonly dataSource: DataSource) {}

  async summary(userId: string): Promise<PortfolioSummaryView> {
    // A dashboard's first read: straight to the pool (readRows).
    const rows = await readRows<SummaryRow>(this.dataSource, SUMMARY_SQL, [userId]);
    const total = rows.find((row) => row.kind === 'total')!;
    return {
      totalValue: total.value,
      cashValue: total.cash!,
      holdingsValue: total.holdings!,
      changeSincePrevious: total.change,
      asOf: total.asOf,
      accounts: rows
        .filter((row) => row.kind === 'account')
        .map((row) => ({ id: row.key!, name: row.name!, value: row.value })),
      byAssetType: rows
        .filter((row) => row.kind === 'asset_type')
        .map((row) => ({ assetType: row.key!, value: row.value })),
    };
  }
}
