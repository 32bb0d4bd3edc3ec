import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { hostname } from 'node:os';

import { syncConfig, type SyncConfig } from '@dashtam/config';

import { SyncRunner, type SyncRunOutcome } from '../../syncs/engine/sync-runner.service';
import { type ScanResult, SyncLauncher } from '../../syncs/sync-launcher.service';
import { SYNC_QUEUE, SYNC_RUN_JOB, SYNC_SCAN_JOB, type SyncJobData } from './sync.jobs';
import { SyncQueueService } from './sync-queue.service';

// A killed instance's running sync is picked up by another instance once its job lock lapses (renewed
// every half lock while the instance lives) and a stalled check runs: within about 20 s. The runner
// that picks it up takes the sync over (its lease moves; the dead runner could write nothing more).
const JOB_LOCK_MS = 15_000;
const STALLED_CHECK_MS = 5_000;
// After that many recoveries the job fails; the scan re-dispatches the sync once it looks stale.
const MAX_STALLED_RECOVERIES = 2;

// How long shutdown waits to hand an interrupted sync back to the queue.
const REDISPATCH_WAIT_MS = 1_000;

type SyncJob = Job<SyncJobData | undefined, SyncRunOutcome | ScanResult>;

/** The worker of the sync queue, in every api instance, SYNC_CONCURRENCY syncs at once. */
@Processor(SYNC_QUEUE, {
  // Started at bootstrap: the concurrency comes from validated config.
  autorun: false,
  // Recorded on every job it runs (processedBy): which instance ran which sync.
  name: `${hostname()}:${process.pid}`,
  lockDuration: JOB_LOCK_MS,
  stalledInterval: STALLED_CHECK_MS,
  maxStalledCount: MAX_STALLED_RECOVERIES,
})
export class SyncProcessor extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SyncProcessor.name);
  private readonly running = new Set<Promise<SyncRunOutcome>>();

  constructor(
    private readonly runner: SyncRunner,
    private readonly launcher: SyncLauncher,
    private readonly queue: SyncQueueService,
    @Inject(syncConfig.KEY) private readonly config: SyncConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.concurrency;
    this.worker.run().catch((error: Error) => this.logger.error(`sync worker stopped: ${error.message}`));
  }

  /**
   * Before the database closes: the worker takes no new job, running syncs stop at their next step
   * and are queued again (another instance resumes them at once), and once they have, the worker
   * closes — gracefully while Redis answers; otherwise without the QUIT an outage would never answer,
   * which would hold the shutdown.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.runner.interrupt();
    await this.worker.pause(true);
    await Promise.allSettled([...this.running]);
    const redis = await this.worker.client;
    await this.worker.close(redis.status !== 'ready');
  }

  async process(job: SyncJob): Promise<SyncRunOutcome | ScanResult> {
    if (job.name === SYNC_SCAN_JOB) return this.launcher.scan();
    if (job.name !== SYNC_RUN_JOB || !job.data) throw new UnrecoverableError(`unknown sync job "${job.name}"`);
    const run = this.run(job.data.syncId, job.stalledCounter > 0);
    this.running.add(run);
    try {
      return await run;
    } finally {
      this.running.delete(run);
    }
  }

  // BullMQ hands a job out again only when its previous worker lost the lock: that runner is gone.
  private async run(syncId: string, takeover: boolean): Promise<SyncRunOutcome> {
    const outcome = await this.runner.run({ syncId, takeover });
    // Queued again by the runner: another instance's worker resumes it now, not after the stale timeout.
    // Bounded: during a Redis outage the scan finds it once it looks stale.
    if (outcome === 'interrupted') {
      const dispatched = this.queue.dispatch([{ syncId, generation: `resume${Date.now()}` }]).catch(() => undefined);
      await Promise.race([dispatched, new Promise((resolve) => setTimeout(resolve, REDISPATCH_WAIT_MS).unref())]);
    }
    return outcome;
  }

  @OnWorkerEvent('failed')
  onFailed(job: SyncJob | undefined, error: Error): void {
    if (job?.name === SYNC_SCAN_JOB) this.logger.warn(`sync scan failed (the next one retries): ${error.message}`);
    else this.logger.warn(`sync job ${job?.id ?? '?'} failed: ${error.message}`);
  }

  // Without a listener BullMQ prints connection errors to the console, past the redacting logger.
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn(`sync worker: ${error.message}`);
  }
}
