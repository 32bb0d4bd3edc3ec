import { absDecimal, negateDecimal, signOf } from '../decimal';
import type {
  AccountType,
  AssetType,
  ProviderAccount,
  ProviderAccountNumber,
  ProviderPosition,
} from '../provider-data.types';
import { flag, identifier, label, LIMITS, list, lookup, money, quantity, record } from '../schwab/wire-values';
import type { AlpacaEnvironment } from './alpaca-credentials';
import type { AlpacaAccount, AlpacaPosition } from './alpaca.types';

const ASSET_TYPES: Record<string, AssetType> = { us_equity: 'equity', us_option: 'option', crypto: 'crypto' };

// Non-secret balance fields worth keeping in the account's metadata, as Alpaca names them.
const KEPT_BALANCES = [
  'accrued_fees',
  'buying_power',
  'cash',
  'daytrading_buying_power',
  'equity',
  'initial_margin',
  'last_equity',
  'last_maintenance_margin',
  'long_market_value',
  'maintenance_margin',
  'non_marginable_buying_power',
  'options_buying_power',
  'pending_transfer_in',
  'pending_transfer_out',
  'regt_buying_power',
  'short_market_value',
  'sma',
] as const;

const KEPT_FLAGS = [
  'pattern_day_trader',
  'trading_blocked',
  'transfers_blocked',
  'account_blocked',
  'trade_suspended_by_user',
  'shorting_enabled',
] as const;

/** The last four digits of an account number; null when it has none (the column holds digits only). */
function maskOf(accountNumber: string): string | null {
  const digits = accountNumber.replace(/\D/g, '');
  return digits === '' ? null : digits.slice(-4);
}

/** `GET /v2/account` as the one account number a key pair reaches; empty when it lacks the number or id. */
export function toAccountNumbers(body: unknown): ProviderAccountNumber[] {
  const account = record<AlpacaAccount>(body);
  const accountNumber = identifier(account?.account_number, 64);
  const accountId = identifier(account?.id, LIMITS.providerId);
  return accountNumber && accountId ? [{ accountNumber, accountId }] : [];
}

/**
 * `GET /v2/account` and `GET /v2/positions` as Dashtam's account: a key pair reaches exactly one.
 * Empty when the account answer has no usable id (nothing could key it across syncs).
 */
export function toAccounts(
  accountBody: unknown,
  positionsBody: unknown,
  environment: AlpacaEnvironment,
  asOf: Date,
): ProviderAccount[] {
  const account = record<AlpacaAccount>(accountBody);
  const accountId = identifier(account?.id, LIMITS.providerId);
  if (!account || !accountId) return [];
  const number = identifier(account.account_number, 64);
  const mask = number === null ? null : maskOf(number);
  const multiplier = quantity(account.multiplier);
  // Alpaca accounts are brokerage accounts: multiplier 1 is a cash account, 2 or 4 a margin one.
  const cash = multiplier === '1';
  const margin = !cash && multiplier !== null && signOf(multiplier) > 0;
  const accountType: AccountType = cash ? 'cash' : margin ? 'margin' : 'other';
  const labelText = `Alpaca ${environment === 'paper' ? 'Paper' : 'Live'}`;
  return [
    {
      accountId,
      mask,
      name: mask ? `${labelText} ...${mask}` : `${labelText} account`,
      accountType,
      institutionAccountType: cash ? 'CASH' : margin ? 'MARGIN' : 'UNKNOWN',
      currency: currencyOf(account.currency),
      // Equity is the account's total value (cash plus long minus short market value).
      currentBalance: money(account.equity) ?? money(account.portfolio_value),
      // What Alpaca shows as "Buying power": the cash for a cash account, margin included otherwise.
      availableBalance: money(account.buying_power),
      cashBalance: money(account.cash),
      positions: toPositions(positionsBody),
      asOf,
      metadata: accountMetadata(account, environment, multiplier),
    },
  ];
}

function currencyOf(value: unknown): string {
  return typeof value === 'string' && /^[A-Z]{3}$/.test(value) ? value : 'USD';
}

function accountMetadata(
  account: AlpacaAccount,
  environment: AlpacaEnvironment,
  multiplier: string | null,
): Record<string, unknown> {
  const balances: Record<string, string> = {};
  for (const field of KEPT_BALANCES) {
    const value = money(account[field]);
    if (value !== null) balances[field] = value;
  }
  const metadata: Record<string, unknown> = { environment, balances };
  const keep = (key: string, value: unknown) => {
    if (value !== null) metadata[key] = value;
  };
  keep('alpaca_status', identifier(account.status, 32));
  keep('crypto_status', identifier(account.crypto_status, 32));
  keep('multiplier', multiplier);
  keep('created_at', label(account.created_at, 40));
  for (const field of KEPT_FLAGS) keep(field, flag(account[field]));
  const daytrades = account.daytrade_count;
  if (typeof daytrades === 'number' && Number.isSafeInteger(daytrades)) metadata.daytrade_count = daytrades;
  const optionsLevel = account.options_trading_level;
  if (typeof optionsLevel === 'number' && Number.isSafeInteger(optionsLevel)) {
    metadata.options_trading_level = optionsLevel;
  }
  return metadata;
}

/** Positions with ids unique per account: the same id twice would be two upserts of one row. */
export function toPositions(body: unknown): ProviderPosition[] {
  const seen = new Set<string>();
  return list(body).flatMap((value) => {
    const position = toPosition(value);
    if (!position || seen.has(position.providerPositionId)) return [];
    seen.add(position.providerPositionId);
    return [position];
  });
}

function toPosition(value: unknown): ProviderPosition | null {
  const raw = record<AlpacaPosition>(value);
  const symbol = identifier(raw?.symbol, LIMITS.symbol);
  const rawQuantity = quantity(raw?.qty);
  if (!raw || !symbol || rawQuantity === null) return null;
  const rawAssetType = identifier(raw.asset_class, LIMITS.rawType) ?? 'unknown';
  const assetId = identifier(raw.asset_id, LIMITS.positionId);
  return {
    // The asset id outlives a symbol change (a ticker rename keeps the holding); the symbol stands in without it.
    providerPositionId: assetId ?? `${rawAssetType}:${symbol}`,
    symbol,
    description: null,
    assetType: lookup(ASSET_TYPES, rawAssetType.toLowerCase()) ?? 'other',
    rawAssetType,
    // Alpaca signs short quantities already; a short sent unsigned is still negative here.
    quantity:
      identifier(raw.side, 16)?.toLowerCase() === 'short' ? negateDecimal(absDecimal(rawQuantity)) : rawQuantity,
    averagePrice: quantity(raw.avg_entry_price),
    marketValue: money(raw.market_value),
    costBasis: money(raw.cost_basis),
  };
}
