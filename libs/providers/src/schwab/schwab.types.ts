/**
 * Schwab wire shapes, as far as Dashtam reads them (Trader API "Accounts and Trading Production").
 * Every field is optional on purpose: the mapper decides what is required, never a cast.
 */

export interface SchwabTokenResponse {
  access_token?: unknown;
  refresh_token?: unknown;
  id_token?: unknown;
  token_type?: unknown;
  expires_in?: unknown;
  scope?: unknown;
  refresh_token_expires_in?: unknown;
}

export interface SchwabAccountNumber {
  accountNumber?: unknown;
  hashValue?: unknown;
}

export interface SchwabInstrument {
  symbol?: unknown;
  description?: unknown;
  assetType?: unknown;
  cusip?: unknown;
}

export interface SchwabPosition {
  longQuantity?: unknown;
  shortQuantity?: unknown;
  averagePrice?: unknown;
  marketValue?: unknown;
  instrument?: SchwabInstrument;
}

export interface SchwabBalances {
  liquidationValue?: unknown;
  availableFunds?: unknown;
  cashAvailableForTrading?: unknown;
  cashBalance?: unknown;
}

export interface SchwabSecuritiesAccount {
  type?: unknown;
  accountNumber?: unknown;
  positions?: SchwabPosition[];
  currentBalances?: SchwabBalances;
  initialBalances?: SchwabBalances;
}

export interface SchwabAccount {
  securitiesAccount?: SchwabSecuritiesAccount;
  aggregatedBalance?: { liquidationValue?: unknown; currentLiquidationValue?: unknown };
}

export interface SchwabTransferItem {
  instrument?: SchwabInstrument;
  amount?: unknown;
  cost?: unknown;
  price?: unknown;
  feeType?: unknown;
  positionEffect?: unknown;
}

export interface SchwabTransaction {
  activityId?: unknown;
  time?: unknown;
  tradeDate?: unknown;
  settlementDate?: unknown;
  description?: unknown;
  type?: unknown;
  status?: unknown;
  netAmount?: unknown;
  transferItems?: SchwabTransferItem[];
}

/** Every transaction type Schwab knows; its API wants them listed explicitly to return them all. */
export const SCHWAB_TRANSACTION_TYPES = [
  'TRADE',
  'RECEIVE_AND_DELIVER',
  'DIVIDEND_OR_INTEREST',
  'ACH_RECEIPT',
  'ACH_DISBURSEMENT',
  'CASH_RECEIPT',
  'CASH_DISBURSEMENT',
  'ELECTRONIC_FUND',
  'WIRE_OUT',
  'WIRE_IN',
  'JOURNAL',
  'MEMORANDUM',
  'MARGIN_CALL',
  'MONEY_MARKET',
  'SMA_ADJUSTMENT',
] as const;
