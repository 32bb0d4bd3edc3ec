import type { GeneratedAccount } from './account.generator';
import { amount } from './money';
import { DAY_MS } from './quotes';
import { schwabTime } from './schwab-time';
import { SeededRandom } from './seeded-random';
import { cashItem } from './transaction-json';
import { ACTIVITY_ID_BLOCK, type GeneratedTransaction, HISTORY_DAYS } from './transaction.generator';

/** Money movements that go through PENDING before they post. */
export const TRANSFER_TYPES = ['ACH_RECEIPT', 'ACH_DISBURSEMENT', 'ELECTRONIC_FUND', 'CASH_RECEIPT'] as const;
type TransferType = (typeof TRANSFER_TYPES)[number];

const MIX: ReadonlyArray<readonly [TransferType, number]> = [
  ['ACH_RECEIPT', 40],
  ['ACH_DISBURSEMENT', 20],
  ['ELECTRONIC_FUND', 20],
  ['CASH_RECEIPT', 20],
];

// Posted transfers take ids from this offset within the account's block; pending ones live in a
// block of their own, so a posted transfer never reuses its pending id.
const TRANSFER_ID_OFFSET = 900_000_000;
const PENDING_SALT = 100_000;
const HOUR_MS = 3_600_000;

/**
 * The user's scheduled transfers: one a day, taking turns among the user's lasting accounts (day d
 * belongs to participant d mod n). Returns the days, oldest first, whose transfer is this account's
 * within the history window before `today` — at most `limit`, the most recent ones.
 */
export function transferDays(participantIndex: number, participants: number, today: number, limit: number): number[] {
  if (participantIndex < 0 || participants === 0 || limit <= 0) return [];
  const days: number[] = [];
  const from = today - HISTORY_DAYS;
  const firstDay = from + ((((participantIndex - from) % participants) + participants) % participants);
  for (let day = firstDay; day < today; day += participants) days.push(day);
  return days.slice(Math.max(0, days.length - limit));
}

/**
 * Day `day`'s transfer as seen on `today`. It is initiated that day and shows from the next day as
 * PENDING; `pendingDays` later it posts: the PENDING one is gone and a VALID one with a new
 * activityId, the same amount and items, dated the posting day takes its place.
 */
export function transferOn(
  seed: string,
  user: string,
  account: GeneratedAccount,
  day: number,
  today: number,
): GeneratedTransaction {
  const rng = new SeededRandom(seed, 'transfer', user, account.accountNumber, day);
  const type = rng.weighted(MIX);
  const { cents, description, pendingDays } = content(rng, type);
  const initiatedMs = day * DAY_MS + 13 * HOUR_MS + rng.int(0, 8 * 3600) * 1000;
  const postedMs = (day + pendingDays) * DAY_MS + 13 * HOUR_MS + rng.int(0, 3 * 3600) * 1000;
  const posted = today > day + pendingDays;
  const timeMs = posted ? postedMs : initiatedMs;
  const salt = posted ? account.activitySalt : account.activitySalt + PENDING_SALT;
  const activityId = salt * ACTIVITY_ID_BLOCK + TRANSFER_ID_OFFSET + day;
  const time = schwabTime(timeMs);
  return {
    timeMs,
    type,
    symbol: undefined,
    activityId,
    json: {
      activityId,
      time,
      accountNumber: account.accountNumber,
      type,
      status: posted ? 'VALID' : 'PENDING',
      subAccount: 'CASH',
      tradeDate: time,
      settlementDate: schwabTime(postedMs),
      description,
      activityType: 'TRANSFER',
      netAmount: amount(cents),
      transferItems: [cashItem(cents)],
    },
  };
}

/** How long each kind of transfer stays pending: ACH two days, electronic transfers one, checks one or two. */
function content(rng: SeededRandom, type: TransferType): { cents: number; description: string; pendingDays: number } {
  switch (type) {
    case 'ACH_RECEIPT':
      return { cents: rng.int(10_000, 2_000_000), description: 'ACH DEPOSIT', pendingDays: 2 };
    case 'ACH_DISBURSEMENT':
      return { cents: -rng.int(10_000, 1_000_000), description: 'ACH WITHDRAWAL', pendingDays: 2 };
    case 'ELECTRONIC_FUND': {
      const incoming = rng.next() < 0.6;
      const cents = rng.int(5_000, 500_000);
      return incoming
        ? { cents, description: 'EFT FUNDS RECEIVED', pendingDays: 1 }
        : { cents: -cents, description: 'EFT FUNDS DISBURSED', pendingDays: 1 };
    }
    case 'CASH_RECEIPT':
      return { cents: rng.int(2_000, 300_000), description: 'MOBILE CHECK DEPOSIT', pendingDays: rng.int(1, 2) };
  }
}
