import { types } from 'node:util';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';

import { providersConfig, type ProvidersConfig } from '@dashtam/config';
import { TokenCipherService, TokenDecryptionError } from '@dashtam/crypto';

import { type AuditContext, writeProviderAudit } from '../audit/provider-audit.writer';
import { ProviderConnectionsRepository } from '../connections/provider-connections.repository';
import type { TokenSet } from '../provider-client';
import { ProviderRegistry } from '../provider-registry';
import { ProviderAuthTypeError, ProviderError } from '../provider.errors';
import { PendingRefreshes } from './pending-refreshes';
import { markRequiresReauth, type RefreshResult, sealRefreshResult, storeRefreshResult } from './refresh-persistence';
import {
  ConnectionNotConnectedError,
  ProviderUnavailableError,
  ReauthRequiredError,
  RefreshPendingError,
  TokensUnreadableError,
  type ReauthReason,
} from './token.errors';
import { isUsableStatus, type TokenRow, tokenStatusOf, type TokenStatus } from './token-row';

/** A usable access token; hand it to ProviderClient data calls, never to a client of the API. */
export interface ValidAccessToken {
  connectionId: string;
  accessToken: string;
  tokenType: string;
  expiresAt: Date | null;
}

interface RefreshOutcome {
  token: ValidAccessToken;
  status: TokenStatus;
}

/** One pass under the refresh lock; `staleVersion`: it stored a waiting result that is stale already. */
type RefreshStep = RefreshOutcome & { staleVersion?: number };

type RefreshMode = 'if-stale' | 'force';

// Room for the database round trips around the one outbound call a lock holder makes.
const LOCK_MARGIN_MS = 5_000;
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Keeps provider tokens usable. Single-flight per connection across processes: the refresh runs
 * inside a transaction holding `SELECT … FOR UPDATE` on the connection's provider_tokens row, so of
 * any number of concurrent refreshes on any number of instances one calls the institution and the
 * others wait on the row, then find a newer version and return it without calling. The refresh token
 * sent is always the one read under the lock, so an older one is never sent. Within one process
 * concurrent callers also share one promise, so they hold one pooled connection, not N.
 * See docs/providers.md for the crash-safety reasoning.
 */
@Injectable()
export class TokenRefreshService {
  private readonly logger = new Logger(TokenRefreshService.name);
  private readonly inFlight = new Map<string, Promise<RefreshOutcome>>();
  private readonly leadMs: number;
  private readonly lockWaitMs: number;
  private readonly idleInTransactionMs: number;
  private readonly forcedRefreshMinIntervalMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: ProviderConnectionsRepository,
    private readonly cipher: TokenCipherService,
    private readonly registry: ProviderRegistry,
    private readonly pending: PendingRefreshes,
    @Inject(providersConfig.KEY)
    config: Pick<ProvidersConfig, 'refreshLeadSeconds' | 'httpTimeoutMs' | 'forcedRefreshMinIntervalSeconds'>,
  ) {
    this.leadMs = config.refreshLeadSeconds * 1000;
    // A holder spends at most two outbound deadlines at the institution (a lost answer is asked for
    // once more); a waiter outlasts three.
    this.lockWaitMs = 3 * config.httpTimeoutMs + LOCK_MARGIN_MS;
    // PostgreSQL ends a holder that stalls past its deadline, releasing the lock for the others.
    this.idleInTransactionMs = config.httpTimeoutMs + LOCK_MARGIN_MS;
    this.forcedRefreshMinIntervalMs = config.forcedRefreshMinIntervalSeconds * 1000;
  }

  /**
   * An access token valid for at least the configured lead time, refreshing first when it is not.
   * Throws ConnectionNotConnectedError, ReauthRequiredError (connection is `requires_reauth`),
   * ProviderUnavailableError (transient: tokens kept, retry with backoff) or RefreshPendingError
   * (refreshed, not stored yet: retry shortly).
   */
  async getValidAccessToken(connectionId: string, context?: AuditContext): Promise<ValidAccessToken> {
    return this.failingOnUnreadable(connectionId, context, async () => {
      const row = this.usable(connectionId, await this.connections.findTokenRow(connectionId));
      // A newer result this process still keeps is stored first, even while the stored token is fresh.
      if (!this.isStale(row) && !this.pending.hasKept(connectionId)) return this.accessTokenOf(row);
      return (await this.singleFlight(connectionId, 'if-stale', row.version, context)).token;
    });
  }

  /**
   * getValidAccessToken for the proactive refresh, whose scan has just found the token due: it goes
   * straight to the refresh lock, where everything is read and checked again (a token refreshed since
   * the scan is returned without calling), instead of reading the row once more before it.
   */
  async refreshIfDue(connectionId: string, context?: AuditContext): Promise<ValidAccessToken> {
    return this.failingOnUnreadable(
      connectionId,
      context,
      async () => (await this.singleFlight(connectionId, 'if-stale', null, context)).token,
    );
  }

  /**
   * Refreshes now, whatever the expiry. When another refresh of the connection is already running
   * (here or on another instance) it waits for that one and answers its result instead of calling again.
   */
  async refreshNow(connectionId: string, context?: AuditContext): Promise<TokenStatus> {
    return this.failingOnUnreadable(connectionId, context, async () => {
      const row = this.usable(connectionId, await this.connections.findTokenRow(connectionId));
      // A stored credential (SimpleFIN, Alpaca) has nothing to refresh; refusing here keeps it from
      // being taken for an OAuth grant without a refresh token (which would mean requires_reauth).
      const { authType } = this.registry.catalogEntry(row.providerKey);
      if (authType !== 'oauth2') throw new ProviderAuthTypeError(row.providerKey, authType, 'oauth2');
      // Forcing again right after a refresh only spends the institution's patience (and ours).
      if (this.refreshedRecently(row) && !this.pending.hasKept(connectionId)) return tokenStatusOf(row);
      return (await this.singleFlight(connectionId, 'force', row.version, context)).status;
    });
  }

  /**
   * Ciphertext that fails authentication (tampered, or copied from another connection) will never
   * decrypt: the connection becomes `error` with an audit row, and callers get a permanent 409-class
   * error instead of a 500 on every try.
   */
  private async failingOnUnreadable<T>(
    connectionId: string,
    context: AuditContext | undefined,
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof TokenDecryptionError)) throw error;
      await this.markUnreadable(connectionId, context, error.reason);
      throw new TokensUnreadableError(connectionId);
    }
  }

  /**
   * A credential that decrypted but that its client cannot read (StoredCredentialUnreadableError) is
   * as dead as ciphertext that fails authentication: the same `error` status, audit row and error.
   */
  async failUnreadableCredential(connectionId: string, context?: AuditContext): Promise<TokensUnreadableError> {
    await this.markUnreadable(connectionId, context, 'credential_unreadable');
    return new TokensUnreadableError(connectionId);
  }

  /**
   * A stored credential the institution refuses (revoked Access URL, deleted API key) cannot be renewed
   * the way an OAuth grant can: the connection becomes `requires_reauth`, exactly as a refused refresh
   * token makes it, so the schedule stops spending the institution's budget on it.
   */
  async failRefusedCredential(
    connectionId: string,
    error: ProviderError,
    context?: AuditContext,
  ): Promise<ReauthRequiredError> {
    const marked = await this.dataSource.transaction(async (manager) => {
      const row = await this.connections.lockTokenRow(manager, connectionId);
      if (!row || !isUsableStatus(row.connectionStatus)) return false;
      await markRequiresReauth(this.connections, manager, row, 'credential_refused', error, context);
      return true;
    });
    if (marked) this.logger.warn(`connection ${connectionId} now requires re-authorization (credential_refused)`);
    return new ReauthRequiredError(connectionId, 'credential_refused', error);
  }

  private async markUnreadable(
    connectionId: string,
    context: AuditContext | undefined,
    failure: string,
  ): Promise<void> {
    const marked = await this.dataSource.transaction(async (manager) => {
      const row = await this.connections.lockTokenRow(manager, connectionId);
      if (!row) return false;
      const changed = await this.connections.markUnreadable(
        manager,
        connectionId,
        'The stored authorization cannot be read; link the provider again',
      );
      if (changed) {
        await writeProviderAudit(
          manager,
          {
            action: 'connection_error',
            providerId: row.providerId,
            connectionId,
            userId: row.userId,
            details: { reason: 'tokens_unreadable', failure, previous_status: row.connectionStatus },
          },
          context,
        );
      }
      return changed;
    });
    if (marked) this.logger.error(`connection ${connectionId}: stored tokens cannot be read (${failure}); now error`);
  }

  private refreshedRecently(row: TokenRow): boolean {
    return (
      this.forcedRefreshMinIntervalMs > 0 &&
      row.lastRefreshedAt !== null &&
      Date.now() - row.lastRefreshedAt.getTime() < this.forcedRefreshMinIntervalMs
    );
  }

  private singleFlight(
    connectionId: string,
    mode: RefreshMode,
    observedVersion: number | null,
    context: AuditContext | undefined,
  ): Promise<RefreshOutcome> {
    const running = this.inFlight.get(connectionId);
    if (running) return running;
    const flight = this.refreshLocked(connectionId, mode, observedVersion, context).finally(() =>
      this.inFlight.delete(connectionId),
    );
    this.inFlight.set(connectionId, flight);
    return flight;
  }

  private async refreshLocked(
    connectionId: string,
    mode: RefreshMode,
    observedVersion: number | null,
    context: AuditContext | undefined,
  ): Promise<RefreshOutcome> {
    const step = await this.refreshStep(connectionId, mode, observedVersion, context);
    if (step.staleVersion === undefined) return step;
    // The result it stored had waited past its own freshness (a long outage): refresh it in turn.
    return this.refreshStep(connectionId, mode, step.staleVersion, context);
  }

  /** `observedVersion`: the row's version as the caller saw it, or null when it read none (refreshIfDue). */
  private async refreshStep(
    connectionId: string,
    mode: RefreshMode,
    observedVersion: number | null,
    context: AuditContext | undefined,
  ): Promise<RefreshStep> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const row = this.usable(connectionId, await this.lockRow(runner, connectionId));
      // The institution already answered a refresh whose tokens are not stored yet: the stored refresh
      // token may be rotated out, so store that result instead of calling again.
      const waiting = await this.pending.waitingFor(row);
      if (waiting) {
        const promoted = await this.storeWaiting(runner, row, waiting, context);
        const stale = mode === 'if-stale' && this.isStale(promoted);
        return {
          token: this.accessTokenOf(promoted),
          status: tokenStatusOf(promoted),
          ...(stale ? { staleVersion: promoted.version } : {}),
        };
      }
      // Someone refreshed while we waited for the lock (or, for if-stale, the token is fresh again).
      if (
        (observedVersion !== null && row.version !== observedVersion) ||
        (mode === 'if-stale' && !this.isStale(row)) ||
        (mode === 'force' && this.refreshedRecently(row))
      ) {
        await runner.commitTransaction();
        return { token: this.accessTokenOf(row), status: tokenStatusOf(row) };
      }
      const blocked = this.reauthReasonBeforeCalling(row);
      if (blocked) return await this.failPermanently(runner, row, blocked, null, context);

      const refreshToken = this.cipher.decrypt(row.refreshTokenEncrypted!, { aad: connectionId });
      let tokens: TokenSet;
      try {
        tokens = await this.refreshAtInstitution(runner, row, refreshToken);
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        if (error.permanent) return await this.failPermanently(runner, row, 'refresh_refused', error, context);
        this.logger.warn(`refresh of connection ${connectionId} failed transiently: ${error.message}`);
        throw new ProviderUnavailableError(connectionId, error, error.retryAfterMs);
      }
      return await this.store(runner, row, refreshToken, tokens, context);
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * A dropped connection (`network`: reset, refused, closed mid-answer) may have cost the answer to a
   * refresh the institution did carry out, rotating the refresh token. It is asked once more, at once
   * and still under the lock, with the same refresh token: an institution with a reuse grace (Okta,
   * Cognito, the Sandbox's reuse_grace_seconds) answers the retry with a fresh pair, so the rotation
   * is not lost; one that did not act answers it as a first try; a strict one refuses it, as it would
   * refuse any later refresh. Timeouts are left to the caller's backoff: that request may still be
   * running at the institution.
   */
  private async refreshAtInstitution(runner: QueryRunner, row: TokenRow, refreshToken: string): Promise<TokenSet> {
    const client = this.registry.oauthClient(row.providerKey);
    try {
      return await client.refresh(refreshToken);
    } catch (error) {
      if (!(error instanceof ProviderError) || error.kind !== 'network') throw error;
      this.logger.warn(
        `refresh of connection ${row.connectionId} lost its answer (${error.message}); asking once more`,
      );
      // A statement restarts idle_in_transaction_session_timeout for the second call.
      await runner.query('SELECT 1');
      return client.refresh(refreshToken);
    }
  }

  private async lockRow(runner: QueryRunner, connectionId: string): Promise<TokenRow | null> {
    try {
      return await this.connections.lockTokenRow(runner.manager, connectionId, {
        lockWaitMs: this.lockWaitMs,
        idleInTransactionMs: this.idleInTransactionMs,
      });
    } catch (error) {
      const code = (error as { driverError?: { code?: string } }).driverError?.code;
      if (code === LOCK_NOT_AVAILABLE) throw new ProviderUnavailableError(connectionId, error);
      throw error;
    }
  }

  /**
   * Commits the new tokens right after the institution answered. From the answer until COMMIT the
   * result also waits in the Redis slot (written first), so it survives this process. If the write or
   * the commit fails, one more attempt runs at once on a fresh connection as a compare-and-set on the
   * version we refreshed from; if the database still cannot take it, the result is kept and stored by
   * backoff retries or by the next refresh, and the caller hears RefreshPendingError.
   */
  private async store(
    runner: QueryRunner,
    row: TokenRow,
    oldRefreshToken: string,
    tokens: TokenSet,
    context: AuditContext | undefined,
  ): Promise<RefreshOutcome> {
    const result = sealRefreshResult(this.cipher, row, oldRefreshToken, tokens);
    const held = await this.pending.hold(row, result);
    try {
      const refreshed = await storeRefreshResult(this.connections, runner.manager, row, result, context);
      if (!refreshed) throw new Error('token row changed under the refresh lock');
      await runner.commitTransaction();
      await this.pending.settle(result, held);
      return this.outcomeOf(refreshed, tokens.accessToken);
    } catch (error) {
      // Release our lock before retrying elsewhere, or the retry would wait on ourselves.
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      return this.rescue(row, result, held, tokens.accessToken, context, error);
    }
  }

  private async rescue(
    row: TokenRow,
    result: RefreshResult,
    held: boolean,
    accessToken: string,
    context: AuditContext | undefined,
    cause: unknown,
  ): Promise<RefreshOutcome> {
    const connectionId = row.connectionId;
    let stored: TokenRow | null;
    try {
      const refreshed = await this.dataSource.transaction((manager) =>
        storeRefreshResult(this.connections, manager, row, result, context),
      );
      if (refreshed) {
        this.logger.warn(
          `connection ${connectionId}: refreshed tokens stored on the second attempt (${describe(cause)})`,
        );
        await this.pending.settle(result, held);
        return this.outcomeOf(refreshed, accessToken);
      }
      // The version moved: either our COMMIT did land before its acknowledgement was lost, or not.
      stored = await this.connections.findTokenRow(connectionId);
    } catch (error) {
      this.logger.error(
        `connection ${connectionId}: storing refreshed tokens failed twice (${describe(error)}); ` +
          'kept until the database takes them',
      );
      this.pending.keep(row, result, held, context);
      throw new RefreshPendingError(connectionId, error);
    }
    await this.pending.settle(result, held);
    if (stored && this.pending.holds(stored, result)) {
      return { token: this.accessTokenOf(stored), status: tokenStatusOf(stored) };
    }
    this.logger.error(`connection ${connectionId}: refreshed tokens could not be stored (${describe(cause)})`);
    throw new ProviderUnavailableError(connectionId, cause);
  }

  /** Stores a result that was waiting (under the lock `runner` holds) and commits; returns the new row. */
  private async storeWaiting(
    runner: QueryRunner,
    row: TokenRow,
    waiting: RefreshResult,
    context: AuditContext | undefined,
  ): Promise<TokenRow> {
    const promoted = await storeRefreshResult(this.connections, runner.manager, row, waiting, context, true);
    // Under the lock, at the version it was checked against: the compare-and-set cannot miss.
    if (!promoted) throw new Error(`connection ${row.connectionId}: token row changed under the refresh lock`);
    await runner.commitTransaction();
    await this.pending.settle(waiting, true);
    this.logger.warn(`connection ${row.connectionId}: stored a refresh result that was waiting, without calling`);
    return promoted;
  }

  private async failPermanently(
    runner: QueryRunner,
    row: TokenRow,
    reason: ReauthReason,
    error: ProviderError | null,
    context: AuditContext | undefined,
  ): Promise<never> {
    await markRequiresReauth(this.connections, runner.manager, row, reason, error, context);
    await runner.commitTransaction();
    this.logger.warn(`connection ${row.connectionId} now requires re-authorization (${reason})`);
    throw new ReauthRequiredError(row.connectionId, reason, error ?? undefined);
  }

  private reauthReasonBeforeCalling(row: TokenRow): ReauthReason | null {
    if (row.refreshTokenEncrypted === null) return 'no_refresh_token';
    // The deadline never moves (set at code exchange); past it the institution would refuse anyway.
    if (row.refreshTokenExpiresAt !== null && row.refreshTokenExpiresAt.getTime() <= Date.now()) {
      return 'refresh_token_expired';
    }
    return null;
  }

  private usable(connectionId: string, row: TokenRow | null): TokenRow {
    if (!row || row.providerDeleted) throw new ConnectionNotConnectedError(connectionId);
    if (row.connectionStatus === 'requires_reauth') throw new ReauthRequiredError(connectionId, 'requires_reauth');
    if (!isUsableStatus(row.connectionStatus)) throw new ConnectionNotConnectedError(connectionId);
    return row;
  }

  private isStale(row: TokenRow): boolean {
    return row.expiresAt !== null && row.expiresAt.getTime() - this.leadMs <= Date.now();
  }

  private accessTokenOf(row: TokenRow): ValidAccessToken {
    return {
      connectionId: row.connectionId,
      accessToken: this.cipher.decrypt(row.accessTokenEncrypted, { aad: row.connectionId }),
      tokenType: row.tokenType,
      expiresAt: row.expiresAt,
    };
  }

  private outcomeOf(row: TokenRow, accessToken: string): RefreshOutcome {
    return {
      token: { connectionId: row.connectionId, accessToken, tokenType: row.tokenType, expiresAt: row.expiresAt },
      status: tokenStatusOf(row),
    };
  }
}

function describe(error: unknown): string {
  // isNativeError: socket errors come from Node's realm, which need not be ours (a vm context).
  return error instanceof Error || types.isNativeError(error) ? `${error.name}: ${error.message}` : 'unknown error';
}
