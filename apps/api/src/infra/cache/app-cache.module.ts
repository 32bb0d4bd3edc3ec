import { setTimeout as sleep } from 'node:timers/promises';

import KeyvRedis, { createClient, type KeyvRedisOptions, type RedisClientType } from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Logger, Module } from '@nestjs/common';
import { Keyv } from 'keyv';

import { redisConfig, type RedisConfig } from '@dashtam/config';

/** Only for entries stored without a TTL of their own; every caller passes one. */
export const DEFAULT_CACHE_TTL_MS = 60_000;
// How long boot waits for Redis, and one connection attempt may take, before moving on.
const CONNECT_TIMEOUT_MS = 1_000;
// How long shutdown lets pending cache commands finish.
const CLOSE_TIMEOUT_MS = 1_000;

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
      useFactory: async (config: RedisConfig) => ({
        ttl: DEFAULT_CACHE_TTL_MS,
        stores: [config.url ? await redisStore(config.url) : new Keyv()],
      }),
    }),
  ],
})
export class AppCacheModule {}

async function redisStore(url: string): Promise<Keyv> {
  const client: RedisClientType = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: CONNECT_TIMEOUT_MS },
  });
  // The client reconnects by itself; without a listener an outage would crash the process.
  const logger = new Logger(AppCacheModule.name);
  client.on('error', (error: Error) => logger.warn(`redis (cache): ${error.message}`));
  // Connected before the first request, so no call meets a client that is still connecting (it would
  // fail: no offline queue). Should Redis be down at boot, the api starts and the client keeps trying.
  const connecting = client.connect().catch(() => undefined);
  await Promise.race([connecting, sleep(CONNECT_TIMEOUT_MS, undefined, { ref: false })]);
  // Errors reach cache-manager (a failed read is a miss) instead of passing as empty answers.
  const keyv = new Keyv(new BoundedCloseKeyvRedis(client, { throwOnErrors: true }), {
    useKeyPrefix: false,
    throwOnErrors: true,
  });
  // Keys are redisKeys' as they stand: no Keyv namespace in front.
  keyv.namespace = undefined;
  return keyv;
}

/**
 * node-redis's close() waits for the replies of commands in flight, which a Redis that stopped answering
 * never sends: without a ready connection shutdown drops the socket at once, with one it waits a bounded time.
 */
class BoundedCloseKeyvRedis extends KeyvRedis<unknown> {
  constructor(
    private readonly connection: RedisClientType,
    options: KeyvRedisOptions,
  ) {
    super(connection, options);
  }

  override async disconnect(): Promise<void> {
    if (!this.connection.isOpen) return;
    if (!this.connection.isReady) return this.connection.destroy();
    await Promise.race([super.disconnect(), sleep(CLOSE_TIMEOUT_MS, undefined, { ref: false })]);
  }
}
