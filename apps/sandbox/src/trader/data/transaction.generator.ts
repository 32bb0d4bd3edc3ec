import type { GeneratedAccount } from './account.generator';
import { type Instrument, TRADABLE, USD_CURRENCY } from './instruments';
import { amount, scaleCents } from './money';
import { schwabTime } from './schwab-time';
import { SeededRandom } from './seeded-random';

export const TRANSACTION_TYPES = [
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
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

const DAY_MS = 86_400_000;
/** Every account's activity sits on one grid counted from here, so an activity keeps its id as days pass. */
const EPOCH_MS = Date.UTC(2020, 0, 1);
export const HISTORY_MS = 365 * DAY_MS;

const MIX: ReadonlyArray<readonly [TransactionType, number]> = [
  ['TRADE', 60],
  ['DIVIDEND_OR_INTEREST', 18],
  ['ACH_RECEIPT', 8],
  ['ACH_DISBURSEMENT', 5],
  ['JOURNAL', 4],
  ['WIRE_IN', 3],
  ['WIRE_OUT', 2],
];

/**
 * Which grid slots hold an account's transactions: the `perAccount` slots of the year that ends at
 * the start of the current (sandbox-clock) UTC day. Stable for a whole day; slot k is always the
 * same transaction for the same seed, user, account and volume.
 */
export interface Timeline {
  spacingMs: number;
  first: number;
  last: number;
  /** Activity at or after this instant is still PENDING. */
  pendingFrom: number;
}

export function timelineAt(now: number, perAccount: number): Timeline {
  const dayStart = Math.floor(now / DAY_MS) * DAY_MS;
  const spacingMs = Math.floor(HISTORY_MS / perAccount);
  const last = Math.floor((dayStart - EPOCH_MS) / spacingMs) - 1;
  return { spacingMs, first: last - perAccount + 1, last, pendingFrom: dayStart - DAY_MS };
}

/** The grid slot an instant falls in. */
export const slotAt = (ms: number, timeline: Timeline): number => Math.floor((ms - EPOCH_MS) / timeline.spacingMs);

export interface GeneratedTransaction {
  timeMs: number;
  type: TransactionType;
  symbol: string | undefined;
  json: Record<string, unknown>;
}

export function generateTransaction(
  seed: string,
  user: string,
  account: GeneratedAccount,
  slot: number,
  timeline: Timeline,
): GeneratedTransaction {
  const rng = new SeededRandom(seed, 'tx', user, account.accountNumber, timeline.spacingMs, slot);
  const timeMs = Math.floor((EPOCH_MS + slot * timeline.spacingMs + rng.next() * timeline.spacingMs) / 1000) * 1000;
  const activityId = account.activitySalt * 1_000_000_000 + slot;
  let type = rng.weighted(MIX);
  const holdings = account.positions.map((p) => p.instrument).filter((i) => i.paysDividends);
  if (type === 'DIVIDEND_OR_INTEREST' && holdings.length === 0) type = 'JOURNAL';
  const time = schwabTime(timeMs);
  const base = {
    activityId,
    time,
    accountNumber: account.accountNumber,
    type,
    status: timeMs >= timeline.pendingFrom ? 'PENDING' : 'VALID',
    subAccount: account.type === 'MARGIN' ? 'MARGIN' : 'CASH',
    tradeDate: time,
  };

  if (type === 'TRADE') {
    const instrument = rng.pick(TRADABLE);
    const trade = tradeParts(rng, instrument);
    return {
      timeMs,
      type,
      symbol: instrument.symbol,
      json: {
        ...base,
        settlementDate: schwabTime(timeMs + DAY_MS),
        positionId: (account.activitySalt * 100 + instrument.instrumentId) % 2_147_483_647,
        orderId: 1_000_000_000_000_000 + activityId,
        netAmount: amount(trade.netCents),
        activityType: 'EXECUTION',
        transferItems: trade.items,
      },
    };
  }

  const cash = cashParts(rng, type, holdings);
  return {
    timeMs,
    type,
    symbol: cash.instrument?.symbol,
    json: {
      ...base,
      description: cash.description,
      settlementDate: time,
      netAmount: amount(cash.netCents),
      activityType: 'TRANSFER',
      transferItems: [
        {
          instrument: cash.instrument ? transactionInstrument(cash.instrument) : USD_CURRENCY,
          amount: amount(cash.netCents),
          cost: cash.instrument ? 0 : amount(cash.netCents),
        },
      ],
    },
  };
}

function tradeParts(rng: SeededRandom, instrument: Instrument): { netCents: number; items: unknown[] } {
  const buy = rng.next() < 0.6;
  const quantity = rng.int(1, 100);
  const priceCents = scaleCents(instrument.basePriceCents, 0.8 + rng.next() * 0.4);
  const grossCents = quantity * priceCents;
  // SEC fee on sales only: roughly $27.80 per million, at least one cent.
  const secFeeCents = buy ? 0 : Math.max(1, Math.round(grossCents * 0.0000278));
  const netCents = buy ? -grossCents : grossCents - secFeeCents;
  return {
    netCents,
    items: [
      { instrument: USD_CURRENCY, amount: 0, cost: 0, feeType: 'COMMISSION' },
      { instrument: USD_CURRENCY, amount: amount(secFeeCents), cost: amount(-secFeeCents), feeType: 'SEC_FEE' },
      {
        instrument: { ...transactionInstrument(instrument), closingPrice: amount(priceCents) },
        amount: buy ? quantity : -quantity,
        cost: amount(buy ? -grossCents : grossCents),
        price: amount(priceCents),
        positionEffect: buy ? 'OPENING' : 'CLOSING',
      },
    ],
  };
}

interface CashParts {
  netCents: number;
  description: string;
  instrument: Instrument | undefined;
}

function cashParts(rng: SeededRandom, type: TransactionType, holdings: Instrument[]): CashParts {
  switch (type) {
    case 'DIVIDEND_OR_INTEREST': {
      const instrument = rng.pick(holdings);
      const description = instrument.assetType === 'CASH_EQUIVALENT' ? 'MONEY MARKET INTEREST' : 'ORDINARY DIVIDEND';
      return { netCents: rng.int(100, 50_000), description, instrument };
    }
    case 'ACH_RECEIPT':
      return { netCents: rng.int(10_000, 2_000_000), description: 'ACH DEPOSIT', instrument: undefined };
    case 'ACH_DISBURSEMENT':
      return { netCents: -rng.int(10_000, 1_000_000), description: 'ACH WITHDRAWAL', instrument: undefined };
    case 'WIRE_IN':
      return { netCents: rng.int(500_000, 10_000_000), description: 'WIRE INCOMING', instrument: undefined };
    case 'WIRE_OUT':
      return { netCents: -rng.int(500_000, 5_000_000), description: 'WIRE OUTGOING', instrument: undefined };
    default: {
      const cents = rng.int(1, 50_000);
      return { netCents: rng.next() < 0.5 ? cents : -cents, description: 'JOURNAL', instrument: undefined };
    }
  }
}

function transactionInstrument(instrument: Instrument): Record<string, unknown> {
  return {
    assetType: instrument.assetType,
    status: 'ACTIVE',
    symbol: instrument.symbol,
    description: instrument.description,
    instrumentId: instrument.instrumentId,
    cusip: instrument.cusip,
    type: instrument.type,
  };
}
