/**
 * Schwab wire shapes, as far as Dashtam reads them (Trader API "Accounts and Trading Production").
 * Every field is optional and `unknown` on purpose: the comments say what Schwab documents, the
 * mapper checks what actually arrived (`wire-values.ts`) — never a cast.
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

/** `GET /accounts/accountNumbers` item. */
export interface SchwabAccountNumber {
  /** The plain account number (personal data: only its last four digits leave the mapper). */
  accountNumber?: unknown;
  /** The opaque id every other call takes. */
  hashValue?: unknown;
}

/**
 * `AccountsInstrument` / `TransactionInstrument`: assetType is one of EQUITY, OPTION, INDEX,
 * MUTUAL_FUND, CASH_EQUIVALENT, FIXED_INCOME, CURRENCY, COLLECTIVE_INVESTMENT (FUTURE, FOREX and
 * PRODUCT in option deliverables); `type` is the per-asset sub-type (e.g. EXCHANGE_TRADED_FUND,
 * MONEY_MARKET_FUND, SWEEP_VEHICLE, COMMON_STOCK, VANILLA).
 */
export interface SchwabInstrument {
  assetType?: unknown;
  type?: unknown;
  symbol?: unknown;
  cusip?: unknown;
  description?: unknown;
  instrumentId?: unknown;
  /** Options. */
  putCall?: unknown;
  underlyingSymbol?: unknown;
  optionMultiplier?: unknown;
  optionPremiumMultiplier?: unknown;
  strikePrice?: unknown;
  expirationDate?: unknown;
  /** Fixed income. */
  maturityDate?: unknown;
}

/** `Position`: long and short quantities are both non-negative; `marketValue` is negative for shorts. */
export interface SchwabPosition {
  longQuantity?: unknown;
  shortQuantity?: unknown;
  averagePrice?: unknown;
  averageLongPrice?: unknown;
  averageShortPrice?: unknown;
  marketValue?: unknown;
  instrument?: unknown;
}

/** `MarginBalance` / `CashBalance` (current and projected) and their `InitialBalance` forms. */
export interface SchwabBalances {
  liquidationValue?: unknown;
  availableFunds?: unknown;
  cashAvailableForTrading?: unknown;
  cashBalance?: unknown;
  totalCash?: unknown;
  moneyMarketFund?: unknown;
  [field: string]: unknown;
}

/** `SecuritiesAccount`: type is CASH or MARGIN (retirement accounts are CASH). */
export interface SchwabSecuritiesAccount {
  type?: unknown;
  accountNumber?: unknown;
  roundTrips?: unknown;
  isDayTrader?: unknown;
  isClosingOnlyRestricted?: unknown;
  pfcbFlag?: unknown;
  positions?: unknown;
  initialBalances?: unknown;
  currentBalances?: unknown;
  projectedBalances?: unknown;
}

/** `GET /accounts?fields=positions` item. */
export interface SchwabAccount {
  securitiesAccount?: unknown;
  aggregatedBalance?: unknown;
}

/** `TransferItem`: the legs of a transaction — the security, the cash, and each fee. */
export interface SchwabTransferItem {
  instrument?: unknown;
  /** Signed change in the instrument's quantity (shares, contracts, face value, or dollars for cash). */
  amount?: unknown;
  /** Signed cash effect of the leg (negative: paid). */
  cost?: unknown;
  price?: unknown;
  /** COMMISSION, SEC_FEE, STR_FEE, R_FEE, CDSC_FEE, OPT_REG_FEE, TAF_FEE, … — set on fee legs only. */
  feeType?: unknown;
  /** OPENING, CLOSING, AUTOMATIC, UNKNOWN: opens or closes a position — not the direction. */
  positionEffect?: unknown;
}

/** `Transaction`. */
export interface SchwabTransaction {
  activityId?: unknown;
  time?: unknown;
  /** UserDetails (names, login): personal data, never kept. */
  user?: unknown;
  description?: unknown;
  /** The plain account number: never kept, and scrubbed from the description. */
  accountNumber?: unknown;
  type?: unknown;
  /** VALID, INVALID, PENDING, UNKNOWN. */
  status?: unknown;
  /** CASH, MARGIN, SHORT, DIV, INCOME, UNKNOWN. */
  subAccount?: unknown;
  tradeDate?: unknown;
  settlementDate?: unknown;
  positionId?: unknown;
  orderId?: unknown;
  netAmount?: unknown;
  /** ACTIVITY_CORRECTION, EXECUTION, ORDER_ACTION, TRANSFER, UNKNOWN. */
  activityType?: unknown;
  transferItems?: unknown;
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
