/**
 * Institution-neutral financial data, as every adapter's mapper produces it. Money and quantities
 * are decimal strings (never JS numbers) so nothing downstream does float arithmetic on them.
 */

export interface ProviderAccountNumber {
  /** Plain account number: personal data, for display masking only — never use it as a key. */
  accountNumber: string;
  /** The institution's opaque id for the account (Schwab: hashValue); use this in later calls. */
  accountId: string;
}

export type ProviderAccountType = 'brokerage' | 'margin' | 'ira' | 'roth_ira' | 'other';

export interface ProviderPosition {
  symbol: string;
  description: string | null;
  assetType: string;
  /** Signed: short positions are negative. */
  quantity: string;
  averagePrice: string | null;
  marketValue: string | null;
  costBasis: string | null;
}

export interface ProviderAccount {
  /** null when the institution's account list does not carry the opaque id (join via accountNumbers). */
  accountId: string | null;
  /** Last four characters of the account number, the only part Dashtam keeps. */
  mask: string;
  name: string;
  accountType: ProviderAccountType;
  /** The institution's own type label, kept for display and debugging. */
  institutionAccountType: string;
  currency: string;
  currentBalance: string | null;
  availableBalance: string | null;
  positions: ProviderPosition[];
  /** When the institution produced the snapshot (the call's time when it does not say). */
  asOf: Date;
}

export type ProviderTransactionStatus = 'posted' | 'pending' | 'canceled';

export interface ProviderTransaction {
  providerTransactionId: string;
  date: Date;
  description: string | null;
  /** Lower-case neutral type, e.g. `trade`, `dividend_or_interest`, `ach_receipt`. */
  type: string;
  amount: string;
  currency: string;
  symbol: string | null;
  quantity: string | null;
  price: string | null;
  fees: string;
  status: ProviderTransactionStatus;
}
