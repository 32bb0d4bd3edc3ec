import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type Job, type MinimalJob, UnrecoverableError } from 'bullmq';
import { hostname } from 'node:os';

import { jobsConfig, type JobsConfig } from '@dashtam/config';
import {
  ConnectionNotConnectedError,
  ProviderUnavailableError,
  ReauthRequiredError,
  TokensUnreadableError,
  TokenRefreshService,
} from '@dashtam/providers';

import {
  REFRESH_JOB,
  type RefreshJobData,
  type RefreshJobResult,
  SCAN_JOB,
  type ScanJobResult,
  TOKEN_REFRESH_QUEUE,
} from './token-refresh.jobs';
import { TokenRefreshQueueService } from './token-refresh.service';

// A killed instance's running refresh is picked up by another one once its job lock lapses (renewed
// every half lock while the instance lives) and a stalled check runs: within about 15 s, well inside
// the 30-60 s reuse grace of rotating institutions, so the retry still redeems the rotated-out token.
// BullMQ's defaults (30 s each) could take a minute. Two recoveries per job, then a later scan.
const JOB_LOCK_MS = 10_000;
const STALLED_CHECK_MS = 5_000;
const MAX_STALLED_RECOVERIES = 2;

/** Small random spread so connections that failed together do not all retry in the same instant. */
const BACKOFF_JITTER = 0.2;

type TokenRefreshJob = Job<RefreshJobData | undefined, RefreshJobResult | ScanJobResult>;

/**
 * The worker of the token refresh queue, in every api instance with PROVIDER_REFRESH_CONCURRENCY jobs
 * at once. A scan job asks the queue service to enqueue what is due; a refresh job asks the token vault
 * for a valid access token, which refreshes only what is still stale, single-flight across every
 * instance (so a job that lost a race, or runs twice, is harmless).
 */
@Processor(TOKEN_REFRESH_QUEUE, {
  // Started at bootstrap, and only where scans are on: the concurrency comes from validated config.
  autorun: false,
  // Recorded on every job it runs (processedBy): which instance refreshed what.
  name: `${hostname()}:${process.pid}`,
  lockDuration: JOB_LOCK_MS,
  stalledInterval: STALLED_CHECK_MS,
  maxStalledCount: MAX_STALLED_RECOVERIES,
  settings: { backoffStrategy: institutionBackoff },
})
export class TokenRefreshProcessor extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TokenRefreshProcessor.name);

  constructor(
    private readonly queue: TokenRefreshQueueService,
    private readonly tokens: TokenRefreshService,
    @Inject(jobsConfig.KEY) private readonly jobs: JobsConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    const { scanSeconds, concurrency } = this.jobs.tokenRefresh;
    // Off in this instance (the queue service says so): it neither schedules nor works.
    if (scanSeconds === 0) return;
    this.worker.concurrency = concurrency;
    this.worker.run().catch((error: Error) => this.logger.error(`token refresh worker stopped: ${error.message}`));
  }

  /**
   * Before the database and the shared Redis client close (onApplicationShutdown, where
   * `@nestjs/bullmq` would close the worker in no set order with them): the worker takes no new job
   * and lets the running refreshes finish, so none is cut off between the institution's answer and the
   * write of the new tokens. The scan schedule stays: other instances keep scanning.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  async process(job: TokenRefreshJob): Promise<RefreshJobResult | ScanJobResult> {
    if (job.name === SCAN_JOB) return { due: await this.queue.scan() };
    if (job.name === REFRESH_JOB && job.data && job.id) return this.refresh(job.id, job.data);
    throw new UnrecoverableError(`unknown token refresh job "${job.name}"`);
  }

  /**
   * Permanent refusals were recorded by the vault (`requires_reauth`, audit) and end the job;
   * transient ones throw so BullMQ retries with backoff, tokens untouched.
   */
  async refresh(jobId: string, data: RefreshJobData): Promise<RefreshJobResult> {
    try {
      // The job id is the audit row's request id: the trail of a background refresh leads to its job.
      const token = await this.tokens.refreshIfDue(data.connectionId, { requestId: jobId });
      return { outcome: 'current', expiresAt: token.expiresAt?.toISOString() ?? null };
    } catch (error) {
      // The vault has logged and audited it.
      if (error instanceof ReauthRequiredError) return { outcome: 'requires_reauth', expiresAt: null };
      // Disconnected or deleted since the scan: nothing left to keep fresh.
      if (error instanceof ConnectionNotConnectedError) return { outcome: 'not_connected', expiresAt: null };
      // Permanent: retrying cannot make tampered ciphertext authentic (the connection is now `error`).
      if (error instanceof TokensUnreadableError) return { outcome: 'tokens_unreadable', expiresAt: null };
      throw error;
    }
  }

  @OnWorkerEvent('failed')
  onFailed(job: TokenRefreshJob | undefined, error: Error): void {
    if (job?.name === SCAN_JOB) this.logger.warn(`token refresh scan failed (the next one retries): ${error.message}`);
    else if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      this.logger.warn(`proactive refresh ${job.id} gave up after ${job.attemptsMade} tries: ${error.message}`);
    }
  }

  // Without a listener BullMQ prints connection errors to the console, past the redacting logger.
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn(`token refresh worker: ${error.message}`);
  }
}

/** The worker's backoff strategy: the base delay is the one the job was enqueued with. */
export function institutionBackoff(attemptsMade: number, _type?: string, error?: Error, job?: MinimalJob): number {
  const backoff = job?.opts.backoff;
  return institutionBackoffMs(attemptsMade, typeof backoff === 'object' ? (backoff.delay ?? 0) : 0, error);
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
