/**
 * Alpaca Trading API v2 wire shapes, as far as Dashtam reads them. Alpaca sends money, prices and
 * quantities as decimal strings. Every field is optional and `unknown` on purpose: the comments say
 * what Alpaca documents, the mapper checks what actually arrived (`schwab/wire-values.ts`) — never a cast.
 */

/** `GET /v2/account`. */
export interface AlpacaAccount {
  /** The account's UUID: the opaque id Dashtam keys the account by. */
  id?: unknown;
  /** Personal data: only its last four digits leave the mapper. Paper accounts start with `PA`. */
  account_number?: unknown;
  /** ONBOARDING, SUBMISSION_FAILED, SUBMITTED, ACCOUNT_UPDATED, APPROVAL_PENDING, ACTIVE, REJECTED, … */
  status?: unknown;
  crypto_status?: unknown;
  currency?: unknown;
  cash?: unknown;
  /** Deprecated alias of `equity`. */
  portfolio_value?: unknown;
  equity?: unknown;
  last_equity?: unknown;
  buying_power?: unknown;
  regt_buying_power?: unknown;
  daytrading_buying_power?: unknown;
  non_marginable_buying_power?: unknown;
  options_buying_power?: unknown;
  long_market_value?: unknown;
  short_market_value?: unknown;
  initial_margin?: unknown;
  maintenance_margin?: unknown;
  last_maintenance_margin?: unknown;
  sma?: unknown;
  accrued_fees?: unknown;
  pending_transfer_in?: unknown;
  pending_transfer_out?: unknown;
  /** "1": a cash account; "2" or "4": margin (Reg T, or Reg T plus day trading). */
  multiplier?: unknown;
  pattern_day_trader?: unknown;
  trading_blocked?: unknown;
  transfers_blocked?: unknown;
  account_blocked?: unknown;
  trade_suspended_by_user?: unknown;
  shorting_enabled?: unknown;
  daytrade_count?: unknown;
  options_trading_level?: unknown;
  created_at?: unknown;
}

/** `GET /v2/positions` item. */
export interface AlpacaPosition {
  asset_id?: unknown;
  symbol?: unknown;
  exchange?: unknown;
  /** us_equity, us_option or crypto. */
  asset_class?: unknown;
  asset_marginable?: unknown;
  /** Negative for a short position. */
  qty?: unknown;
  qty_available?: unknown;
  side?: unknown;
  avg_entry_price?: unknown;
  market_value?: unknown;
  cost_basis?: unknown;
  current_price?: unknown;
  lastday_price?: unknown;
  change_today?: unknown;
  unrealized_pl?: unknown;
  unrealized_plpc?: unknown;
  unrealized_intraday_pl?: unknown;
  unrealized_intraday_plpc?: unknown;
}

/**
 * `GET /v2/account/activities` item: a trade activity (`activity_type: "FILL"`) or a non-trade one
 * (DIV, INT, FEE, CSD, CSW, JNLC, TRANS, …). `id` is `<YYYYMMDDhhmmssSSS>::<uuid>`, and the paging token.
 */
export interface AlpacaActivity {
  id?: unknown;
  activity_type?: unknown;
  // Trade activities.
  transaction_time?: unknown;
  /** fill or partial_fill. */
  type?: unknown;
  price?: unknown;
  qty?: unknown;
  /** buy, sell or sell_short. */
  side?: unknown;
  symbol?: unknown;
  leaves_qty?: unknown;
  order_id?: unknown;
  cum_qty?: unknown;
  order_status?: unknown;
  // Non-trade activities.
  date?: unknown;
  net_amount?: unknown;
  description?: unknown;
  per_share_amount?: unknown;
  /** executed, correct or canceled. */
  status?: unknown;
}
