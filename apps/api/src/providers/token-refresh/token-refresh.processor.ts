import { Inject, Injectable } from '@nestjs/common';

import { jobsConfig, type JobsConfig, providersConfig, type ProvidersConfig } from '@dashtam/config';
import {
  ConnectionNotConnectedError,
  ProviderConnectionsRepository,
  ProviderUnavailableError,
  ReauthRequiredError,
  TokenRefreshService,
} from '@dashtam/providers';

import { type RefreshJobData, type RefreshJobResult } from './token-refresh.jobs';

/** Adds refresh jobs (BullMQ's addBulk in production). */
export type EnqueueRefreshes = (jobs: RefreshJobData[]) => Promise<void>;

/** Small random spread so connections that failed together do not all retry in the same instant. */
const BACKOFF_JITTER = 0.2;

/**
 * What the proactive refresh does, free of BullMQ: the scan turns due tokens into refresh jobs; a
 * refresh job asks the token vault for a valid access token, which refreshes only what is still
 * stale, single-flight across every instance (so a job that lost a race, or runs twice, is harmless).
 */
@Injectable()
export class TokenRefreshProcessor {
  constructor(
    private readonly connections: ProviderConnectionsRepository,
    private readonly tokens: TokenRefreshService,
    @Inject(providersConfig.KEY) private readonly providers: Pick<ProvidersConfig, 'refreshLeadSeconds'>,
    @Inject(jobsConfig.KEY) private readonly jobs: JobsConfig,
  ) {}

  /** Enqueues one refresh per token expiring within the lead time; returns how many were due. */
  async scan(enqueue: EnqueueRefreshes, now = new Date()): Promise<number> {
    const horizon = new Date(now.getTime() + this.providers.refreshLeadSeconds * 1000);
    let due = 0;
    for await (const batch of this.connections.expiringTokenBatches(horizon, this.jobs.tokenRefresh.batchSize)) {
      await enqueue(batch.map((t) => ({ connectionId: t.connectionId, expiresAt: t.expiresAt.toISOString() })));
      due += batch.length;
    }
    return due;
  }

  /**
   * Permanent refusals were recorded by the vault (`requires_reauth`, audit) and end the job;
   * transient ones throw so BullMQ retries with backoff, tokens untouched.
   */
  async refresh(jobId: string, data: RefreshJobData): Promise<RefreshJobResult> {
    try {
      // The job id is the audit row's request id: the trail of a background refresh leads to its job.
      const token = await this.tokens.getValidAccessToken(data.connectionId, { requestId: jobId });
      return { outcome: 'current', expiresAt: token.expiresAt?.toISOString() ?? null };
    } catch (error) {
      // The vault has logged and audited it.
      if (error instanceof ReauthRequiredError) return { outcome: 'requires_reauth', expiresAt: null };
      // Disconnected or deleted since the scan: nothing left to keep fresh.
      if (error instanceof ConnectionNotConnectedError) return { outcome: 'not_connected', expiresAt: null };
      throw error;
    }
  }
}

/**
 * Delay before retry `attemptsMade` (1 = first retry): `baseMs` doubling per attempt, never less than
 * the Retry-After an institution sent with a 429/503, spread downwards by up to 20%.
 */
export function institutionBackoffMs(
  attemptsMade: number,
  baseMs: number,
  error: unknown,
  random = Math.random,
): number {
  const exponential = baseMs * 2 ** Math.max(0, attemptsMade - 1);
  const spread = Math.round(exponential * (1 - BACKOFF_JITTER * random()));
  const retryAfter = error instanceof ProviderUnavailableError ? (error.retryAfterMs ?? 0) : 0;
  return Math.max(spread, retryAfter);
}
