import { InjectQueue } from '@nestjs/bullmq';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Queue } from 'bullmq';
import type { ChainableCommander } from 'ioredis';

import { jobsConfig, type JobsConfig, providersConfig, type ProvidersConfig } from '@dashtam/config';
import { ProviderConnectionsRepository } from '@dashtam/providers';

import {
  INSTITUTION_BACKOFF,
  REFRESH_JOB,
  type RefreshJobData,
  refreshJobId,
  SCAN_JOB,
  SCAN_SCHEDULER_ID,
  TOKEN_REFRESH_QUEUE,
} from './token-refresh.jobs';

// Finished jobs stay this long: their ids keep later scans from enqueueing the same expiry again, and
// a refresh that gave up after its retries waits this long before a scan tries it afresh.
export const FINISHED_JOB_RETENTION_SECONDS = 600;

/**
 * What goes into the token refresh queue: the one scan schedule (upserted by every instance, so one
 * scan per interval across all of them) and, from a scan, one refresh job per due token under an id
 * that makes a second job for the same expiry impossible. With PROVIDER_REFRESH_SCAN_SECONDS=0 this
 * instance schedules nothing (and its worker stays idle) and says so once.
 */
@Injectable()
export class TokenRefreshQueueService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TokenRefreshQueueService.name);
  private scheduling: Promise<void> | undefined;

  constructor(
    @InjectQueue(TOKEN_REFRESH_QUEUE) private readonly queue: Queue,
    private readonly connections: ProviderConnectionsRepository,
    @Inject(providersConfig.KEY) private readonly providers: Pick<ProvidersConfig, 'refreshLeadSeconds'>,
    @Inject(jobsConfig.KEY) private readonly jobs: JobsConfig,
  ) {
    // Without a listener BullMQ prints connection errors to the console, past the redacting logger.
    queue.on('error', (error: Error) => this.logger.warn(`token refresh queue: ${error.message}`));
  }

  onApplicationBootstrap(): void {
    const { scanSeconds, concurrency } = this.jobs.tokenRefresh;
    if (scanSeconds === 0) {
      this.logger.log('proactive token refresh is off in this instance: PROVIDER_REFRESH_SCAN_SECONDS=0');
      return;
    }
    if (scanSeconds >= this.providers.refreshLeadSeconds) {
      this.logger.warn(
        'PROVIDER_REFRESH_SCAN_SECONDS is not below PROVIDER_TOKEN_REFRESH_LEAD_SECONDS: tokens may expire between scans',
      );
    }
    // Not awaited: a Redis that answers late must not hold the api's start-up.
    this.scheduling = this.queue
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

  /** The queue closes in onApplicationShutdown: let a pending upsert finish first. The schedule stays. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.scheduling;
  }

  /** Enqueues one refresh per token expiring within the lead time; returns how many were due. */
  async scan(now = new Date()): Promise<number> {
    const horizon = new Date(now.getTime() + this.providers.refreshLeadSeconds * 1000);
    let due = 0;
    for await (const batch of this.connections.expiringTokenBatches(horizon, this.jobs.tokenRefresh.batchSize)) {
      await this.enqueue(batch.map((t) => ({ connectionId: t.connectionId, expiresAt: t.expiresAt.toISOString() })));
      due += batch.length;
    }
    return due;
  }

  private async enqueue(due: RefreshJobData[]): Promise<void> {
    const { attempts, backoffMs } = this.jobs.tokenRefresh;
    // Tokens still waiting from an earlier scan come back on every scan until refreshed. BullMQ would
    // ignore their adds, but each costs a script run and a serialised job; an EXISTS costs nearly
    // nothing. Which job exists is only a hint: the id still makes a concurrent add harmless.
    // BullMQ types its client by the commands BullMQ itself needs; opened from REDIS_URL, it is ioredis.
    const exists = (await this.queue.client).pipeline() as unknown as ChainableCommander;
    for (const data of due) exists.exists(this.queue.toKey(refreshJobId(data)));
    const known = (await exists.exec()) ?? [];
    const missing = due.filter((_, i) => known[i]?.[1] !== 1);
    if (missing.length === 0) return;
    await this.queue.addBulk(
      missing.map((data) => ({
        name: REFRESH_JOB,
        data,
        opts: {
          jobId: refreshJobId(data),
          attempts,
          // The job carries its base delay: the worker's backoff strategy is fixed when the class loads.
          backoff: { type: INSTITUTION_BACKOFF, delay: backoffMs },
          removeOnComplete: { age: FINISHED_JOB_RETENTION_SECONDS },
          removeOnFail: { age: FINISHED_JOB_RETENTION_SECONDS },
        },
      })),
    );
  }
}
