import { fitsNumeric, multiplyDecimals, signOf, subtractDecimals } from '../decimal';
import type { TokenSet } from '../provider-client';
import type {
  AccountType,
  ProviderAccount,
  ProviderAccountNumber,
  ProviderPosition,
  ProviderTransaction,
} from '../provider-data.types';
import { instrumentFacts, rawAssetLabel } from './schwab-asset-type';
import { toTransactions as mapTransactions } from './schwab-transaction.mapper';
import type {
  SchwabAccount,
  SchwabAccountNumber,
  SchwabBalances,
  SchwabInstrument,
  SchwabPosition,
  SchwabSecuritiesAccount,
  SchwabTokenResponse,
} from './schwab.types';
import { flag, identifier, label, LIMITS, list, lookup, money, quantity, record } from './wire-values';

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function positiveSeconds(value: unknown): number | null {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : null;
}

/** null when the answer is not a usable token response (no access token). */
export function toTokenSet(body: unknown): TokenSet | null {
  if (typeof body !== 'object' || body === null) return null;
  const raw = body as SchwabTokenResponse;
  const accessToken = text(raw.access_token);
  if (accessToken === null) return null;
  return {
    accessToken,
    refreshToken: text(raw.refresh_token),
    idToken: text(raw.id_token),
    tokenType: text(raw.token_type) ?? 'Bearer',
    expiresInSeconds: positiveSeconds(raw.expires_in),
    scope: text(raw.scope),
    refreshTokenExpiresInSeconds: positiveSeconds(raw.refresh_token_expires_in),
  };
}

/** Schwab's transactions as unified transactions (see schwab-transaction.mapper.ts). */
export function toTransactions(body: unknown): ProviderTransaction[] {
  return mapTransactions(body);
}

/** An account number as Schwab sends it (a string, or a number from a careless serialiser). */
function accountNumberOf(value: unknown): string | null {
  return identifier(value, 64);
}

/** Account number → nickname, from `GET /trader/v1/userPreference` (an empty map for anything unreadable). */
export function toAccountNicknames(body: unknown): Map<string, string> {
  const nicknames = new Map<string, string>();
  for (const value of list(record<{ accounts?: unknown }>(body)?.accounts)) {
    const entry = record<{ accountNumber?: unknown; nickName?: unknown }>(value);
    const accountNumber = accountNumberOf(entry?.accountNumber);
    const nickname = label(entry?.nickName, 60);
    if (accountNumber && nickname) nicknames.set(accountNumber, nickname);
  }
  return nicknames;
}

export function toAccountNumbers(body: unknown): ProviderAccountNumber[] {
  return list(body).flatMap((value) => {
    const entry = record<SchwabAccountNumber>(value);
    const accountNumber = accountNumberOf(entry?.accountNumber);
    const accountId = identifier(entry?.hashValue, LIMITS.providerId);
    return accountNumber && accountId ? [{ accountNumber, accountId }] : [];
  });
}

const ACCOUNT_TYPES: Record<string, AccountType> = { CASH: 'cash', MARGIN: 'margin' };
const ACCOUNT_LABELS: Record<string, string> = { CASH: 'Cash', MARGIN: 'Margin' };

// Schwab's Trader API reports an IRA, a Roth IRA and an individual account all as CASH; only the account's
// nickname in userPreference (Schwab names new accounts "Contributory IRA", "Roth Contributory IRA",
// "Individual", …) tells them apart. Checked in order: the first match wins.
const NICKNAME_TYPES: Array<[RegExp, AccountType]> = [
  [/\broth\b/i, 'roth_ira'],
  [/\bira\b/i, 'ira'],
  [/\b401\s*\(?k\)?/i, '401k'],
  [/\bjoint\b/i, 'joint'],
  [/\bindividual\b/i, 'individual'],
];

// Non-secret balance fields worth keeping in the account's metadata, as Schwab names them.
const KEPT_BALANCES = [
  'accruedInterest',
  'availableFunds',
  'bondValue',
  'buyingPower',
  'cashAvailableForTrading',
  'cashAvailableForWithdrawal',
  'cashBalance',
  'dayTradingBuyingPower',
  'equity',
  'liquidationValue',
  'longMarketValue',
  'longOptionMarketValue',
  'maintenanceRequirement',
  'marginBalance',
  'moneyMarketFund',
  'mutualFundValue',
  'pendingDeposits',
  'shortBalance',
  'shortMarketValue',
  'shortOptionMarketValue',
  'totalCash',
  'unsettledCash',
] as const;

/** The last four digits of an account number; null when it has no digits. */
function maskOf(accountNumber: string): string | null {
  const digits = accountNumber.replace(/\D/g, '');
  return digits === '' ? null : digits.slice(-4);
}

/**
 * Accounts with balances and positions; `hashes` joins Schwab's plain account numbers to their
 * opaque ids. The plain number never leaves this function: only its last four digits do.
 */
export function toAccounts(
  body: unknown,
  hashes: ProviderAccountNumber[],
  asOf: Date,
  nicknames: Map<string, string> = new Map(),
): ProviderAccount[] {
  const entries = Array.isArray(body) ? body : record(body) ? [body] : [];
  const idByNumber = new Map(hashes.map((h) => [h.accountNumber, h.accountId]));
  const seen = new Set<string>();
  return entries.flatMap((value) => {
    const account = toAccount(value, idByNumber, asOf, nicknames);
    // The same account twice would be two upserts of one row in one statement.
    if (!account || (account.accountId !== null && seen.has(account.accountId))) return [];
    if (account.accountId !== null) seen.add(account.accountId);
    return [account];
  });
}

function toAccount(
  value: unknown,
  idByNumber: Map<string, string>,
  asOf: Date,
  nicknames: Map<string, string>,
): ProviderAccount | null {
  const entry = record<SchwabAccount>(value);
  const account = record<SchwabSecuritiesAccount>(entry?.securitiesAccount);
  const number = accountNumberOf(account?.accountNumber);
  // Without its number an account can be neither joined to its id nor told apart from the others.
  if (!entry || !account || !number) return null;
  const rawType = identifier(account.type, LIMITS.rawType) ?? 'UNKNOWN';
  const typeCode = rawType.toUpperCase();
  const mask = maskOf(number);
  const nickname = nicknames.get(number) ?? null;
  // The nickname is the user's own label and may repeat the account number: keep it only when it does not.
  const shownNickname = nickname !== null && !/\d{5,}/.test(nickname) ? nickname : null;
  const labelText = shownNickname ?? lookup(ACCOUNT_LABELS, typeCode) ?? 'Brokerage';
  const current = record<SchwabBalances>(account.currentBalances) ?? {};
  const aggregated = record<SchwabBalances>(entry.aggregatedBalance) ?? {};
  const margin = typeCode === 'MARGIN';
  return {
    accountId: idByNumber.get(number) ?? null,
    mask,
    name: mask ? `${labelText} ...${mask}` : `${labelText} account`,
    accountType: (typeCode === 'CASH' && nicknameType(nickname)) || (lookup(ACCOUNT_TYPES, typeCode) ?? 'other'),
    institutionAccountType: rawType,
    currency: 'USD',
    currentBalance:
      money(current.liquidationValue) ??
      money(aggregated.currentLiquidationValue) ??
      money(aggregated.liquidationValue),
    availableBalance: margin
      ? (money(current.availableFunds) ?? money(current.cashAvailableForTrading))
      : (money(current.cashAvailableForTrading) ?? money(current.availableFunds)),
    // Cash as Schwab reports it (bank sweep included); money market funds are positions, never added
    // here, so cash plus positions equals the liquidation value and nothing is counted twice.
    cashBalance: money(current.cashBalance) ?? money(current.totalCash),
    positions: uniquePositionIds(list(account.positions).flatMap(toPosition)),
    asOf,
    metadata: accountMetadata(rawType, account, current),
  };
}

function nicknameType(nickname: string | null): AccountType | null {
  if (nickname === null) return null;
  return NICKNAME_TYPES.find(([pattern]) => pattern.test(nickname))?.[1] ?? null;
}

function accountMetadata(
  rawType: string,
  account: SchwabSecuritiesAccount,
  current: SchwabBalances,
): Record<string, unknown> {
  const balances: Record<string, string> = {};
  for (const field of KEPT_BALANCES) {
    const value = money(current[field]);
    if (value !== null) balances[field] = value;
  }
  const metadata: Record<string, unknown> = { schwab_type: rawType, balances };
  const roundTrips = account.roundTrips;
  if (typeof roundTrips === 'number' && Number.isSafeInteger(roundTrips)) metadata.round_trips = roundTrips;
  for (const [key, field] of [
    ['is_day_trader', 'isDayTrader'],
    ['is_closing_only_restricted', 'isClosingOnlyRestricted'],
    ['pfcb_flag', 'pfcbFlag'],
  ] as const) {
    const value = flag(account[field]);
    if (value !== null) metadata[key] = value;
  }
  return metadata;
}

function toPosition(value: unknown): ProviderPosition[] {
  const position = record<SchwabPosition>(value);
  if (!position) return [];
  const facts = instrumentFacts(position.instrument);
  const instrument = record<SchwabInstrument>(position.instrument) ?? {};
  // The symbol names the holding; a CUSIP or Schwab's instrument id stands in when it is missing.
  const symbol = facts.symbol ?? facts.cusip ?? identifier(instrument.instrumentId, LIMITS.symbol);
  if (!symbol) return [];
  const long = quantity(position.longQuantity) ?? '0';
  const short = quantity(position.shortQuantity) ?? '0';
  const net = subtractDecimals(long, short);
  if (!fitsNumeric(net, 19, 8)) return [];
  const isShort = signOf(short) > 0 && signOf(long) === 0;
  const averagePrice =
    quantity(position.averagePrice) ?? quantity(isShort ? position.averageShortPrice : position.averageLongPrice);
  return [
    {
      // Long and short holdings of one instrument are two positions (Schwab lists them apart).
      providerPositionId: `${facts.assetType}:${symbol}${isShort ? ':short' : ''}`,
      symbol,
      description: facts.description,
      assetType: facts.unified,
      rawAssetType: rawAssetLabel(facts),
      quantity: net,
      averagePrice,
      marketValue: money(position.marketValue),
      costBasis: averagePrice === null ? null : costBasis(averagePrice, net, facts.assetType, instrument),
    },
  ];
}

/**
 * Average price × quantity × what one unit of price is worth: an option's price is per share of a
 * contract (× its multiplier, 100 by default), a bond's is a percentage of its face value (÷ 100).
 */
function costBasis(averagePrice: string, net: string, assetType: string, instrument: SchwabInstrument): string | null {
  const code = assetType.toUpperCase();
  const multiplier = quantity(instrument.optionMultiplier);
  const factor =
    code === 'OPTION'
      ? multiplier !== null && signOf(multiplier) > 0
        ? multiplier
        : '100'
      : code === 'FIXED_INCOME'
        ? '0.01'
        : '1';
  const basis = multiplyDecimals(multiplyDecimals(averagePrice, net), factor);
  return fitsNumeric(basis, 19, 4) ? basis : null;
}

/** Ids must be unique per account: a repeated one (never seen from Schwab) gets `#2`, `#3`, … in order. */
function uniquePositionIds(positions: ProviderPosition[]): ProviderPosition[] {
  const used = new Set<string>();
  return positions.map((position) => {
    let id = position.providerPositionId;
    for (let n = 2; used.has(id); n += 1) id = `${position.providerPositionId}#${n}`;
    used.add(id);
    return id === position.providerPositionId ? position : { ...position, providerPositionId: id };
  });
}
