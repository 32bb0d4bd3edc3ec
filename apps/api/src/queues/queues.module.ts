import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';

import { jobsConfig, redisConfig } from '@dashtam/config';

import { queueRootOptions } from './queue-options';
import { SyncQueueModule } from './sync/sync-queue.module';
import { TokenRefreshQueueModule } from './token-refresh/token-refresh.module';

/** Says once, at boot, that this instance runs no background job. */
@Injectable()
class QueuesOffNotice implements OnApplicationBootstrap {
  onApplicationBootstrap(): void {
    new Logger(QueuesModule.name).log(
      'background jobs are off: no Redis configured (no proactive token refresh: tokens are refreshed on demand; syncs run in this process)',
    );
  }
}

/**
 * Background jobs on BullMQ (`@nestjs/bullmq`): one root configuration (queueRootOptions) and one
 * module per queue under `queues/<queue>/`. Without Redis (development only; configuration requires
 * it in production) no queue is registered at all, and nothing connects anywhere; AppModule then
 * runs syncs in the process instead (InProcessSyncModule): they are the one job that cannot be skipped.
 */
@Module({})
export class QueuesModule {
  static forRoot(redisUrl: string | null): DynamicModule {
    if (!redisUrl) return { module: QueuesModule, providers: [QueuesOffNotice] };
    return {
      module: QueuesModule,
      imports: [
        BullModule.forRootAsync({ inject: [redisConfig.KEY, jobsConfig.KEY], useFactory: queueRootOptions }),
        TokenRefreshQueueModule,
        SyncQueueModule,
      ],
    };
  }
}
