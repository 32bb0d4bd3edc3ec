import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';

import { redisConfig, type RedisConfig } from '@dashtam/config';

import { REDIS_CLIENT } from './redis.tokens';

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
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}
