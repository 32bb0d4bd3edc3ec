import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { type ProviderAccount, ProviderConnectionsRepository, type ProviderTransaction } from '@dashtam/providers';

import { AccountsRepository, type AccountWrite, type WrittenAccount } from '../../accounts/accounts.repository';
import { BalanceSnapshotsRepository } from '../../accounts/balance-snapshots.repository';
import { PositionsRepository, type PositionWrite } from '../../accounts/positions.repository';
import { TransactionsRepository, type TransactionWrite } from '../../transactions/transactions.repository';
import type { ClaimedSync, Tally } from '../sync.types';
import { SyncsRepository } from '../syncs.repository';
import { SyncLeaseLostError } from './sync-failure';
import { storableNullableText, storableText, storableValue } from './storable';
import type { TransactionWindow } from './transaction-window';

// Column sizes of the financial tables: descriptive text is clipped rather than failing a batch.
const NAME_MAX = 200;
const SYMBOL_MAX = 64;
const RAW_TYPE_MAX = 64;

/** An account one sync wrote, with what its transactions need. */
export interface SyncedAccount {
  id: string;
  providerAccountId: string;
  lastSyncedAt: Date | null;
}

/**
 * What a sync writes, each step in its own database transaction that first takes the connection row
 * (FOR KEY SHARE) and then holds the sync row (FOR SHARE, on this runner's lease): a provider deletion
 * waits for the step and the next step finds the sync gone; a runner whose sync was taken over writes
 * nothing more. Every step is an upsert, so repeating it — after a crash, or by the runner that took
 * over — leaves the same rows.
 */
@Injectable()
export class FinancialDataWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: ProviderConnectionsRepository,
    private readonly syncs: SyncsRepository,
    private readonly accounts: AccountsRepository,
    private readonly positions: PositionsRepository,
    private readonly snapshots: BalanceSnapshotsRepository,
    private readonly transactions: TransactionsRepository,
  ) {}

  /**
   * Accounts (those no longer reported become inactive), their positions (likewise), and one balance
   * snapshot per reported account, in one transaction.
   */
  async writeAccounts(
    sync: ClaimedSync,
    reported: ProviderAccount[],
  ): Promise<{ accounts: SyncedAccount[]; tallies: { accounts: Tally; positions: Tally } }> {
    return this.guarded(sync, async (manager) => {
      const written = await this.accounts.upsertForSync(
        manager,
        { connectionId: sync.connectionId, providerId: sync.providerId, userId: sync.userId },
        reported.map(toAccountWrite),
      );
      const accountTally = tallyOf(written);
      accountTally.updated += await this.accounts.deactivateMissing(
        manager,
        sync.connectionId,
        written.map((account) => account.providerAccountId),
      );

      const idOf = new Map(written.map((account) => [account.providerAccountId, account.id]));
      const positions = reported.flatMap((account) => positionWrites(idOf.get(account.accountId!)!, account));
      const positionTally = await this.positions.upsertForSync(manager, positions);
      positionTally.updated += await this.positions.deactivateMissing(
        manager,
        written.map((account) => account.id),
        positions,
      );

      await this.snapshots.insertForSync(
        manager,
        reported.map((account) => ({
          accountId: idOf.get(account.accountId!)!,
          cashValue: account.cashBalance,
          capturedAt: account.asOf,
        })),
      );
      return {
        accounts: written.map(({ id, providerAccountId, lastSyncedAt }) => ({ id, providerAccountId, lastSyncedAt })),
        tallies: { accounts: accountTally, positions: positionTally },
      };
    });
  }

  /**
   * One account's transactions from one window, `batchSize` rows per statement and per transaction
   * (a long first sync never holds one transaction open, and a failure keeps the batches before it).
   */
  async writeTransactions(
    sync: ClaimedSync,
    accountId: string,
    rows: ProviderTransaction[],
    batchSize: number,
  ): Promise<Tally> {
    const tally: Tally = { created: 0, updated: 0, unchanged: 0 };
    const writes = rows.map(toTransactionWrite);
    for (let start = 0; start < writes.length; start += batchSize) {
      const batch = writes.slice(start, start + batchSize);
      const { created, updated } = await this.guarded(sync, (manager) =>
        this.transactions.upsertBatch(manager, { accountId, userId: sync.userId }, batch),
      );
      tally.created += created;
      tally.updated += updated;
      tally.unchanged += batch.length - created - updated;
    }
    return tally;
  }

  /**
   * After an account's window was read completely: pending transactions in it that the institution no
   * longer returns are deleted (they posted under another id), and the account is marked read up to
   * `syncedAt`, where its next window starts (less the overlap). Returns how many pending rows went.
   */
  async completeAccount(
    sync: ClaimedSync,
    accountId: string,
    window: TransactionWindow,
    returnedIds: string[],
    syncedAt: Date,
  ): Promise<number> {
    return this.guarded(sync, async (manager) => {
      const replaced = await this.transactions.deletePendingNotReturned(
        manager,
        accountId,
        { after: window.after, through: window.through },
        returnedIds,
      );
      await this.accounts.markSynced(manager, [accountId], syncedAt);
      return replaced;
    });
  }

  private guarded<T>(sync: ClaimedSync, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await this.connections.lockForSyncWrite(manager, sync.connectionId);
      if (!(await this.syncs.holdLease(manager, sync.id, sync.lease))) throw new SyncLeaseLostError(sync.id);
      return work(manager);
    });
  }
}

function tallyOf(written: WrittenAccount[]): Tally {
  const tally: Tally = { created: 0, updated: 0, unchanged: 0 };
  for (const account of written) tally[account.outcome] += 1;
  return tally;
}

function toAccountWrite(account: ProviderAccount): AccountWrite {
  return {
    providerAccountId: account.accountId!,
    mask: account.mask,
    name: storableText(account.name).slice(0, NAME_MAX),
    accountType: account.accountType,
    currency: currencyOf(account.currency),
    currentBalance: account.currentBalance,
    availableBalance: account.availableBalance,
    balanceAsOf: account.asOf,
    metadata: storableValue(account.metadata),
  };
}

function positionWrites(accountId: string, account: ProviderAccount): PositionWrite[] {
  // One row per position id: an upsert statement may not touch the same row twice.
  const byId = new Map(account.positions.map((position) => [position.providerPositionId, position]));
  return [...byId.values()].map((position) => ({
    ...position,
    accountId,
    symbol: storableText(position.symbol).slice(0, SYMBOL_MAX),
    description: storableNullableText(position.description),
    rawAssetType: storableText(position.rawAssetType).slice(0, RAW_TYPE_MAX),
    asOf: account.asOf,
  }));
}

function toTransactionWrite(transaction: ProviderTransaction): TransactionWrite {
  return {
    ...transaction,
    description: storableNullableText(transaction.description),
    rawType: storableText(transaction.rawType).slice(0, RAW_TYPE_MAX),
    currency: currencyOf(transaction.currency),
    symbol: storableNullableText(transaction.symbol, SYMBOL_MAX),
    details: storableValue(transaction.details),
  };
}

// ISO 4217 codes only; anything else is not a currency Dashtam can show.
const currencyOf = (code: string): string => (/^[A-Z]{3}$/.test(code) ? code : 'USD');
