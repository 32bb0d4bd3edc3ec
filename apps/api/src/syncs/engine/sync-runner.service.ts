import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { syncConfig, type SyncConfig } from '@dashtam/config';
import {
  type AuditContext,
  type ProviderAccount,
  ProviderConnectionsRepository,
  ProviderRegistry,
  type ProviderTransaction,
  TokenRefreshService,
  writeProviderAudit,
} from '@dashtam/providers';

import { AccountsRepository } from '../../accounts/accounts.repository';
import { addTally, type ClaimedSync, emptyCounts, type SyncCounts, type SyncDispatch } from '../sync.types';
import { BudgetExhaustedError, ProviderCallBudget, secondsToUtcMidnight } from '../provider-call-budget';
import { SyncsRepository } from '../syncs.repository';
import { FinancialDataWriter } from './financial-data.writer';
import { InstitutionSession } from './institution-session';
import { describeSyncFailure, type SyncFailure, SyncInterruptedError, SyncLeaseLostError } from './sync-failure';
import { transactionWindow } from './transaction-window';

/** A snapshot institution's first sync reads this far back at most (SimpleFIN Bridge keeps about 90 days). */
export const SNAPSHOT_HISTORY_DAYS = 90;

export type SyncRunOutcome = 'succeeded' | 'failed' | 'skipped' | 'lost' | 'interrupted';

// Heartbeats per stale period: a live runner is never mistaken for a dead one over one slow beat.
const BEATS_PER_STALE_PERIOD = 4;
// Identifiers longer than the columns hold cannot be keys; such rows are left out (and said so).
const ID_MAX = 128;
const POSITION_ID_MAX = 160;

/** This runner's hold on a sync: a heartbeat that notices when the sync was taken over. */
class Lease {
  lost = false;
  private readonly timer: NodeJS.Timeout;

  constructor(beat: () => Promise<boolean>, intervalMs: number) {
    this.timer = setInterval(() => {
      beat().then(
        (held) => {
          if (!held) this.lost = true;
        },
        // A missed beat (database blip) is not a lost lease; the next one tries again.
        () => undefined,
      );
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * Runs one sync (SPEC §4, §8): claims it, reads the institution through the token vault, writes
 * accounts, positions, balance snapshots and transactions in lease-guarded batches, and records the
 * outcome on the sync and the connection (success clears the failure streak; failure backs off).
 * The same code runs under the job engine's worker and, without Redis, in the api process.
 */
@Injectable()
export class SyncRunner {
  private readonly logger = new Logger(SyncRunner.name);
  private readonly stopping = new AbortController();

  constructor(
    private readonly dataSource: DataSource,
    private readonly syncs: SyncsRepository,
    private readonly connections: ProviderConnectionsRepository,
    private readonly accounts: AccountsRepository,
    private readonly writer: FinancialDataWriter,
    private readonly tokens: TokenRefreshService,
    private readonly registry: ProviderRegistry,
    private readonly budget: ProviderCallBudget,
    @Inject(syncConfig.KEY) private readonly config: SyncConfig,
  ) {}

  /** Makes running syncs stop at their next step, leaving them to be resumed elsewhere (shutdown). */
  interrupt(): void {
    this.stopping.abort();
  }

  async run(dispatch: SyncDispatch): Promise<SyncRunOutcome> {
    if (this.stopping.signal.aborted) return 'interrupted';
    const sync = await this.claim(dispatch);
    if (!sync) return 'skipped';
    const lease = new Lease(
      () => this.syncs.heartbeat(sync.id, sync.lease),
      (this.config.staleSeconds * 1000) / BEATS_PER_STALE_PERIOD,
    );
    const counts = emptyCounts();
    const warnings: string[] = [];
    try {
      await this.sync(sync, lease, counts, warnings);
      await this.finishSucceeded(sync, counts, warnings);
      return 'succeeded';
    } catch (error) {
      if (error instanceof SyncLeaseLostError) {
        this.logger.warn(`sync ${sync.id} was taken over or deleted; this runner stops`);
        return 'lost';
      }
      if (error instanceof SyncInterruptedError || this.stopping.signal.aborted) {
        // Queued again, so another runner resumes it; what was written stays (upserts make that safe).
        await this.syncs.release(sync.id, sync.lease).catch(() => undefined);
        this.logger.warn(`sync ${sync.id} interrupted by shutdown; queued again`);
        return 'interrupted';
      }
      const failure = describeSyncFailure(error);
      const code = (error as { code?: unknown }).code;
      this.logger.warn(
        `sync ${sync.id} failed: ${failure.reason} (${(error as Error)?.name ?? 'Error'}${typeof code === 'string' ? ` ${code}` : ''})`,
      );
      await this.finishFailed(sync, counts, warnings, failure);
      return 'failed';
    } finally {
      lease.stop();
    }
  }

  /**
   * Takes the sync (with its `sync_started` audit row). A sync of a provider deleted meanwhile is
   * dropped; one whose connection can no longer sync (requires_reauth, disconnected) fails at once
   * without calling the institution and without counting against the connection.
   */
  private async claim(dispatch: SyncDispatch): Promise<ClaimedSync | null> {
    return this.dataSource.transaction(async (manager) => {
      const sync = await this.syncs.claim(manager, dispatch.syncId, {
        takeover: dispatch.takeover ?? false,
        staleSeconds: this.config.staleSeconds,
      });
      if (!sync) return null;
      if (sync.providerDeleted) {
        await this.syncs.delete(manager, sync.id);
        return null;
      }
      const audit = (action: 'sync_started' | 'sync_failed', details: Record<string, string | boolean>) =>
        writeProviderAudit(
          manager,
          { action, providerId: sync.providerId, connectionId: sync.connectionId, userId: sync.userId, details },
          this.context(sync),
        );
      if (sync.connectionStatus !== 'active' && sync.connectionStatus !== 'error') {
        const reauth = sync.connectionStatus === 'requires_reauth';
        const error = reauth
          ? 'The institution no longer accepts this authorization; link the provider again'
          : 'The provider is not connected; link it first';
        await this.syncs.finish(manager, sync.id, sync.lease, {
          status: 'failed',
          counts: emptyCounts(),
          error,
          warnings: [],
        });
        await audit('sync_failed', {
          sync_id: sync.id,
          trigger: sync.trigger,
          reason: reauth ? 'reauth_required' : 'not_connected',
        });
        return null;
      }
      await audit('sync_started', { sync_id: sync.id, trigger: sync.trigger, resumed: sync.resumed });
      return sync;
    });
  }

  private async sync(sync: ClaimedSync, lease: Lease, counts: SyncCounts, warnings: string[]): Promise<void> {
    const checkpoint = (): void => {
      if (this.stopping.signal.aborted) throw new SyncInterruptedError(sync.id);
      if (lease.lost) throw new SyncLeaseLostError(sync.id);
    };
    const client = this.registry.client(sync.providerKey);
    const session = new InstitutionSession(this.tokens, client, {
      connectionId: sync.connectionId,
      context: this.context(sync),
      maxWaitMs: this.config.retryAfterMaxSeconds * 1000,
      checkpoint,
      wait: (ms) => this.wait(ms, sync.id),
    });

    if (client.snapshot) return this.syncSnapshot(sync, session, counts, warnings, checkpoint);

    const reported = usableAccounts(await session.call((token) => session.client.accounts(token)), warnings);
    checkpoint();
    const { accounts, tallies } = await this.writer.writeAccounts(sync, reported);
    addTally(counts.accounts, tallies.accounts);
    addTally(counts.positions, tallies.positions);

    for (const account of accounts) {
      const readAt = new Date();
      const window = transactionWindow(readAt, account.lastSyncedAt, this.config);
      const byId = new Map<string, ProviderTransaction>();
      for (const range of window.requests) {
        const page = await session.call((token) =>
          session.client.transactions(token, { accountId: account.providerAccountId, from: range.from, to: range.to }),
        );
        for (const transaction of page) byId.set(transaction.providerTransactionId, transaction);
      }
      const rows = [...byId.values()].filter((transaction) => transaction.providerTransactionId.length <= ID_MAX);
      if (rows.length < byId.size) warnings.push(`${byId.size - rows.length} transactions had ids too long to keep`);
      checkpoint();
      addTally(counts.transactions, await this.writer.writeTransactions(sync, account.id, rows, this.config.batchSize));
      await this.writer.completeAccount(sync, account.id, window, [...byId.keys()], readAt);
    }
  }

  /**
   * One call for every account and its transactions (SimpleFIN): the window starts at the last complete
   * read minus the overlap (a first sync reads SNAPSHOT_HISTORY_DAYS at most), never unbounded, and the
   * call is taken from the connection's daily budget first. The institution's own errors are warnings.
   */
  private async syncSnapshot(
    sync: ClaimedSync,
    session: InstitutionSession,
    counts: SyncCounts,
    warnings: string[],
    checkpoint: () => void,
  ): Promise<void> {
    const readAt = new Date();
    const window = transactionWindow(readAt, await this.accounts.lastCompleteRead(sync.connectionId), {
      historyDays: Math.min(this.config.historyDays, SNAPSHOT_HISTORY_DAYS),
      overlapDays: this.config.overlapDays,
    });
    if (!(await this.budget.spend(sync.providerKey, sync.connectionId, readAt))) {
      throw new BudgetExhaustedError(sync.connectionId, secondsToUtcMidnight(readAt));
    }
    const snapshot = await session.call((credential) =>
      session.client.snapshot!(credential, { from: window.from, to: window.to }),
    );
    warnings.push(...snapshot.warnings);
    const reported = usableAccounts(snapshot.accounts, warnings);
    checkpoint();
    const { accounts, tallies } = await this.writer.writeAccounts(sync, reported);
    addTally(counts.accounts, tallies.accounts);
    addTally(counts.positions, tallies.positions);
    for (const account of accounts) {
      const all = snapshot.transactions.get(account.providerAccountId) ?? [];
      const rows = all.filter((transaction) => transaction.providerTransactionId.length <= ID_MAX);
      if (rows.length < all.length) warnings.push(`${all.length - rows.length} transactions had ids too long to keep`);
      checkpoint();
      addTally(counts.transactions, await this.writer.writeTransactions(sync, account.id, rows, this.config.batchSize));
      await this.writer.completeAccount(
        sync,
        account.id,
        window,
        all.map((transaction) => transaction.providerTransactionId),
        readAt,
      );
    }
  }

  private async finishSucceeded(sync: ClaimedSync, counts: SyncCounts, warnings: string[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const accountsCount = await this.accounts.countActive(manager, sync.connectionId);
      // The connection row first: the lock order every sync transaction keeps (see the repository).
      await this.connections.recordSyncSucceeded(manager, sync.connectionId, accountsCount);
      const result = { status: 'succeeded' as const, counts, error: null, warnings };
      if (!(await this.syncs.finish(manager, sync.id, sync.lease, result))) throw new SyncLeaseLostError(sync.id);
      await writeProviderAudit(
        manager,
        {
          action: 'sync_completed',
          providerId: sync.providerId,
          connectionId: sync.connectionId,
          userId: sync.userId,
          details: { sync_id: sync.id, trigger: sync.trigger, accounts_count: accountsCount, ...flatCounts(counts) },
        },
        this.context(sync),
      );
    });
  }

  private async finishFailed(
    sync: ClaimedSync,
    counts: SyncCounts,
    warnings: string[],
    failure: SyncFailure,
  ): Promise<void> {
    try {
      await this.dataSource.transaction(async (manager) => {
        const connection = failure.countsAsFailure
          ? await this.connections.recordSyncFailed(manager, sync.connectionId, {
              message: failure.message,
              notBeforeSeconds: failure.retryAfterSeconds,
            })
          : null;
        const result = { status: 'failed' as const, counts, error: failure.message, warnings };
        if (!(await this.syncs.finish(manager, sync.id, sync.lease, result))) throw new SyncLeaseLostError(sync.id);
        await writeProviderAudit(
          manager,
          {
            action: 'sync_failed',
            providerId: sync.providerId,
            connectionId: sync.connectionId,
            userId: sync.userId,
            details: {
              sync_id: sync.id,
              trigger: sync.trigger,
              reason: failure.reason,
              error_count: connection?.errorCount ?? null,
              connection_status: connection?.status ?? null,
              next_sync_at: connection?.nextSyncAt?.toISOString() ?? null,
            },
          },
          this.context(sync),
        );
      });
    } catch (error) {
      // Taken over meanwhile, or the database is gone: the sync stays running until recovered.
      if (!(error instanceof SyncLeaseLostError)) throw error;
    }
  }

  /** Waits out a Retry-After; shutdown ends the wait (the sync is resumed elsewhere). */
  private wait(ms: number, syncId: string): Promise<void> {
    const signal = this.stopping.signal;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new SyncInterruptedError(syncId));
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(new SyncInterruptedError(syncId));
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  // The sync's id leads from its audit rows (and the token refreshes it caused) to the sync.
  private context(sync: ClaimedSync): AuditContext {
    return { requestId: `sync-${sync.id}` };
  }
}

/** Accounts that can be keyed (with the institution's opaque id, once each), with the positions that can. */
function usableAccounts(accounts: ProviderAccount[], warnings: string[]): ProviderAccount[] {
  const byId = new Map<string, ProviderAccount>();
  let unkeyed = 0;
  let unkeyedPositions = 0;
  for (const account of accounts) {
    if (account.accountId === null || account.accountId.length > ID_MAX) {
      unkeyed += 1;
      continue;
    }
    const positions = account.positions.filter((position) => position.providerPositionId.length <= POSITION_ID_MAX);
    unkeyedPositions += account.positions.length - positions.length;
    byId.set(account.accountId, { ...account, positions });
  }
  if (unkeyed > 0) warnings.push(`${unkeyed} accounts came without an id the institution keeps stable`);
  if (unkeyedPositions > 0) warnings.push(`${unkeyedPositions} positions had ids too long to keep`);
  return [...byId.values()];
}

function flatCounts(counts: SyncCounts): Record<string, number> {
  const flat: Record<string, number> = {};
  for (const [kind, tally] of Object.entries(counts)) {
    for (const [outcome, n] of Object.entries(tally as Record<string, number>)) flat[`${kind}_${outcome}`] = n;
  }
  return flat;
}
