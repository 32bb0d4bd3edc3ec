import { createKeyv } from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Logger, Module } from '@nestjs/common';
import { Keyv } from 'keyv';

import { redisConfig, type RedisConfig } from '@dashtam/config';

/** Only for entries stored without a TTL of their own; every caller passes one. */
export const DEFAULT_CACHE_TTL_MS = 60_000;
// How long a cache call may wait for a connection to Redis before it counts as failed (then a miss).
const CONNECT_TIMEOUT_MS = 1_000;

/**
 * The one cache: `CACHE_MANAGER` (cache-manager over Keyv), through which every cached read goes, with
 * keys from `redisKeys` (@dashtam/platform). On Redis when REDIS_URL is set, so all instances share
 * it; in memory otherwise, which config allows only outside production. While Redis is unreachable a
 * call fails at once instead of queueing, so a read becomes a miss and the caller asks the database.
 */
@Module({
  imports: [
    CacheModule.registerAsync({
      isGlobal: true,
      inject: [redisConfig.KEY],
      useFactory: (config: RedisConfig) => {
        const store = config.url
          ? createKeyv(
              { url: config.url, disableOfflineQueue: true, socket: { connectTimeout: CONNECT_TIMEOUT_MS } },
              { throwOnErrors: true, connectionTimeout: CONNECT_TIMEOUT_MS },
            )
          : new Keyv();
        // The Redis client reconnects by itself; its errors are logged here, callers only see a failed call.
        const logger = new Logger(AppCacheModule.name);
        store.on('error', (error: unknown) => logger.warn(`cache: ${error instanceof Error ? error.message : error}`));
        return { ttl: DEFAULT_CACHE_TTL_MS, stores: [store] };
      },
    }),
  ],
})
export class AppCacheModule {}
