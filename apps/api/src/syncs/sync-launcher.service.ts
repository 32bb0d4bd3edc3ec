import { Inject, Injectable, Logger } from '@nestjs/common';

import { syncConfig, type SyncConfig } from '@dashtam/config';
import type { SyncTrigger } from '@dashtam/database';

import { ProviderCallBudget } from './provider-call-budget';
import { SyncDispatcher } from './sync-dispatcher';
import type { SyncView } from './sync.types';
import { type NewSync, SyncsRepository } from './syncs.repository';

// Rows one scan statement queues or re-dispatches at a time.
const SCAN_BATCH = 200;

/** What one scan did. */
export interface ScanResult {
  queued: number;
  recovered: number;
}

/**
 * Starts syncs: one asked for (linking, the API) or the ones the schedule says are due, and the ones
 * whose runner vanished. Inserting the `syncs` row decides (one in flight per connection, whoever
 * races); dispatching only tells a runner.
 */
@Injectable()
export class SyncLauncher {
  private readonly logger = new Logger(SyncLauncher.name);

  constructor(
    private readonly syncs: SyncsRepository,
    private readonly dispatcher: SyncDispatcher,
    private readonly budget: ProviderCallBudget,
    @Inject(syncConfig.KEY) private readonly config: SyncConfig,
  ) {}

  /** Queues and dispatches a sync; null when the connection already has one in flight. */
  async launch(input: NewSync): Promise<SyncView | null> {
    const sync = await this.syncs.insertQueued(input);
    if (sync) await this.dispatch(sync.id);
    return sync;
  }

  /**
   * The first sync of a connection that was just linked. Never fails the linking: a sync that could
   * not be queued now is queued by the next scan (the connection has never synced, so it is due).
   */
  async launchLinked(connectionId: string, userId: string): Promise<void> {
    if (!this.config.onLink) return;
    try {
      await this.launch({ connectionId, userId, trigger: 'linked' satisfies SyncTrigger });
    } catch (error) {
      this.logger.warn(`first sync of connection ${connectionId} not queued: ${(error as Error).name}`);
    }
  }

  /** Dispatches a queued sync; a dispatch that fails is retried by the scan once the sync looks stale. */
  async dispatch(syncId: string): Promise<void> {
    try {
      await this.dispatcher.dispatch([{ syncId }]);
    } catch (error) {
      this.logger.warn(`sync ${syncId} queued but not dispatched (the scan will): ${(error as Error).message}`);
    }
  }

  /**
   * One scan: re-dispatches syncs nobody has touched for the stale timeout (their job or process was
   * lost), then queues a scheduled sync for every due connection. Safe on every instance at once.
   */
  async scan(): Promise<ScanResult> {
    let recovered = 0;
    const stale = await this.syncs.findStale(this.config.staleSeconds, SCAN_BATCH);
    if (stale.length > 0) {
      await this.dispatcher.dispatch(stale.map((s) => ({ syncId: s.id, generation: s.generation })));
      recovered = stale.length;
      this.logger.warn(`re-dispatched ${stale.length} sync(s) without a sign of life`);
    }
    let queued = 0;
    // A connection whose daily budget is spent waits for midnight: the schedule never spends it.
    const spent = await this.budget.spentConnections();
    for (;;) {
      const ids = await this.syncs.queueDue(SCAN_BATCH, spent);
      if (ids.length > 0) await this.dispatcher.dispatch(ids.map((syncId) => ({ syncId })));
      queued += ids.length;
      if (ids.length < SCAN_BATCH) break;
    }
    return { queued, recovered };
  }
}
