import type { PutCall } from './options';

/** The kinds of account every Sandbox user owns, in the order accountNumbers lists them. */
export const ACCOUNT_KINDS = ['individual', 'margin', 'ira', 'cash', 'closed'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** Schwab's `securitiesAccount.type`: IRAs and plain brokerage accounts are both CASH. */
export type SchwabAccountType = 'CASH' | 'MARGIN';

/** Transaction types the per-account grid produces; the pending-capable transfers come from transfers.ts. */
export type GridTransactionType =
  | 'TRADE'
  | 'RECEIVE_AND_DELIVER'
  | 'DIVIDEND_OR_INTEREST'
  | 'CASH_DISBURSEMENT'
  | 'WIRE_OUT'
  | 'WIRE_IN'
  | 'JOURNAL'
  | 'MEMORANDUM'
  | 'MARGIN_CALL'
  | 'MONEY_MARKET'
  | 'SMA_ADJUSTMENT';

export type TradeKind = 'equity' | 'etf' | 'option' | 'mutual_fund' | 'bond' | 'short';

export type HoldingSlot =
  | { asset: 'equity' | 'etf' | 'mutual_fund' | 'money_market' | 'bond' | 'cd'; short?: boolean }
  | { asset: 'option'; putCall: PutCall; short: boolean };

export interface AccountProfile {
  kind: AccountKind;
  schwabType: SchwabAccountType;
  /** Schwab's user-preference nickname: the only place its API tells an IRA from a brokerage account. */
  nickName: string;
  /** Positions every account of this kind holds (which security is drawn per user). */
  holdings: HoldingSlot[];
  /** Up to this many extra equity/ETF positions. */
  extraHoldings: number;
  cashCents: readonly [number, number];
  mix: ReadonlyArray<readonly [GridTransactionType, number]>;
  trades: ReadonlyArray<readonly [TradeKind, number]>;
}

/**
 * What each kind holds and does. Between them the default user holds every asset type (long and
 * short) and sees every Schwab transaction type; margin-only activity stays in the margin account.
 */
export const ACCOUNT_PROFILES: Record<AccountKind, AccountProfile> = {
  individual: {
    kind: 'individual',
    schwabType: 'CASH',
    nickName: 'Individual',
    holdings: [
      { asset: 'equity' },
      { asset: 'equity' },
      { asset: 'etf' },
      { asset: 'mutual_fund' },
      { asset: 'money_market' },
      { asset: 'option', putCall: 'CALL', short: false },
    ],
    extraHoldings: 3,
    cashCents: [50_000, 2_500_000],
    mix: [
      ['TRADE', 55],
      ['DIVIDEND_OR_INTEREST', 20],
      ['MONEY_MARKET', 7],
      ['JOURNAL', 5],
      ['RECEIVE_AND_DELIVER', 3],
      ['MEMORANDUM', 3],
      ['CASH_DISBURSEMENT', 3],
      ['WIRE_IN', 2],
      ['WIRE_OUT', 2],
    ],
    trades: [
      ['equity', 55],
      ['etf', 20],
      ['mutual_fund', 15],
      ['option', 10],
    ],
  },
  margin: {
    kind: 'margin',
    schwabType: 'MARGIN',
    nickName: 'Margin Trading',
    holdings: [
      { asset: 'equity' },
      { asset: 'equity' },
      { asset: 'equity', short: true },
      { asset: 'etf' },
      { asset: 'option', putCall: 'CALL', short: true },
      { asset: 'option', putCall: 'PUT', short: false },
      { asset: 'money_market' },
    ],
    extraHoldings: 2,
    cashCents: [100_000, 5_000_000],
    mix: [
      ['TRADE', 60],
      ['DIVIDEND_OR_INTEREST', 12],
      ['SMA_ADJUSTMENT', 5],
      ['RECEIVE_AND_DELIVER', 5],
      ['JOURNAL', 4],
      ['MONEY_MARKET', 4],
      ['MARGIN_CALL', 3],
      ['WIRE_IN', 3],
      ['WIRE_OUT', 2],
      ['MEMORANDUM', 2],
    ],
    trades: [
      ['equity', 45],
      ['option', 30],
      ['short', 15],
      ['etf', 10],
    ],
  },
  ira: {
    kind: 'ira',
    schwabType: 'CASH',
    nickName: 'Contributory IRA',
    holdings: [
      { asset: 'etf' },
      { asset: 'etf' },
      { asset: 'mutual_fund' },
      { asset: 'mutual_fund' },
      { asset: 'bond' },
      { asset: 'money_market' },
    ],
    extraHoldings: 2,
    cashCents: [10_000, 1_000_000],
    mix: [
      ['TRADE', 45],
      ['DIVIDEND_OR_INTEREST', 30],
      ['MONEY_MARKET', 10],
      ['JOURNAL', 5],
      ['RECEIVE_AND_DELIVER', 4],
      ['MEMORANDUM', 4],
      ['CASH_DISBURSEMENT', 2],
    ],
    trades: [
      ['etf', 40],
      ['mutual_fund', 40],
      ['bond', 20],
    ],
  },
  cash: {
    kind: 'cash',
    schwabType: 'CASH',
    nickName: 'Cash Reserve',
    holdings: [{ asset: 'money_market' }, { asset: 'cd' }, { asset: 'equity' }],
    extraHoldings: 1,
    cashCents: [500_000, 8_000_000],
    mix: [
      ['DIVIDEND_OR_INTEREST', 35],
      ['TRADE', 30],
      ['WIRE_IN', 8],
      ['MONEY_MARKET', 8],
      ['WIRE_OUT', 6],
      ['JOURNAL', 6],
      ['CASH_DISBURSEMENT', 4],
      ['MEMORANDUM', 3],
    ],
    trades: [
      ['equity', 60],
      ['bond', 40],
    ],
  },
  closed: {
    kind: 'closed',
    schwabType: 'CASH',
    nickName: 'Old Brokerage',
    holdings: [{ asset: 'equity' }],
    extraHoldings: 0,
    cashCents: [1_000, 200_000],
    mix: [
      ['TRADE', 50],
      ['DIVIDEND_OR_INTEREST', 25],
      ['JOURNAL', 10],
      ['WIRE_OUT', 10],
      ['MEMORANDUM', 5],
    ],
    trades: [['equity', 100]],
  },
};

/** Kinds that stay open for good (the `closed` one disappears, see SandboxSettings.closedAccountAfterSeconds). */
export const isLasting = (kind: AccountKind): boolean => kind !== 'closed';
