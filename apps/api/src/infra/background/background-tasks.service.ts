import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';

/**
 * Work that must not hold up the HTTP answer (mail, per-account work whose cost would tell whether an
 * account exists). Tasks start after the current tick, their failures are logged by class and code only
 * (never the error's text, which may quote an address or a query parameter), and shutdown waits for them.
 */
@Injectable()
export class BackgroundTasksService implements OnApplicationShutdown {
  private readonly logger = new Logger(BackgroundTasksService.name);
  private readonly inFlight = new Set<Promise<void>>();

  run(task: string, work: () => Promise<void>): void {
    const running: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((error: unknown) => {
        const { name, code } = (error ?? {}) as { name?: string; code?: string };
        this.logger.error({ task, error: name ?? 'Error', error_code: code ?? null }, 'background task failed');
      })
      .finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
  }

  /** Resolves once every task, including those started by tasks, has finished. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.drain();
  }
}
