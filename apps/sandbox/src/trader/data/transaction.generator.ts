import type { GeneratedAccount } from './account.generator';
import { gridActivity } from './grid-activity';
import { amount } from './money';
import { DAY_MS, dayOf } from './quotes';
import { schwabTime } from './schwab-time';
import { SeededRandom } from './seeded-random';

/** Every `TransactionType` of Schwab's Trader API; `types` must name them explicitly. */
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

/** Every account's grid is counted from here, so an activity keeps its id and content as days pass. */
const EPOCH_MS = Date.UTC(2020, 0, 1);
/**
 * How far back an account's history reaches: the 729 whole days before today, so "the last two
 * years" asked from any moment of today covers all of it.
 */
export const HISTORY_DAYS = 729;
export const HISTORY_MS = HISTORY_DAYS * DAY_MS;
/** Schwab answers at most one year per transactions request. */
export const MAX_RANGE_MS = 365 * DAY_MS;

/** One generated transaction and what queries filter on. */
export interface GeneratedTransaction {
  timeMs: number;
  type: TransactionType;
  symbol: string | undefined;
  activityId: number;
  json: Record<string, unknown>;
}

/**
 * Which grid slots hold an account's regular activity: `count` slots, `spacingMs` apart, ending with
 * the slot that closes before the start of the current (sandbox-clock) UTC day. Stable for a whole
 * day; slot k is always the same transaction for the same seed, user, account and volume.
 */
export interface Timeline {
  spacingMs: number;
  first: number;
  last: number;
}

/**
 * `perAccount` sets the spacing (the two-year history holds perAccount slots plus one), `count` how
 * many of the most recent slots exist: perAccount minus the account's scheduled transfers, so an
 * account holds exactly perAccount transactions in all.
 */
export function timelineAt(now: number, perAccount: number, count = perAccount): Timeline {
  const dayStart = dayOf(now) * DAY_MS;
  const spacingMs = Math.floor(HISTORY_MS / (perAccount + 1));
  const last = Math.floor((dayStart - EPOCH_MS) / spacingMs) - 1;
  return { spacingMs, first: last - Math.max(0, count) + 1, last };
}

/** The grid slot an instant falls in. */
export const slotAt = (ms: number, timeline: Timeline): number => Math.floor((ms - EPOCH_MS) / timeline.spacingMs);

/** Grid activity ids: salt × 10^9 + slot. Scheduled transfers use ids from 900,000,000 up (transfers.ts). */
export const ACTIVITY_ID_BLOCK = 1_000_000_000;

/** The regular (grid) transaction in one slot: always VALID, never changes once it exists. */
export function generateTransaction(
  seed: string,
  user: string,
  account: GeneratedAccount,
  slot: number,
  timeline: Timeline,
): GeneratedTransaction {
  const rng = new SeededRandom(seed, 'tx', user, account.accountNumber, timeline.spacingMs, slot);
  const timeMs = Math.floor((EPOCH_MS + slot * timeline.spacingMs + rng.next() * timeline.spacingMs) / 1000) * 1000;
  const activityId = account.activitySalt * ACTIVITY_ID_BLOCK + slot;
  const activity = gridActivity({ seed, rng, account, timeMs, day: dayOf(timeMs) });
  const time = schwabTime(timeMs);
  const trade = activity.type === 'TRADE';
  const json = {
    activityId,
    time,
    accountNumber: account.accountNumber,
    type: activity.type,
    status: 'VALID',
    subAccount: activity.subAccount ?? (account.type === 'MARGIN' ? 'MARGIN' : 'CASH'),
    tradeDate: time,
    // Trades settle the next business day (T+1); everything else settles at once.
    settlementDate: schwabTime(trade ? timeMs + DAY_MS : timeMs),
    ...activity.fields,
    ...(trade ? { orderId: 1_000_000_000_000_000 + activityId } : {}),
    netAmount: amount(activity.netCents),
    transferItems: activity.transferItems,
  };
  return { timeMs, type: activity.type, symbol: activity.symbol, activityId, json };
}
