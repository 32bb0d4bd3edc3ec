import { absDecimal, addDecimals, multiplyDecimals, subtractDecimals, toDecimal } from '../decimal';
import type { TokenSet } from '../provider-client';
import type {
  AccountType,
  AssetType,
  ProviderAccount,
  ProviderAccountNumber,
  ProviderPosition,
  ProviderTransaction,
  TransactionStatus,
  TransactionType,
} from '../provider-data.types';
import type {
  SchwabAccount,
  SchwabAccountNumber,
  SchwabPosition,
  SchwabTokenResponse,
  SchwabTransaction,
  SchwabTransferItem,
} from './schwab.types';

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

export function toAccountNumbers(body: unknown): ProviderAccountNumber[] {
  if (!Array.isArray(body)) return [];
  return (body as SchwabAccountNumber[]).flatMap((entry) => {
    const accountNumber = text(entry?.accountNumber);
    const accountId = text(entry?.hashValue);
    return accountNumber && accountId ? [{ accountNumber, accountId }] : [];
  });
}

const ACCOUNT_TYPES: Record<string, AccountType> = { CASH: 'cash', MARGIN: 'margin' };
const ACCOUNT_LABELS: Record<string, string> = { CASH: 'Cash', MARGIN: 'Margin' };

/** Accounts with balances and positions; `hashes` joins Schwab's plain account numbers to their opaque ids. */
export function toAccounts(body: unknown, hashes: ProviderAccountNumber[], asOf: Date): ProviderAccount[] {
  if (!Array.isArray(body)) return [];
  const idByNumber = new Map(hashes.map((h) => [h.accountNumber, h.accountId]));
  return (body as SchwabAccount[]).flatMap((entry) => {
    const account = entry?.securitiesAccount;
    const number = text(account?.accountNumber);
    if (!account || !number) return [];
    const type = text(account.type) ?? 'UNKNOWN';
    const mask = number.slice(-4);
    const balances = account.currentBalances ?? {};
    return [
      {
        accountId: idByNumber.get(number) ?? null,
        mask,
        name: `${ACCOUNT_LABELS[type] ?? 'Brokerage'} ...${mask}`,
        accountType: ACCOUNT_TYPES[type] ?? 'other',
        institutionAccountType: type,
        currency: 'USD',
        currentBalance: toDecimal(balances.liquidationValue) ?? toDecimal(entry.aggregatedBalance?.liquidationValue),
        cashBalance: toDecimal(balances.cashBalance),
        availableBalance:
          toDecimal(balances.availableFunds) ??
          toDecimal(balances.cashAvailableForTrading) ??
          toDecimal(balances.cashBalance),
        positions: (account.positions ?? []).flatMap(toPosition),
        asOf,
        metadata: { schwab_type: type },
      },
    ];
  });
}

function toPosition(position: SchwabPosition): ProviderPosition[] {
  const symbol = text(position?.instrument?.symbol);
  if (!symbol) return [];
  const quantity = subtractDecimals(toDecimal(position.longQuantity) ?? '0', toDecimal(position.shortQuantity) ?? '0');
  const averagePrice = toDecimal(position.averagePrice);
  const rawAssetType = text(position.instrument?.assetType) ?? 'UNKNOWN';
  return [
    {
      providerPositionId: `${rawAssetType}:${symbol}`,
      symbol,
      description: text(position.instrument?.description),
      assetType: ASSET_TYPES[rawAssetType] ?? 'other',
      rawAssetType,
      quantity,
      averagePrice,
      marketValue: toDecimal(position.marketValue),
      costBasis: averagePrice === null ? null : multiplyDecimals(averagePrice, quantity),
    },
  ];
}

const ASSET_TYPES: Record<string, AssetType> = {
  EQUITY: 'equity',
  ETF: 'etf',
  OPTION: 'option',
  MUTUAL_FUND: 'mutual_fund',
  FIXED_INCOME: 'fixed_income',
  CASH_EQUIVALENT: 'cash_equivalent',
};

const TRANSACTION_TYPES: Record<string, TransactionType> = {
  DIVIDEND_OR_INTEREST: 'dividend',
  ACH_RECEIPT: 'deposit',
  ACH_DISBURSEMENT: 'withdrawal',
  CASH_RECEIPT: 'deposit',
  CASH_DISBURSEMENT: 'withdrawal',
  WIRE_IN: 'deposit',
  WIRE_OUT: 'withdrawal',
  JOURNAL: 'journal',
  RECEIVE_AND_DELIVER: 'transfer',
};

const STATUSES: Record<string, TransactionStatus> = {
  VALID: 'posted',
  PENDING: 'pending',
  CANCELED: 'cancelled',
  INVALID: 'cancelled',
};

export function toTransactions(body: unknown): ProviderTransaction[] {
  if (!Array.isArray(body)) return [];
  return (body as SchwabTransaction[]).flatMap((raw) => {
    const id = raw?.activityId;
    const providerTransactionId = typeof id === 'number' || typeof id === 'string' ? String(id) : null;
    const date = parseDate(raw?.tradeDate) ?? parseDate(raw?.time);
    if (!providerTransactionId || !date) return [];
    const items = raw.transferItems ?? [];
    // The traded instrument is the item that is neither a fee nor the cash leg.
    const security = items.find((item) => !item.feeType && text(item.instrument?.assetType) !== 'CURRENCY');
    const rawType = text(raw.type) ?? 'UNKNOWN';
    return [
      {
        providerTransactionId,
        date: date.toISOString().slice(0, 10),
        settlementDate: parseDate(raw.settlementDate)?.toISOString().slice(0, 10) ?? null,
        description: text(raw.description),
        type: tradeType(rawType, toDecimal(raw.netAmount)),
        rawType,
        amount: toDecimal(raw.netAmount) ?? '0',
        currency: 'USD',
        symbol: text(security?.instrument?.symbol),
        quantity: toDecimal(security?.amount),
        price: toDecimal(security?.price),
        fees: sumFees(items),
        status: STATUSES[text(raw.status) ?? ''] ?? 'posted',
        details: { transfer_items: items },
      },
    ];
  });
}

function tradeType(rawType: string, netAmount: string | null): TransactionType {
  if (rawType === 'TRADE') return netAmount?.startsWith('-') ? 'buy' : 'sell';
  return TRANSACTION_TYPES[rawType] ?? 'other';
}

function sumFees(items: SchwabTransferItem[]): string {
  return items
    .filter((item) => item.feeType)
    .reduce(
      (total, item) => addDecimals(total, absDecimal(toDecimal(item.cost) ?? toDecimal(item.amount) ?? '0')),
      '0',
    );
}

function parseDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
