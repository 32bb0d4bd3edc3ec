import { InjectQueue } from '@nestjs/bullmq';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Queue } from 'bullmq';

import { syncConfig, type SyncConfig } from '@dashtam/config';

import { SyncDispatcher } from '../../syncs/sync-dispatcher';
import type { SyncDispatch } from '../../syncs/sync.types';
import { SYNC_QUEUE, SYNC_RUN_JOB, SYNC_SCAN_JOB, SYNC_SCAN_SCHEDULER_ID, syncJobId } from './sync.jobs';

// Finished jobs stay this long (their ids keep a repeated dispatch from running a sync twice), then go.
export const FINISHED_SYNC_JOB_RETENTION_SECONDS = 3600;

/**
 * The sync engine on BullMQ: dispatching a sync adds its job (any instance's worker runs it), and one
 * scan per SYNC_SCAN_SECONDS across all instances (a job scheduler every instance upserts under one
 * id) queues the due syncs and re-dispatches lost ones. With SYNC_SCAN_SECONDS=0 this instance
 * schedules nothing; its worker still runs the syncs asked for.
 */
@Injectable()
export class SyncQueueService extends SyncDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SyncQueueService.name);
  private scheduling: Promise<void> | undefined;

  constructor(
    @InjectQueue(SYNC_QUEUE) private readonly queue: Queue,
    @Inject(syncConfig.KEY) private readonly config: SyncConfig,
  ) {
    super();
    // Without a listener BullMQ prints connection errors to the console, past the redacting logger.
    queue.on('error', (error: Error) => this.logger.warn(`sync queue: ${error.message}`));
  }

  onApplicationBootstrap(): void {
    const { scanSeconds } = this.config;
    if (scanSeconds === 0) {
      this.logger.log('scheduled syncs are off in this instance: SYNC_SCAN_SECONDS=0');
      return;
    }
    // Not awaited: a Redis that answers late must not hold the api's start-up.
    this.scheduling = this.queue
      .upsertJobScheduler(
        SYNC_SCAN_SCHEDULER_ID,
        { every: scanSeconds * 1000 },
        {
          name: SYNC_SCAN_JOB,
          opts: { attempts: 1, removeOnComplete: true, removeOnFail: { age: FINISHED_SYNC_JOB_RETENTION_SECONDS } },
        },
      )
      .then(
        () => this.logger.log(`scheduled syncs: scan every ${scanSeconds}s, ${this.config.concurrency} syncs at once`),
        (error: Error) => this.logger.error(`scheduled syncs could not be set up: ${error.message}`),
      );
  }

  /** The queue closes in onApplicationShutdown: let a pending upsert finish first. The schedule stays. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.scheduling;
  }

  async dispatch(syncs: SyncDispatch[]): Promise<void> {
    if (syncs.length === 0) return;
    await this.queue.addBulk(
      syncs.map(({ syncId, generation }) => ({
        name: SYNC_RUN_JOB,
        data: { syncId },
        opts: {
          jobId: syncJobId(syncId, generation),
          // The sync records its own failure and the connection backs off; the job never retries.
          attempts: 1,
          removeOnComplete: { age: FINISHED_SYNC_JOB_RETENTION_SECONDS },
          removeOnFail: { age: FINISHED_SYNC_JOB_RETENTION_SECONDS },
        },
      })),
    );
  }
}
