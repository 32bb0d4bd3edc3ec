/**
 * The unified vocabulary of the financial data model (SPEC §4): every institution's own types map
 * onto these, and the tables' CHECK constraints are built from the same lists.
 */

export const ACCOUNT_TYPES = [
  'individual',
  'joint',
  'ira',
  'roth_ira',
  '401k',
  'margin',
  'cash',
  'checking',
  'savings',
  'credit',
  'other',
] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export const ASSET_TYPES = [
  'equity',
  'etf',
  'option',
  'mutual_fund',
  'fixed_income',
  'money_market',
  'cash_equivalent',
  'crypto',
  'other',
] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

export const TRANSACTION_TYPES = [
  'buy',
  'sell',
  'dividend',
  'interest',
  'deposit',
  'withdrawal',
  'transfer',
  'fee',
  'tax',
  'journal',
  'other',
] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

export const TRANSACTION_STATUSES = ['pending', 'posted', 'cancelled'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];
