import {
  type BeforeApplicationShutdown,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';

import { syncConfig, type SyncConfig } from '@dashtam/config';

import { SyncRunner } from './engine/sync-runner.service';
import { SyncDispatcher } from './sync-dispatcher';
import { SyncEngineModule } from './sync-engine.module';
import { SyncLauncher } from './sync-launcher.service';
import type { SyncDispatch } from './sync.types';

/**
 * Development without Redis (one instance only; configuration requires Redis in production): syncs
 * run in this process, SYNC_CONCURRENCY at once. The `syncs` table still decides what runs, so nothing
 * here needs to survive a restart: the scan finds what was left.
 */
@Injectable()
export class InProcessSyncDispatcher extends SyncDispatcher implements BeforeApplicationShutdown {
  private readonly logger = new Logger(InProcessSyncDispatcher.name);
  private readonly waiting: SyncDispatch[] = [];
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly runner: SyncRunner,
    @Inject(syncConfig.KEY) private readonly config: SyncConfig,
  ) {
    super();
  }

  /** Running syncs stop at their next step (queued again for the next start); waiting ones stay queued. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    this.runner.interrupt();
    this.waiting.length = 0;
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async dispatch(syncs: SyncDispatch[]): Promise<void> {
    if (this.closed) return;
    this.waiting.push(...syncs);
    this.pump();
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.config.concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      const run: Promise<void> = this.runner
        .run(next)
        .then(
          () => undefined,
          (error: Error) => this.logger.error(`sync ${next.syncId} stopped: ${error.name}`),
        )
        .finally(() => {
          this.running.delete(run);
          this.pump();
        });
      this.running.add(run);
    }
  }
}

/** The scan on a timer, in place of the job engine's schedule (one process, so once per interval). */
@Injectable()
export class InProcessSyncScanner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(InProcessSyncScanner.name);
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<unknown> | undefined;

  constructor(
    private readonly launcher: SyncLauncher,
    @Inject(syncConfig.KEY) private readonly config: SyncConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { scanSeconds } = this.config;
    this.logger.log(
      scanSeconds === 0
        ? 'syncs run in this process (no Redis); scheduled syncs are off: SYNC_SCAN_SECONDS=0'
        : `syncs run in this process (no Redis); scan every ${scanSeconds}s`,
    );
    if (scanSeconds === 0) return;
    this.timer = setInterval(() => this.scan(), scanSeconds * 1000);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.scanning;
  }

  private scan(): void {
    if (this.scanning) return;
    this.scanning = this.launcher
      .scan()
      .catch((error: Error) => this.logger.warn(`sync scan failed (the next one retries): ${error.message}`))
      .finally(() => (this.scanning = undefined));
  }
}

@Global()
@Module({
  imports: [SyncEngineModule],
  providers: [
    InProcessSyncDispatcher,
    InProcessSyncScanner,
    { provide: SyncDispatcher, useExisting: InProcessSyncDispatcher },
  ],
  exports: [SyncDispatcher],
})
export class InProcessSyncModule {}
