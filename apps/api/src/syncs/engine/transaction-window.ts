const DAY_MS = 86_400_000;

/** The longest date range one transactions request may span (Schwab: one year). */
export const MAX_REQUEST_DAYS = 365;

/** What one sync reads of one account's transactions. */
export interface TransactionWindow {
  from: Date;
  to: Date;
  /** Requests of at most MAX_REQUEST_DAYS each, oldest first, together covering from..to. */
  requests: Array<{ from: Date; to: Date }>;
  /**
   * The calendar days (UTC) the window covers completely: after `after`, through `through`. Only there
   * can a pending transaction that was not returned be known to be gone.
   */
  after: string;
  through: string;
}

export interface WindowSettings {
  historyDays: number;
  overlapDays: number;
}

/**
 * The first sync of an account reads `historyDays` back; later ones start `overlapDays` before the
 * last complete read, so transactions that posted late (or moved from pending to posted) are read
 * again — upserts make the re-read harmless. Never further back than `historyDays`.
 */
export function transactionWindow(now: Date, lastSyncedAt: Date | null, settings: WindowSettings): TransactionWindow {
  const to = now.getTime();
  const oldest = to - settings.historyDays * DAY_MS;
  const from =
    lastSyncedAt === null ? oldest : Math.max(oldest, lastSyncedAt.getTime() - settings.overlapDays * DAY_MS);
  const requests: Array<{ from: Date; to: Date }> = [];
  for (let end = to; end > from; end -= MAX_REQUEST_DAYS * DAY_MS) {
    requests.unshift({ from: new Date(Math.max(from, end - MAX_REQUEST_DAYS * DAY_MS)), to: new Date(end) });
  }
  if (requests.length === 0) requests.push({ from: new Date(from), to: new Date(to) });
  return { from: new Date(from), to: new Date(to), requests, after: isoDay(from), through: isoDay(to) };
}

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
