/** BullMQ names of the sync engine. Queue names may not contain ':'. */
export const SYNC_QUEUE = 'provider-sync';
export const SYNC_SCAN_SCHEDULER_ID = 'scan-due-syncs';
export const SYNC_SCAN_JOB = 'scan';
export const SYNC_RUN_JOB = 'run';

export interface SyncJobData {
  syncId: string;
}

/**
 * One job per sync (`sync-<id>`): BullMQ ignores an add whose id exists, so a sync is enqueued once
 * however many times it is dispatched. A re-dispatch of a stale sync carries its staleness generation
 * (its last sign of life), so every instance's scan derives the same id for the same stale sync.
 */
export function syncJobId(syncId: string, generation?: string): string {
  return generation ? `sync-${syncId}-${generation}` : `sync-${syncId}`;
}
