/**
 * Institution-neutral financial data, as every adapter's mapper produces it and the sync engine
 * stores it (SPEC §4). Money and quantities are decimal strings (never JS numbers) so nothing
 * downstream does float arithmetic on them. The unified type sets belong to the data model.
 */

import type { AccountType, AssetType, TransactionStatus, TransactionType } from '@dashtam/database';

export type { AccountType, AssetType, TransactionStatus, TransactionType };

export interface ProviderAccountNumber {
  /** Plain account number: personal data, for display masking only — never use it as a key. */
  accountNumber: string;
  /** The institution's opaque id for the account (Schwab: hashValue); use this in later calls. */
  accountId: string;
}

export interface ProviderPosition {
  /** Stable per account across syncs (Schwab: asset type + symbol); the upsert key. */
  providerPositionId: string;
  symbol: string;
  description: string | null;
  assetType: AssetType;
  /** The institution's own asset type label. */
  rawAssetType: string;
  /** Signed: short positions are negative. */
  quantity: string;
  averagePrice: string | null;
  marketValue: string | null;
  costBasis: string | null;
}

export interface ProviderAccount {
  /** null when the institution's account list does not carry the opaque id (join via accountNumbers). */
  accountId: string | null;
  /** Last four digits of the account number, the only part Dashtam keeps; null when there are none. */
  mask: string | null;
  name: string;
  accountType: AccountType;
  /** The institution's own type label, kept for display and debugging. */
  institutionAccountType: string;
  currency: string;
  /** The account's total value (Schwab: liquidationValue). */
  currentBalance: string | null;
  availableBalance: string | null;
  /** Cash and sweep money in the account (the `cash` row of the portfolio summary). */
  cashBalance: string | null;
  positions: ProviderPosition[];
  /** When the institution produced the snapshot (the call's time when it does not say). */
  asOf: Date;
  /** Institution-specific, non-secret facts worth keeping (never the full account number). */
  metadata: Record<string, unknown>;
}

export interface ProviderTransaction {
  providerTransactionId: string;
  /** The trade (or posting) date, as a calendar date `YYYY-MM-DD`. */
  date: string;
  settlementDate: string | null;
  description: string | null;
  type: TransactionType;
  /** The institution's own type, e.g. `TRADE`, `DIVIDEND_OR_INTEREST`; unknown types land here with type `other`. */
  rawType: string;
  status: TransactionStatus;
  amount: string;
  currency: string;
  symbol: string | null;
  quantity: string | null;
  price: string | null;
  /** Fees and commissions, as a non-negative sum. */
  fees: string;
  /** Non-secret detail kept as the institution sent it (Schwab: transfer items, fee breakdown, sub-type). */
  details: Record<string, unknown>;
}
