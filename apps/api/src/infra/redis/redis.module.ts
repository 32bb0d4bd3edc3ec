import { setTimeout as sleep } from 'node:timers/promises';

import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';

import { redisConfig, type RedisConfig } from '@dashtam/config';

import { REDIS_CLIENT } from './redis.tokens';

const QUIT_TIMEOUT_MS = 1_000;

/**
 * One ioredis client for everything that needs Redis primitives beyond a cache (health probe, rate
 * limits, one-time OAuth state, locks). Null when REDIS_URL is empty (development without Redis).
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [redisConfig.KEY],
      useFactory: (config: RedisConfig): Redis | null => {
        if (!config.url) return null;
        const client = new Redis(config.url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
        // ioredis reconnects by itself; without a listener an outage would crash the process.
        client.on('error', (error: Error) => new Logger('Redis').warn(`redis: ${error.message}`));
        return client;
      },
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.redis) return;
    // QUIT lets commands in flight finish, but only a ready connection answers it: during an outage it
    // would wait out every reconnect, so shutdown gives it a bounded time and otherwise drops the socket.
    if (this.redis.status === 'ready') {
      const quit = this.redis.quit().then(
        () => true,
        () => false,
      );
      if (await Promise.race([quit, sleep(QUIT_TIMEOUT_MS, false, { ref: false })])) return;
    }
    this.redis.disconnect();
  }
}
