import { registerAs } from '@nestjs/config';
import * as Joi from 'joi';

import { defineNamespace } from '../config-namespace';
import { bool, flag, integer } from '../env-variable';
import { getConfig } from '../load-config';

/** Syncing linked institutions' accounts, positions, balances and transactions (SPEC §4, §8). */
export interface SyncConfig {
  /** Seconds between scans for due connections and interrupted syncs; 0 = this instance schedules none. */
  scanSeconds: number;
  /** Syncs one instance runs at once. */
  concurrency: number;
  /** How far back a connection's first sync reads transactions. */
  historyDays: number;
  /** Later syncs re-read this many days before the last successful one (late and pending→posted rows). */
  overlapDays: number;
  /** Rows per upsert statement, each batch in its own database transaction. */
  batchSize: number;
  /** A running sync whose heartbeat is this old is taken over (its process died). */
  staleSeconds: number;
  /** The longest Retry-After a running sync waits out; a longer one fails it and moves the next sync. */
  retryAfterMaxSeconds: number;
  /** Linking an institution queues its first sync at once. */
  onLink: boolean;
}

export const syncNamespace = defineNamespace({
  name: 'sync',
  variables: {
    // 0: this instance neither schedules syncs nor recovers interrupted ones (manual syncs still run).
    SYNC_SCAN_SECONDS: integer(Joi.number().integer().min(0).max(3600).required()),
    SYNC_CONCURRENCY: integer(Joi.number().integer().min(1).max(50).required()),
    SYNC_HISTORY_DAYS: integer(Joi.number().integer().min(1).max(3650).required()),
    SYNC_OVERLAP_DAYS: integer(Joi.number().integer().min(0).max(365).required()),
    SYNC_BATCH_SIZE: integer(Joi.number().integer().min(1).max(10_000).required()),
    SYNC_STALE_SECONDS: integer(Joi.number().integer().min(5).max(86_400).required()),
    SYNC_RETRY_AFTER_MAX_SECONDS: integer(Joi.number().integer().min(0).max(3600).required()),
    SYNC_ON_LINK: flag(bool.required()),
  },
  map: (env): SyncConfig => ({
    scanSeconds: env.SYNC_SCAN_SECONDS,
    concurrency: env.SYNC_CONCURRENCY,
    historyDays: env.SYNC_HISTORY_DAYS,
    overlapDays: env.SYNC_OVERLAP_DAYS,
    batchSize: env.SYNC_BATCH_SIZE,
    staleSeconds: env.SYNC_STALE_SECONDS,
    retryAfterMaxSeconds: env.SYNC_RETRY_AFTER_MAX_SECONDS,
    onLink: env.SYNC_ON_LINK,
  }),
});

export const syncConfig = registerAs('sync', (): SyncConfig => getConfig().sync);
