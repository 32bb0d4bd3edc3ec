import { absDecimal, fitsNumeric, multiplyDecimals, negateDecimal, signOf } from '../decimal';
import type { ProviderTransaction, TransactionStatus, TransactionType } from '../provider-data.types';
import {
  calendarDate,
  code,
  identifier,
  label,
  LIMITS,
  list,
  lookup,
  money,
  quantity,
  record,
  visiblePrefix,
} from '../schwab/wire-values';
import type { AlpacaActivity } from './alpaca.types';

/** Non-trade activity types with one meaning whatever the amount's sign. */
const FIXED_TYPES: Record<string, TransactionType> = {
  DIV: 'dividend',
  DIVCGL: 'dividend',
  DIVCGS: 'dividend',
  DIVROC: 'dividend',
  DIVTXEX: 'dividend',
  INT: 'interest',
  FEE: 'fee',
  CFEE: 'fee',
  DIVFEE: 'fee',
  PTC: 'fee',
  CSD: 'deposit',
  CSW: 'withdrawal',
  JNL: 'journal',
  JNLC: 'journal',
  JNLS: 'journal',
  TRANS: 'transfer',
  ACATC: 'transfer',
  ACATS: 'transfer',
};

// "Dividend/interest adjusted (NRA, Tefra or foreign tax withheld)": the withholding itself comes as a
// negative amount and is a tax; a positive one is the (net) income.
const WITHHOLDING_TYPES: Record<string, TransactionType> = {
  DIVNRA: 'dividend',
  DIVFT: 'dividend',
  DIVTW: 'dividend',
  INTNRA: 'interest',
  INTTW: 'interest',
};

// Non-trade activities that move shares rather than cash: their `qty` is the quantity moved.
const SHARE_MOVES = new Set(['JNLS', 'ACATS', 'OPASN', 'OPEXP', 'OPXRC', 'SPLIT', 'SPIN', 'REORG', 'MA', 'NC', 'SC']);

const STATUSES: Record<string, TransactionStatus> = {
  EXECUTED: 'posted',
  CORRECT: 'posted',
  CANCELED: 'cancelled',
  CANCELLED: 'cancelled',
  PENDING: 'pending',
};

// OCC option symbols (AAPL250620C00200000): one contract is 100 shares, and fills are priced per share.
const OPTION_SYMBOL = /^[A-Z]{1,6}\d{6}[CP]\d{8}$/;
const CONTRACT_SIZE = '100';

const SIDE_WORDS: Record<string, string> = { buy: 'Bought', sell: 'Sold', sell_short: 'Sold short' };

/** Alpaca's account activities as unified transactions; the same id twice is one row (the last one). */
export function toTransactions(body: unknown): ProviderTransaction[] {
  const byId = new Map<string, ProviderTransaction>();
  for (const value of list(body)) {
    const transaction = toTransaction(value);
    if (transaction) byId.set(transaction.providerTransactionId, transaction);
  }
  return [...byId.values()];
}

function toTransaction(value: unknown): ProviderTransaction | null {
  const raw = record<AlpacaActivity>(value);
  const id = identifier(raw?.id, LIMITS.providerId);
  if (!raw || !id) return null;
  const rawType = identifier(raw.activity_type, LIMITS.rawType) ?? 'UNKNOWN';
  return code(rawType) === 'FILL' ? toFill(raw, id, rawType) : toNonTrade(raw, id, rawType);
}

/** A trade: bought quantities are positive and paid for (negative amount), sold ones the reverse. */
function toFill(raw: AlpacaActivity, id: string, rawType: string): ProviderTransaction | null {
  // A fill's date is the New York trading day of its execution: an after-hours fill keeps its day.
  const date = calendarDate(raw.transaction_time);
  if (!date) return null;
  const side = identifier(raw.side, 16)?.toLowerCase() ?? null;
  const type: TransactionType = side === 'buy' ? 'buy' : side === 'sell' || side === 'sell_short' ? 'sell' : 'other';
  const symbol = identifier(raw.symbol, LIMITS.symbol);
  const qty = quantity(raw.qty);
  const price = quantity(raw.price);
  const gross = qty !== null && price !== null ? grossOf(qty, price, symbol) : null;
  const amount = gross === null || type === 'other' ? '0' : type === 'buy' ? negateDecimal(gross) : gross;
  const unsigned = qty === null ? null : absDecimal(qty);
  return {
    providerTransactionId: id,
    date,
    settlementDate: null,
    description: fillDescription(side, unsigned, symbol, price),
    type,
    rawType,
    status: 'posted',
    amount,
    currency: 'USD',
    symbol,
    quantity: unsigned === null ? null : type === 'sell' ? negateDecimal(unsigned) : unsigned,
    price,
    // Alpaca charges no commission on fills; regulatory and crypto fees arrive as their own activities.
    fees: '0',
    details: fillDetails(raw, side),
  };
}

/** Quantity × price (× 100 for an option contract), when it fits a money column. */
function grossOf(qty: string, price: string, symbol: string | null): string | null {
  let gross = multiplyDecimals(absDecimal(qty), absDecimal(price));
  if (symbol !== null && OPTION_SYMBOL.test(symbol)) gross = multiplyDecimals(gross, CONTRACT_SIZE);
  return fitsNumeric(gross, 19, 4) ? gross : null;
}

function fillDescription(
  side: string | null,
  qty: string | null,
  symbol: string | null,
  price: string | null,
): string | null {
  const verb = side === null ? undefined : lookup(SIDE_WORDS, side);
  if (!verb || qty === null || symbol === null) return null;
  return price === null ? `${verb} ${qty} ${symbol}` : `${verb} ${qty} ${symbol} @ ${price}`;
}

function fillDetails(raw: AlpacaActivity, side: string | null): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  const keep = (key: string, value: string | null) => {
    if (value !== null) details[key] = value;
  };
  keep('side', side);
  keep('fill_type', identifier(raw.type, 32));
  keep('order_id', identifier(raw.order_id, 64));
  keep('order_status', identifier(raw.order_status, 32));
  keep('cum_qty', quantity(raw.cum_qty));
  keep('leaves_qty', quantity(raw.leaves_qty));
  keep('transaction_time', label(raw.transaction_time, 40));
  return details;
}

function toNonTrade(raw: AlpacaActivity, id: string, rawType: string): ProviderTransaction | null {
  const date = calendarDate(raw.date) ?? calendarDate(raw.transaction_time);
  if (!date) return null;
  const typeCode = code(rawType);
  const amount = money(raw.net_amount) ?? '0';
  const type = classify(typeCode, amount);
  return {
    providerTransactionId: id,
    date,
    settlementDate: null,
    description: scrubAccountNumbers(raw.description),
    type,
    rawType,
    status: lookup(STATUSES, code(identifier(raw.status, 32))) ?? 'posted',
    amount,
    currency: 'USD',
    symbol: identifier(raw.symbol, LIMITS.symbol),
    quantity: SHARE_MOVES.has(typeCode) ? quantity(raw.qty) : null,
    price: null,
    // A fee activity is all fee: its size, like a Schwab fee leg's.
    fees: type === 'fee' ? absDecimal(amount) : '0',
    details: nonTradeDetails(raw),
  };
}

function classify(typeCode: string, amount: string): TransactionType {
  const fixed = lookup(FIXED_TYPES, typeCode);
  if (fixed) return fixed;
  const income = lookup(WITHHOLDING_TYPES, typeCode);
  if (income) return signOf(amount) < 0 ? 'tax' : income;
  return 'other';
}

function nonTradeDetails(raw: AlpacaActivity): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  const keep = (key: string, value: string | null) => {
    if (value !== null) details[key] = value;
  };
  keep('alpaca_status', identifier(raw.status, 32));
  keep('qty', quantity(raw.qty));
  keep('per_share_amount', quantity(raw.per_share_amount));
  return details;
}

// An account-number-like run: eight or more digits, optionally split once after the fourth (1234-5678).
const ACCOUNT_NUMBER_LIKE = /\b(\d{4})[\s-]?(\d*)(\d{4})\b/g;
const MAX_DESCRIPTION_INPUT = 4 * LIMITS.description;

/** The description without full account numbers (journals name the other account): `...` + last four. */
function scrubAccountNumbers(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  // Bounded work on a hostile string; a digit run cut in two at the bound is dropped, not half kept.
  const text =
    value.length > MAX_DESCRIPTION_INPUT
      ? visiblePrefix(value, MAX_DESCRIPTION_INPUT).replace(/[\d\s./-]+$/, '')
      : value;
  return label(
    text.replace(ACCOUNT_NUMBER_LIKE, (_match, _head: string, _middle: string, last: string) => `...${last}`),
    LIMITS.description,
  );
}
