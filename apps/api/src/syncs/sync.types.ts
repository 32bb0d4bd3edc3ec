import type { ConnectionStatus, SyncStatus, SyncTrigger } from '@dashtam/database';

/** What one sync did to one kind of row. */
export interface Tally {
  created: number;
  updated: number;
  unchanged: number;
}

export interface SyncCounts {
  accounts: Tally;
  positions: Tally;
  transactions: Tally;
}

export type RowOutcome = keyof Tally;

export const emptyTally = (): Tally => ({ created: 0, updated: 0, unchanged: 0 });

export const emptyCounts = (): SyncCounts => ({
  accounts: emptyTally(),
  positions: emptyTally(),
  transactions: emptyTally(),
});

export function addTally(into: Tally, add: Tally): void {
  into.created += add.created;
  into.updated += add.updated;
  into.unchanged += add.unchanged;
}

/** A sync as the API shows it. */
export interface SyncView {
  id: string;
  connectionId: string;
  userId: string | null;
  status: SyncStatus;
  trigger: SyncTrigger;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  counts: SyncCounts;
  error: string | null;
  /** What went wrong on the institution's side without failing the sync (SimpleFIN's `errors`), sanitised. */
  warnings: string[];
}

/**
 * A sync this process has claimed. `lease` is its `started_at` as PostgreSQL's own text (microseconds
 * kept): every later write is conditioned on it, so a process whose sync was taken over writes nothing.
 */
export interface ClaimedSync {
  id: string;
  connectionId: string;
  trigger: SyncTrigger;
  lease: string;
  startedAt: Date;
  /** The sync was running elsewhere (its process died) and is picked up here. */
  resumed: boolean;
  providerId: string;
  userId: string;
  providerKey: string;
  connectionStatus: ConnectionStatus;
  providerDeleted: boolean;
}

/** A sync for the engine to run, and whether the caller knows its previous runner is gone. */
export interface SyncDispatch {
  syncId: string;
  /** Job id suffix for a re-dispatch, so all instances dispatch the same stale sync once. */
  generation?: string;
  takeover?: boolean;
}
