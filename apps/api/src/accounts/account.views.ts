import type { AccountType, AssetType } from '@dashtam/database';

// What the read API selects from the account tables: explicit columns, never `SELECT *`, so the
// provider's opaque account id and metadata never leave the repository. Money and quantities stay the
// decimal strings PostgreSQL answers (fixed scale: 4 digits for money, 8 for quantities).

export interface AccountView {
  id: string;
  providerId: string;
  name: string;
  accountType: AccountType;
  mask: string | null;
  currency: string;
  currentBalance: string | null;
  availableBalance: string | null;
  balanceAsOf: Date | null;
  isActive: boolean;
  lastSyncedAt: Date | null;
}

export const ACCOUNT_VIEW_COLUMNS = `
  a.id, a.provider_id AS "providerId", a.name, a.account_type AS "accountType", a.mask, a.currency,
  a.current_balance AS "currentBalance", a.available_balance AS "availableBalance",
  a.balance_as_of AS "balanceAsOf", a.is_active AS "isActive", a.last_synced_at AS "lastSyncedAt"`;

export interface PositionView {
  id: string;
  symbol: string;
  description: string | null;
  assetType: AssetType;
  quantity: string;
  averagePrice: string | null;
  marketValue: string | null;
  costBasis: string | null;
  asOf: Date;
}

export const POSITION_VIEW_COLUMNS = `
  p.id, p.symbol, p.description, p.asset_type AS "assetType", p.quantity, p.average_price AS "averagePrice",
  p.market_value AS "marketValue", p.cost_basis AS "costBasis", p.as_of AS "asOf"`;

export interface BalanceSnapshotView {
  balance: string | null;
  availableBalance: string | null;
  holdingsValue: string | null;
  cashValue: string | null;
  capturedAt: Date;
}

export const BALANCE_SNAPSHOT_VIEW_COLUMNS = `
  s.balance, s.available_balance AS "availableBalance", s.holdings_value AS "holdingsValue",
  s.cash_value AS "cashValue", s.captured_at AS "capturedAt"`;

/** `from`/`to` of the balance history: calendar dates, read as whole UTC days (both ends included). */
export interface DateRange {
  from?: string;
  to?: string;
}
