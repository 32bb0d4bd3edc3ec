import { isLasting } from './account-profiles';
import type { GeneratedAccount } from './account.generator';
import { dayOf } from './quotes';
import { type GeneratedTransaction, generateTransaction, slotAt, timelineAt } from './transaction.generator';
import { transferDays, transferOn } from './transfers';

export interface ActivityQuery {
  start: number;
  end: number;
  types: ReadonlySet<string>;
  symbol: string | undefined;
}

export interface ActivityScope {
  seed: string;
  user: string;
  /** Transactions per account over the two-year history (grid and scheduled transfers together). */
  perAccount: number;
  /** The user's accounts being served, in order: the lasting ones take turns for the daily transfer. */
  accounts: readonly GeneratedAccount[];
  now: number;
  limit: number;
}

// A transfer posts at most this many days after it was initiated (transfers.ts).
const MAX_PENDING_DAYS = 2;

/**
 * One account's transactions in [start, end], newest first (ties: higher activityId first), at most
 * `limit`. The grid is walked backwards from the range's end and stops once the page is full (grid
 * times only decrease slot by slot); the few scheduled transfers are merged in.
 */
export function accountTransactions(
  account: GeneratedAccount,
  query: ActivityQuery,
  scope: ActivityScope,
): GeneratedTransaction[] {
  const today = dayOf(scope.now);
  const participants = scope.accounts.filter((a) => isLasting(a.kind));
  const days = transferDays(participants.indexOf(account), participants.length, today, scope.perAccount);
  const timeline = timelineAt(scope.now, scope.perAccount, scope.perAccount - days.length);
  const matches = (tx: GeneratedTransaction) =>
    tx.timeMs >= query.start &&
    tx.timeMs <= query.end &&
    query.types.has(tx.type) &&
    (query.symbol === undefined || tx.symbol === query.symbol);

  const found: GeneratedTransaction[] = [];
  const from = Math.max(timeline.first, slotAt(query.start, timeline));
  for (
    let slot = Math.min(timeline.last, slotAt(query.end, timeline));
    slot >= from && found.length < scope.limit;
    slot--
  ) {
    const tx = generateTransaction(scope.seed, scope.user, account, slot, timeline);
    if (matches(tx)) found.push(tx);
  }
  const firstDay = dayOf(query.start) - MAX_PENDING_DAYS;
  const lastDay = dayOf(query.end);
  for (const day of days) {
    if (day < firstDay || day > lastDay) continue;
    const tx = transferOn(scope.seed, scope.user, account, day, today);
    if (matches(tx)) found.push(tx);
  }
  return found.sort((a, b) => b.timeMs - a.timeMs || b.activityId - a.activityId).slice(0, scope.limit);
}
