import KeyvRedis from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { Keyv } from 'keyv';

import { redisConfig, type RedisConfig } from '@dashtam/config';

export const CACHE_NAMESPACE = 'dashtam';
export const DEFAULT_CACHE_TTL_MS = 60_000;

/**
 * cache-manager over Keyv: Redis when REDIS_URL is set (the db index comes from the URL: 0 in
 * development, 1 in tests), memory otherwise — which config allows only outside production.
 */
@Module({
  imports: [
    CacheModule.registerAsync({
      isGlobal: true,
      inject: [redisConfig.KEY],
      useFactory: (config: RedisConfig) => ({
        ttl: DEFAULT_CACHE_TTL_MS,
        stores: [
          config.url
            ? new Keyv({ store: new KeyvRedis(config.url), namespace: CACHE_NAMESPACE, useKeyPrefix: false })
            : new Keyv({ namespace: CACHE_NAMESPACE }),
        ],
      }),
    }),
  ],
})
export class AppCacheModule {}
