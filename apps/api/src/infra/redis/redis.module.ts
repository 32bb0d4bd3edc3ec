import { setTimeout as sleep } from 'node:timers/promises';

import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';

import { redisConfig, type RedisConfig } from '@dashtam/config';

import { REDIS_CLIENT } from './redis.tokens';

const QUIT_TIMEOUT_MS = 1_000;
// During an outage a command fails at once (no offline queue) or after this long (a Redis that accepts
// connections but does not answer): the request then answers 503, or falls back to the database.
const COMMAND_TIMEOUT_MS = 250;
const BOOT_CONNECT_MS = 1_000;

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
      useFactory: async (config: RedisConfig): Promise<Redis | null> => {
        if (!config.url) return null;
        const client = new Redis(config.url, {
          lazyConnect: true,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          commandTimeout: COMMAND_TIMEOUT_MS,
        });
        // ioredis reconnects by itself; without a listener an outage would crash the process.
        client.on('error', (error: Error) => new Logger('Redis').warn(`redis: ${error.message}`));
        // Connected before the first request (commands are not queued); a Redis that is down at boot does
        // not stop the api: it keeps reconnecting and requests that need Redis answer 503 meanwhile.
        await Promise.race([
          client.connect().catch(() => undefined),
          sleep(BOOT_CONNECT_MS, undefined, { ref: false }),
        ]);
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
