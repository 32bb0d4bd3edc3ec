import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import Redis from 'ioredis';
import { hostname } from 'node:os';

import {
  jobsConfig,
  type JobsConfig,
  providersConfig,
  type ProvidersConfig,
  redisConfig,
  type RedisConfig,
} from '@dashtam/config';

import { institutionBackoffMs, TokenRefreshProcessor } from './token-refresh.processor';
import {
  INSTITUTION_BACKOFF,
  REFRESH_JOB,
  type RefreshJobData,
  refreshJobId,
  type RefreshJobResult,
  SCAN_JOB,
  SCAN_SCHEDULER_ID,
  TOKEN_REFRESH_QUEUE,
} from './token-refresh.jobs';

// Finished jobs stay this long: their ids keep later scans from enqueueing the same expiry again, and
// a refresh that gave up after its retries waits this long before a scan tries it afresh.
const FINISHED_JOB_RETENTION_SECONDS = 600;

// A killed instance's running refresh is picked up by another one once its job lock lapses (renewed
// every half lock while the instance lives) and a stalled check runs: within about 15 s, well inside
// the 30-60 s reuse grace of rotating institutions, so the retry still redeems the rotated-out token.
// BullMQ's defaults (30 s each) could take a minute. Two recoveries per job, then a later scan.
const JOB_LOCK_MS = 10_000;
const STALLED_CHECK_MS = 5_000;
const MAX_STALLED_RECOVERIES = 2;

type TokenRefreshJob = Job<RefreshJobData | undefined, RefreshJobResult | { due: number }>;

/**
 * Runs the proactive token refresh on BullMQ in every api instance: each upserts the one job
 * scheduler (so one scan per interval across all of them) and runs a worker with bounded concurrency.
 * Without Redis, or with PROVIDER_REFRESH_SCAN_SECONDS=0, it stays off and says so once.
 */
@Injectable()
export class TokenRefreshScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TokenRefreshScheduler.name);
  private connection: Redis | undefined;
  private queue: Queue | undefined;
  private worker: Worker | undefined;
  private registering: Promise<void> | undefined;

  constructor(
    private readonly processor: TokenRefreshProcessor,
    @Inject(redisConfig.KEY) private readonly redis: RedisConfig,
    @Inject(jobsConfig.KEY) private readonly jobs: JobsConfig,
    @Inject(providersConfig.KEY) private readonly providers: Pick<ProvidersConfig, 'refreshLeadSeconds'>,
  ) {}

  onApplicationBootstrap(): void {
    const { scanSeconds, concurrency, attempts, backoffMs } = this.jobs.tokenRefresh;
    if (!this.redis.url) {
      this.logger.log('proactive token refresh is off: no Redis configured (tokens are still refreshed on demand)');
      return;
    }
    if (scanSeconds === 0) {
      this.logger.log('proactive token refresh is off in this instance: PROVIDER_REFRESH_SCAN_SECONDS=0');
      return;
    }
    if (scanSeconds >= this.providers.refreshLeadSeconds) {
      this.logger.warn(
        'PROVIDER_REFRESH_SCAN_SECONDS is not below PROVIDER_TOKEN_REFRESH_LEAD_SECONDS: tokens may expire between scans',
      );
    }

    // BullMQ's blocking commands need a client that never gives up on a command (maxRetriesPerRequest: null).
    const connection = new Redis(this.redis.url, { maxRetriesPerRequest: null });
    connection.on('error', (error: Error) => this.logger.warn(`redis (jobs): ${error.message}`));
    const prefix = this.jobs.queuePrefix;
    this.connection = connection;
    this.queue = new Queue(TOKEN_REFRESH_QUEUE, { connection, prefix });
    this.queue.on('error', (error: Error) => this.logger.warn(`token refresh queue: ${error.message}`));
    this.worker = new Worker(TOKEN_REFRESH_QUEUE, (job: TokenRefreshJob) => this.process(job), {
      connection,
      prefix,
      concurrency,
      // Recorded on every job it runs (processedBy): which instance refreshed what.
      name: `${hostname()}:${process.pid}`,
      lockDuration: JOB_LOCK_MS,
      stalledInterval: STALLED_CHECK_MS,
      maxStalledCount: MAX_STALLED_RECOVERIES,
      settings: {
        backoffStrategy: (attemptsMade, _type, error) => institutionBackoffMs(attemptsMade, backoffMs, error),
      },
    });
    this.worker.on('error', (error: Error) => this.logger.warn(`token refresh worker: ${error.message}`));
    this.worker.on('failed', (job: TokenRefreshJob | undefined, error: Error) => {
      if (job?.name === SCAN_JOB)
        this.logger.warn(`token refresh scan failed (the next one retries): ${error.message}`);
      else if (job && job.attemptsMade >= attempts) {
        this.logger.warn(`proactive refresh ${job.id} gave up after ${job.attemptsMade} tries: ${error.message}`);
      }
    });

    // Every instance upserts the same scheduler id: one scan per interval however many instances run.
    this.registering = this.queue
      .upsertJobScheduler(
        SCAN_SCHEDULER_ID,
        { every: scanSeconds * 1000 },
        {
          name: SCAN_JOB,
          opts: { attempts: 1, removeOnComplete: true, removeOnFail: { age: FINISHED_JOB_RETENTION_SECONDS } },
        },
      )
      .then(
        () => this.logger.log(`proactive token refresh: scan every ${scanSeconds}s, ${concurrency} refreshes at once`),
        (error: Error) => this.logger.error(`proactive token refresh could not be scheduled: ${error.message}`),
      );
  }

  /**
   * Before the database and the shared Redis client close (onApplicationShutdown): the worker stops
   * taking jobs and lets the running refreshes finish, so none is cut off between the institution's
   * answer and the write of the new tokens. The scheduler stays: other instances keep scanning.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.registering;
    await this.queue?.close();
    await this.connection?.quit().catch(() => this.connection?.disconnect());
  }

  private async process(job: TokenRefreshJob): Promise<RefreshJobResult | { due: number }> {
    if (job.name === SCAN_JOB) return { due: await this.processor.scan((due) => this.enqueue(due)) };
    if (job.name === REFRESH_JOB && job.data && job.id) return this.processor.refresh(job.id, job.data);
    throw new UnrecoverableError(`unknown token refresh job "${job.name}"`);
  }

  private async enqueue(due: RefreshJobData[]): Promise<void> {
    const { attempts } = this.jobs.tokenRefresh;
    const queue = this.queue!;
    // Tokens still waiting from an earlier scan come back on every scan until refreshed. BullMQ would
    // ignore their adds, but each costs a script run and a serialised job; an EXISTS costs nearly
    // nothing. Which job exists is only a hint: the id still makes a concurrent add harmless.
    const exists = this.connection!.pipeline();
    for (const data of due) exists.exists(queue.toKey(refreshJobId(data)));
    const known = (await exists.exec()) ?? [];
    const missing = due.filter((_, i) => known[i]?.[1] !== 1);
    if (missing.length === 0) return;
    await queue.addBulk(
      missing.map((data) => ({
        name: REFRESH_JOB,
        data,
        opts: {
          jobId: refreshJobId(data),
          attempts,
          backoff: { type: INSTITUTION_BACKOFF },
          removeOnComplete: { age: FINISHED_JOB_RETENTION_SECONDS },
          removeOnFail: { age: FINISHED_JOB_RETENTION_SECONDS },
        },
      })),
    );
  }
}
