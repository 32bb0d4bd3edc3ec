import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';

import { jobsConfig, redisConfig } from '@dashtam/config';

import { queueRootOptions } from './queue-options';
import { TokenRefreshQueueModule } from './token-refresh/token-refresh.module';

/** Says once, at boot, that this instance runs no background job. */
@Injectable()
class QueuesOffNotice implements OnApplicationBootstrap {
  onApplicationBootstrap(): void {
    new Logger(QueuesModule.name).log(
      'background jobs are off: no Redis configured (proactive token refresh among them; tokens are still refreshed on demand)',
    );
  }
}

/**
 * Background jobs on BullMQ (`@nestjs/bullmq`): one root configuration (queueRootOptions) and one
 * module per queue under `queues/<queue>/`. Without Redis (development only; configuration requires
 * it in production) no queue is registered at all, and nothing connects anywhere.
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
      ],
    };
  }
}
