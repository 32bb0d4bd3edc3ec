import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { TokenCipherService } from '@dashtam/crypto';

import type { AuditContext } from '../audit/provider-audit.writer';
import { ProviderConnectionsRepository } from '../connections/provider-connections.repository';
import { PendingTokenSlots } from './pending-token-slots';
import { type RefreshResult, storeRefreshResult } from './refresh-persistence';
import { isUsableStatus, type TokenRow } from './token-row';

// Retries of a result the database refused: quick at first (a restart takes seconds), then every
// MAX_DELAY_MS, for at most WINDOW_MS. Past it a result held in Redis still waits there for the next refresh.
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 2_000;
const WINDOW_MS = 15 * 60 * 1000;
// A retry waits this long at most for a refresh another instance holds.
const RETRY_LOCK_WAIT_MS = 10_000;

type Attempt = 'stored' | 'obsolete' | 'failed';

interface Kept {
  result: RefreshResult;
  /** Whether the Redis slot holds it; until it does, every retry tries again to put it there. */
  held: boolean;
  refreshTokenDeadline: Date | null;
  context: AuditContext | undefined;
  attempts: number;
  giveUpAt: number;
  timer?: NodeJS.Timeout;
}

/**
 * Refresh results the institution gave that are not stored yet. From the answer to the COMMIT the
 * result waits in the Redis slot (written ahead, removed after); when the database cannot take it,
 * this process keeps it too and retries the write with backoff. Whoever takes the refresh lock next
 * (this process or another) stores a waiting result first, instead of calling the institution with
 * the refresh token it replaced: see docs/token-refresh.md ("A database outage during a refresh").
 */
@Injectable()
export class PendingRefreshes implements BeforeApplicationShutdown {
  private readonly logger = new Logger(PendingRefreshes.name);
  private readonly kept = new Map<string, Kept>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: ProviderConnectionsRepository,
    private readonly cipher: TokenCipherService,
    private readonly slots: PendingTokenSlots,
  ) {}

  /** Write-ahead: puts the result in the slot before the database write; false when Redis could not take it. */
  hold(row: TokenRow, result: RefreshResult): Promise<boolean> {
    return this.slots.hold(result, row.refreshTokenExpiresAt);
  }

  /** True while this process keeps a result of the connection that the database has not taken yet. */
  hasKept(connectionId: string): boolean {
    return this.kept.has(connectionId);
  }

  /**
   * The result waiting to be written over `row` (read under the refresh lock): this process's own,
   * else the slot's. A slot left by an earlier life of the row (disconnected and linked again since)
   * is dropped, never written.
   */
  async waitingFor(row: TokenRow): Promise<RefreshResult | null> {
    const own = this.kept.get(row.connectionId)?.result;
    const candidate = own?.fromVersion === row.version ? own : await this.slots.find(row.connectionId, row.version);
    if (!candidate) return null;
    if (this.belongsTo(row, candidate)) return candidate;
    await this.settle(candidate, true);
    return null;
  }

  /** Whether `row` already holds the result's tokens (its COMMIT landed, or another instance stored it). */
  holds(row: TokenRow, result: RefreshResult): boolean {
    return this.sameSecret(row.accessTokenEncrypted, result.sealed.accessTokenEncrypted, row.connectionId);
  }

  /** The result is stored or obsolete: forget it here and in the slot. */
  async settle(result: RefreshResult, inSlot: boolean): Promise<void> {
    const entry = this.kept.get(result.connectionId);
    if (entry && entry.result.fromVersion === result.fromVersion) {
      clearTimeout(entry.timer);
      this.kept.delete(result.connectionId);
      inSlot ||= entry.held;
    }
    if (inSlot) await this.slots.release(result);
  }

  /** The database refused the result: keep it and retry the write with backoff until it is stored. */
  keep(row: TokenRow, result: RefreshResult, held: boolean, context: AuditContext | undefined): void {
    clearTimeout(this.kept.get(row.connectionId)?.timer);
    const entry: Kept = {
      result,
      held,
      refreshTokenDeadline: row.refreshTokenExpiresAt,
      context,
      attempts: 0,
      giveUpAt: Date.now() + WINDOW_MS,
    };
    this.kept.set(row.connectionId, entry);
    this.schedule(entry);
  }

  beforeApplicationShutdown(): Promise<void> {
    const entries = [...this.kept.values()];
    this.kept.clear();
    return Promise.all(
      entries.map(async (entry) => {
        clearTimeout(entry.timer);
        entry.held ||= await this.slots.hold(entry.result, entry.refreshTokenDeadline);
        this.reportUnstored(entry, 'at shutdown');
      }),
    ).then(() => undefined);
  }

  private schedule(entry: Kept): void {
    const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** entry.attempts);
    if (Date.now() + delay > entry.giveUpAt) {
      this.kept.delete(entry.result.connectionId);
      this.reportUnstored(entry, `after ${WINDOW_MS / 60_000} minutes of retries`);
      return;
    }
    entry.timer = setTimeout(() => void this.retry(entry), delay);
    // Pending retries never keep a process alive that is otherwise done.
    entry.timer.unref();
  }

  private async retry(entry: Kept): Promise<void> {
    const { connectionId } = entry.result;
    if (this.kept.get(connectionId) !== entry) return;
    entry.held ||= await this.slots.hold(entry.result, entry.refreshTokenDeadline);
    const outcome = await this.attempt(entry);
    if (this.kept.get(connectionId) !== entry) return;
    if (outcome === 'failed') {
      entry.attempts += 1;
      this.schedule(entry);
      return;
    }
    if (outcome === 'stored') this.logger.warn(`connection ${connectionId}: refreshed tokens stored after a retry`);
    else this.logger.warn(`connection ${connectionId}: a kept refresh result is obsolete (the row changed); dropped`);
    await this.settle(entry.result, true);
  }

  private async attempt(entry: Kept): Promise<Attempt> {
    const { result } = entry;
    try {
      return await this.dataSource.transaction(async (manager): Promise<Attempt> => {
        await manager.query(`SELECT set_config('lock_timeout', $1, true)`, [`${RETRY_LOCK_WAIT_MS}ms`]);
        const row = await this.connections.lockTokenRow(manager, result.connectionId);
        // Disconnected, deleted or refused since: nothing left to store the tokens for.
        if (!row || row.providerDeleted || !isUsableStatus(row.connectionStatus)) return 'obsolete';
        if (row.version !== result.fromVersion) return this.holds(row, result) ? 'stored' : 'obsolete';
        if (!this.belongsTo(row, result)) return 'obsolete';
        const stored = await storeRefreshResult(this.connections, manager, row, result, entry.context, true);
        return stored ? 'stored' : 'obsolete';
      });
    } catch {
      return 'failed';
    }
  }

  /** The row still holds the refresh token the result was obtained with. */
  private belongsTo(row: TokenRow, result: RefreshResult): boolean {
    if (row.connectionId !== result.connectionId || row.refreshTokenEncrypted === null) return false;
    return this.sameSecret(row.refreshTokenEncrypted, result.fromRefreshTokenEncrypted, row.connectionId);
  }

  // Equal envelopes, or equal plaintexts when the row was resealed under another key meanwhile.
  private sameSecret(a: string, b: string, connectionId: string): boolean {
    if (a === b) return true;
    try {
      return this.cipher.decrypt(a, { aad: connectionId }) === this.cipher.decrypt(b, { aad: connectionId });
    } catch {
      return false;
    }
  }

  private reportUnstored(entry: Kept, when: string): void {
    const { connectionId } = entry.result;
    if (entry.held) {
      this.logger.warn(
        `connection ${connectionId}: refreshed tokens not stored ${when}; they wait in Redis for the next refresh`,
      );
    } else {
      this.logger.error(
        `connection ${connectionId}: refreshed tokens not stored ${when} and Redis could not keep them: ` +
          'the connection will need linking again if the institution rotated its refresh token',
      );
    }
  }
}
