import { addDecimals, signOf, subtractDecimals } from '../decimal';
import type {
  AccountType,
  ProviderAccount,
  ProviderPosition,
  ProviderTransaction,
  TransactionType,
} from '../provider-data.types';
import { identifier, label, LIMITS, list, money, quantity, record } from '../schwab/wire-values';
import type {
  SimplefinAccount,
  SimplefinAccountSet,
  SimplefinHolding,
  SimplefinOrg,
  SimplefinTransaction,
} from './simplefin.types';

/** One `/accounts` answer, mapped: what cannot be kept is left out, and said so in `warnings`. */
export interface MappedAccountSet {
  accounts: ProviderAccount[];
  transactions: Map<string, ProviderTransaction[]>;
  warnings: string[];
}

// The protocol's errors are messages meant for the person ("Connection to Bank X may need attention").
const MAX_WARNINGS = 20;
const WARNING_MAX = 300;

// First match wins, on the account's lower-cased name (SimpleFIN has no account type field).
const ACCOUNT_TYPE_HINTS: ReadonlyArray<[RegExp, AccountType]> = [
  [/\broth\b/, 'roth_ira'],
  [/\b(ira|rollover)\b/, 'ira'],
  [/\b401\s?\(?k\)?/, '401k'],
  [/\b(credit|card|visa|mastercard|amex|american express|discover)\b/, 'credit'],
  [/\b(savings?|money market)\b/, 'savings'],
  [/\b(checking|chequing|current account|share draft)\b/, 'checking'],
  [/\b(brokerage|investment|individual|trading)\b/, 'individual'],
];

export function mapAccountSet(body: unknown, now: Date): MappedAccountSet {
  const set = record<SimplefinAccountSet>(body);
  const warnings = bridgeErrors(set?.errors);
  const accounts: ProviderAccount[] = [];
  const transactions = new Map<string, ProviderTransaction[]>();
  let skippedTransactions = 0;
  for (const raw of list(set?.accounts)) {
    const account = mapAccount(raw, now);
    if (!account || account.accountId === null) continue;
    accounts.push(account);
    const rows: ProviderTransaction[] = [];
    for (const item of list(record<SimplefinAccount>(raw)?.transactions)) {
      const transaction = mapTransaction(item, account.currency, now);
      if (transaction) rows.push(transaction);
      else skippedTransactions += 1;
    }
    transactions.set(account.accountId, rows);
  }
  const unreadable = list(set?.accounts).length - accounts.length;
  if (unreadable > 0) warnings.push(`${unreadable} accounts could not be read and were left out`);
  if (skippedTransactions > 0) warnings.push(`${skippedTransactions} transactions could not be read and were left out`);
  return { accounts, transactions, warnings };
}

/** The Bridge's `errors` array: person-readable strings, cleaned and bounded. */
function bridgeErrors(value: unknown): string[] {
  const messages: string[] = [];
  for (const item of list(value)) {
    const text = label(item, WARNING_MAX);
    if (text !== null && !messages.includes(text)) messages.push(text);
    if (messages.length === MAX_WARNINGS) break;
  }
  return messages.map((message) => `The institution reported: ${message}`);
}

export function mapAccount(value: unknown, now: Date): ProviderAccount | null {
  const account = record<SimplefinAccount>(value);
  if (!account) return null;
  const accountId = identifier(account.id, LIMITS.providerId);
  if (accountId === null) return null;
  const org = record<SimplefinOrg>(account.org);
  const orgName = label(org?.name) ?? label(org?.domain);
  const name = label(account.name, LIMITS.accountName) ?? orgName ?? 'SimpleFIN account';
  const currency = currencyOf(account.currency);
  const balance = money(account.balance);
  const positions = list(account.holdings)
    .map((holding) => mapHolding(holding))
    .filter((position): position is ProviderPosition => position !== null);
  const holdingsValue = positions.reduce<string | null>(
    (sum, position) => (sum === null || position.marketValue === null ? sum : addDecimals(sum, position.marketValue)),
    '0',
  );
  const balanceDate = unixDate(account['balance-date']);
  return {
    accountId,
    mask: maskOf(name),
    name,
    accountType: accountTypeOf(name, positions.length > 0),
    institutionAccountType: 'simplefin',
    currency,
    currentBalance: balance,
    availableBalance: money(account['available-balance']),
    // A bank account is all cash; an investment account's cash is what its holdings do not explain.
    cashBalance:
      balance === null
        ? null
        : positions.length === 0 || holdingsValue === null
          ? balance
          : subtractDecimals(balance, holdingsValue),
    positions,
    asOf: balanceDate ?? now,
    metadata: {
      org_name: orgName,
      org_domain: label(org?.domain),
      ...(currency === 'XXX' ? { currency: label(account.currency) } : {}),
    },
  };
}

export function accountTypeOf(name: string, hasHoldings: boolean): AccountType {
  const lower = name.toLowerCase();
  for (const [pattern, type] of ACCOUNT_TYPE_HINTS) if (pattern.test(lower)) return type;
  return hasHoldings ? 'individual' : 'other';
}

/** The last four digits the name ends with (`Checking ...1234`, `Visa (1234)`); null otherwise. */
export function maskOf(name: string): string | null {
  const match = /(\d{4})\D{0,3}$/.exec(name);
  return match ? match[1] : null;
}

/** ISO 4217 codes as they are; SimpleFIN's custom currencies (a URL) become `XXX`, "no currency". */
function currencyOf(value: unknown): string {
  return typeof value === 'string' && /^[A-Za-z]{3}$/.test(value.trim()) ? value.trim().toUpperCase() : 'XXX';
}

function mapHolding(value: unknown): ProviderPosition | null {
  const holding = record<SimplefinHolding>(value);
  if (!holding) return null;
  const symbol = label(holding.symbol, LIMITS.symbol);
  const id = identifier(holding.id, LIMITS.positionId) ?? symbol;
  const shares = quantity(holding.shares);
  if (id === null || shares === null) return null;
  return {
    providerPositionId: id,
    symbol: symbol ?? id.slice(0, LIMITS.symbol),
    description: label(holding.description, LIMITS.description),
    assetType: 'other',
    rawAssetType: 'holding',
    quantity: shares,
    averagePrice: quantity(holding.purchase_price),
    marketValue: money(holding.market_value),
    costBasis: money(holding.cost_basis),
  };
}

export function mapTransaction(value: unknown, currency: string, now: Date): ProviderTransaction | null {
  const transaction = record<SimplefinTransaction>(value);
  if (!transaction) return null;
  const id = identifier(transaction.id, LIMITS.providerId);
  const amount = money(transaction.amount);
  if (id === null || amount === null) return null;
  const posted = unixDate(transaction.posted);
  const transactedAt = unixDate(transaction.transacted_at);
  // The protocol sends `posted: 0` for a transaction that has not posted yet.
  const pending = transaction.pending === true || posted === null;
  const day = posted ?? transactedAt ?? now;
  const description =
    label(transaction.description, LIMITS.description) ?? label(transaction.payee, LIMITS.description);
  return {
    providerTransactionId: id,
    date: day.toISOString().slice(0, 10),
    settlementDate: null,
    description,
    type: transactionTypeOf(description, amount),
    rawType: pending ? 'PENDING' : 'POSTED',
    status: pending ? 'pending' : 'posted',
    amount,
    currency,
    symbol: null,
    quantity: null,
    price: null,
    fees: '0',
    details: {
      payee: label(transaction.payee),
      memo: label(transaction.memo, LIMITS.description),
      transacted_at: transactedAt?.toISOString() ?? null,
    },
  };
}

const TRANSACTION_TYPE_HINTS: ReadonlyArray<[RegExp, TransactionType]> = [
  [/\binterest\b/, 'interest'],
  [/\bdividend\b/, 'dividend'],
  [/\b(fee|charge)\b/, 'fee'],
  [/\btransfer\b/, 'transfer'],
];

/** From the description where it says, else by sign (money in: deposit, out: withdrawal). */
function transactionTypeOf(description: string | null, amount: string): TransactionType {
  const lower = description?.toLowerCase() ?? '';
  for (const [pattern, type] of TRANSACTION_TYPE_HINTS) if (pattern.test(lower)) return type;
  const sign = signOf(amount);
  return sign > 0 ? 'deposit' : sign < 0 ? 'withdrawal' : 'other';
}

/** A positive UNIX time in seconds within sane years; null otherwise (0 included). */
function unixDate(value: unknown): Date | null {
  const seconds = typeof value === 'string' && /^\d{1,12}$/.test(value) ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds <= 0) return null;
  const date = new Date(seconds * 1000);
  const year = date.getUTCFullYear();
  return year >= 1970 && year <= 2999 ? date : null;
}
