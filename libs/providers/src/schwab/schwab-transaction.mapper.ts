import { absDecimal, addDecimals, fitsNumeric, negateDecimal, signOf } from '../decimal';
import type { ProviderTransaction, TransactionStatus, TransactionType } from '../provider-data.types';
import { type InstrumentFacts, instrumentFacts } from './schwab-asset-type';
import type { SchwabInstrument, SchwabTransaction, SchwabTransferItem } from './schwab.types';
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
} from './wire-values';

/** One transfer item, made safe. */
interface Leg {
  instrument: InstrumentFacts;
  raw: SchwabTransferItem;
  amount: string | null;
  cost: string | null;
  price: string | null;
  feeType: string | null;
  positionEffect: string | null;
}

// Far more legs than any Schwab activity has; a hostile list stops here.
const MAX_LEGS = 100;

/** Types whose kind is fixed by Schwab's type alone (after the fee and tax checks below). */
const FIXED_TYPES: Record<string, TransactionType> = {
  RECEIVE_AND_DELIVER: 'transfer',
  ACH_RECEIPT: 'deposit',
  ACH_DISBURSEMENT: 'withdrawal',
  CASH_RECEIPT: 'deposit',
  CASH_DISBURSEMENT: 'withdrawal',
  WIRE_IN: 'deposit',
  WIRE_OUT: 'withdrawal',
  JOURNAL: 'journal',
  // Bookkeeping entries with no money movement of their own.
  MEMORANDUM: 'other',
  MARGIN_CALL: 'other',
  SMA_ADJUSTMENT: 'other',
};

/** Cash entries Schwab also uses for fees and taxes, told apart by their description. */
const DESCRIBED_TYPES = new Set(['DIVIDEND_OR_INTEREST', 'JOURNAL', 'CASH_RECEIPT', 'CASH_DISBURSEMENT']);
/** Types that move a security, so fee legs are fees *of* the transaction, not the transaction. */
const SECURITY_TYPES = new Set(['TRADE', 'RECEIVE_AND_DELIVER', 'MONEY_MARKET']);

const STATUSES: Record<string, TransactionStatus> = {
  VALID: 'posted',
  PENDING: 'pending',
  CANCELED: 'cancelled',
  CANCELLED: 'cancelled',
  INVALID: 'cancelled',
};

const TAX_WORDS = /\b(?:TAX(?:ES)?|WITHHOLDING|WITHHELD)\b/i;
const TAX_EXEMPT = /\bTAX[\s-]*(?:EXEMPT|FREE)\b/gi;
const FEE_WORDS = /\b(?:FEES?|COMMISSIONS?)\b/i;
const INTEREST_WORDS = /\b(?:INTEREST|INT)\b/i;
const DIVIDEND_WORDS = /\b(?:DIVIDENDS?|DIV|CAP(?:ITAL)?\s+GAINS?|DISTRIBUTION)\b/i;
const BUY_WORDS = /\b(?:BUY|BOUGHT|PURCHASED?)\b/i;
const SELL_WORDS = /\b(?:SELL|SOLD|REDEMPTION|REDEEMED|REDEEM)\b/i;

/**
 * Schwab's transactions as unified transactions. A row is skipped only when it cannot be stored
 * idempotently: no usable `activityId`, or no date at all (tradeDate, time, settlementDate). An
 * unknown type is kept as `other` with its raw type; nothing here throws.
 */
export function toTransactions(body: unknown): ProviderTransaction[] {
  const entries = Array.isArray(body) ? body : record(body) ? [body] : [];
  const byId = new Map<string, ProviderTransaction>();
  for (const entry of entries) {
    const transaction = toTransaction(entry);
    if (transaction) byId.set(transaction.providerTransactionId, transaction);
  }
  return [...byId.values()];
}

function toTransaction(value: unknown): ProviderTransaction | null {
  const raw = record<SchwabTransaction>(value);
  const providerTransactionId = identifier(raw?.activityId, LIMITS.providerId);
  if (!raw || !providerTransactionId) return null;
  const date = calendarDate(raw.tradeDate) ?? calendarDate(raw.time) ?? calendarDate(raw.settlementDate);
  if (!date) return null;
  const rawType = identifier(raw.type, LIMITS.rawType) ?? 'UNKNOWN';
  const typeCode = rawType.toUpperCase();
  const legs = list(raw.transferItems).slice(0, MAX_LEGS).flatMap(toLeg);
  const security = securityLeg(legs);
  const net = money(raw.netAmount);
  const description = scrubAccountNumber(raw.description, identifier(raw.accountNumber, 64));
  const type = classify(typeCode, legs, security, net, description ?? '');
  const movesSecurity = SECURITY_TYPES.has(typeCode) && security !== null;
  return {
    providerTransactionId,
    date,
    settlementDate: calendarDate(raw.settlementDate),
    description,
    type,
    rawType,
    status: lookup(STATUSES, code(identifier(raw.status, 32))) ?? 'posted',
    amount: net ?? '0',
    currency: 'USD',
    symbol: security?.instrument.symbol ?? null,
    quantity: movesSecurity ? signedQuantity(security.amount, type) : null,
    price: movesSecurity ? security.price : null,
    fees: feesOf(legs),
    details: detailsOf(raw, legs),
  };
}

function toLeg(value: unknown): Leg[] {
  const item = record<SchwabTransferItem>(value);
  if (!item) return [];
  return [
    {
      instrument: instrumentFacts(item.instrument),
      raw: item,
      amount: quantity(item.amount),
      cost: money(item.cost),
      price: quantity(item.price),
      feeType: identifier(item.feeType, 32),
      positionEffect: identifier(item.positionEffect, 32),
    },
  ];
}

const isFee = (leg: Leg): boolean => leg.feeType !== null;
const isCash = (leg: Leg): boolean => code(leg.instrument.assetType) === 'CURRENCY';

/** The leg that names the security: not a fee, not the cash; the first that moves a quantity. */
function securityLeg(legs: Leg[]): Leg | null {
  const candidates = legs.filter((leg) => !isFee(leg) && !isCash(leg));
  return candidates.find((leg) => leg.amount !== null && signOf(leg.amount) !== 0) ?? candidates[0] ?? null;
}

function classify(
  typeCode: string,
  legs: Leg[],
  security: Leg | null,
  net: string | null,
  description: string,
): TransactionType {
  if (typeCode === 'TRADE') return direction(security, net, description) ?? 'other';
  // Sweeps into and out of a money market fund: bought or sold by the fund leg, never by the cash.
  if (typeCode === 'MONEY_MARKET') return direction(security, null, description) ?? 'transfer';
  const fixed = lookup(FIXED_TYPES, typeCode);
  if (fixed === undefined && typeCode !== 'DIVIDEND_OR_INTEREST' && typeCode !== 'ELECTRONIC_FUND') return 'other';
  if (!SECURITY_TYPES.has(typeCode) && legs.length > 0 && legs.every(isFee)) return 'fee';
  if (DESCRIBED_TYPES.has(typeCode)) {
    if (TAX_WORDS.test(description.replace(TAX_EXEMPT, ''))) return 'tax';
    if (FEE_WORDS.test(description)) return 'fee';
  }
  if (typeCode === 'DIVIDEND_OR_INTEREST') return dividendOrInterest(description, security);
  if (typeCode === 'ELECTRONIC_FUND') {
    const sign = net === null ? 0 : signOf(net);
    return sign > 0 ? 'deposit' : sign < 0 ? 'withdrawal' : 'transfer';
  }
  return fixed ?? 'other';
}

/**
 * Bought or sold: the security leg's quantity sign (positive: received), else its cost sign
 * (negative: paid), else the net amount's, else the description's words. `positionEffect` says
 * opening or closing, not the direction: a short sale opens with a sale, a cover closes with a buy.
 */
function direction(security: Leg | null, net: string | null, description: string): 'buy' | 'sell' | null {
  const sign =
    (security?.amount ? signOf(security.amount) : 0) ||
    (security?.cost ? -signOf(security.cost) : 0) ||
    (net ? -signOf(net) : 0);
  if (sign > 0) return 'buy';
  if (sign < 0) return 'sell';
  const buys = BUY_WORDS.test(description);
  const sells = SELL_WORDS.test(description);
  return buys === sells ? null : buys ? 'buy' : 'sell';
}

/** The description's words when they say one of the two; otherwise what the paying instrument is. */
function dividendOrInterest(description: string, security: Leg | null): TransactionType {
  const interest = INTEREST_WORDS.test(description);
  const dividend = DIVIDEND_WORDS.test(description);
  if (interest !== dividend) return interest ? 'interest' : 'dividend';
  const unified = security?.instrument.unified;
  return unified === undefined ||
    unified === 'fixed_income' ||
    unified === 'money_market' ||
    unified === 'cash_equivalent'
    ? 'interest'
    : 'dividend';
}

/** Bought quantities are positive and sold ones negative, whatever sign Schwab gave the leg. */
function signedQuantity(amount: string | null, type: TransactionType): string | null {
  if (amount === null) return null;
  if (type === 'buy') return absDecimal(amount);
  if (type === 'sell') return negateDecimal(absDecimal(amount));
  return amount;
}

/** Fees and commissions as a non-negative sum: each fee leg's cost (its amount when the cost is 0). */
function feesOf(legs: Leg[]): string {
  const total = legs.filter(isFee).reduce((sum, leg) => {
    const value = leg.cost !== null && signOf(leg.cost) !== 0 ? leg.cost : (leg.amount ?? '0');
    return addDecimals(sum, absDecimal(value));
  }, '0');
  return fitsNumeric(total, 19, 4) ? total : '0';
}

// An account-number-like run: eight or more digits, optionally split once after the fourth (1234-5678).
// Dates (2026-01-15, 01/28-02/26) and amounts do not match.
const ACCOUNT_NUMBER_LIKE = /\b(\d{4})[\s-]?(\d*)(\d{4})\b/g;

const MAX_DESCRIPTION_INPUT = 4 * LIMITS.description;

// One answer holds one account's transactions: its pattern is built once, not per row.
let ownNumber: { digits: string; pattern: RegExp } | null = null;

function ownNumberPattern(digits: string): RegExp {
  if (ownNumber?.digits !== digits) {
    ownNumber = { digits, pattern: new RegExp(digits.split('').join('[\\s./-]?'), 'g') };
  }
  return ownNumber.pattern;
}

/**
 * The description without full account numbers: this account's (however Schwab separated its digits)
 * and any other account-number-like run (journals name the other account) become `...` + last four.
 */
function scrubAccountNumber(value: unknown, accountNumber: string | null): string | null {
  if (typeof value !== 'string') return null;
  // Bounded work on a hostile string; a digit run cut in two at the bound is dropped, not half kept.
  let text =
    value.length > MAX_DESCRIPTION_INPUT
      ? visiblePrefix(value, MAX_DESCRIPTION_INPUT).replace(/[\d\s./-]+$/, '')
      : value;
  const digits = accountNumber?.replace(/\D/g, '') ?? '';
  if (digits.length >= 5) text = text.replace(ownNumberPattern(digits), `...${digits.slice(-4)}`);
  text = text.replace(ACCOUNT_NUMBER_LIKE, (_match, _head: string, _middle: string, last: string) => `...${last}`);
  return label(text, LIMITS.description);
}

/** What is worth keeping besides the columns — whitelisted, so no account number or user detail. */
function detailsOf(raw: SchwabTransaction, legs: Leg[]): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  const keep = (key: string, value: string | null) => {
    if (value !== null) details[key] = value;
  };
  keep('schwab_status', identifier(raw.status, 32));
  keep('activity_type', identifier(raw.activityType, 32));
  keep('sub_account', identifier(raw.subAccount, 32));
  keep('order_id', identifier(raw.orderId, 32));
  keep('position_id', identifier(raw.positionId, 32));
  details.transfer_items = legs.map(legDetails);
  return details;
}

function legDetails(leg: Leg): Record<string, unknown> {
  const raw = record<SchwabInstrument>(leg.raw.instrument) ?? {};
  const instrument: Record<string, unknown> = { assetType: leg.instrument.assetType };
  const entries: Array<[string, string | null]> = [
    ['type', leg.instrument.subType],
    ['symbol', leg.instrument.symbol],
    ['cusip', leg.instrument.cusip],
    ['description', leg.instrument.description],
    ['putCall', identifier(raw.putCall, 16)],
    ['underlyingSymbol', identifier(raw.underlyingSymbol, LIMITS.symbol)],
    ['strikePrice', quantity(raw.strikePrice)],
    ['expirationDate', calendarDate(raw.expirationDate)],
  ];
  for (const [key, value] of entries) if (value !== null) instrument[key] = value;
  const item: Record<string, unknown> = { instrument };
  for (const [key, value] of [
    ['amount', leg.amount],
    ['cost', leg.cost],
    ['price', leg.price],
    ['feeType', leg.feeType],
    ['positionEffect', leg.positionEffect],
  ] as const) {
    if (value !== null) item[key] = value;
  }
  return item;
}
