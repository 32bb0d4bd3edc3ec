import { setTimeout as sleep } from 'node:timers/promises';

import KeyvRedis, { createClient, type KeyvRedisOptions, type RedisClientType } from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Logger, Module } from '@nestjs/common';
import { Keyv } from 'keyv';

import { redisConfig, type RedisConfig } from '@dashtam/config';

/** Only for entries stored without a TTL of their own; every caller passes one. */
export const DEFAULT_CACHE_TTL_MS = 60_000;
/**
 * With Redis, a small in-process tier answers first, so a hot entry costs no round trip: an entry lives
 * there at most this long, whatever TTL it was stored with (callers that promise a bound budget for it).
 */
export const MEMORY_TIER_TTL_MS = 1_000;
// Entries are short-lived; the cap only bounds memory should many distinct keys arrive within a second.
const MEMORY_TIER_MAX_ENTRIES = 10_000;
// How long boot waits for Redis, and one connection attempt may take, before moving on.
const CONNECT_TIMEOUT_MS = 1_000;
// How long shutdown lets pending cache commands finish.
const CLOSE_TIMEOUT_MS = 1_000;

/**
 * The one cache: `CACHE_MANAGER` (cache-manager over Keyv), through which every cached read goes, with
 * keys from `redisKeys` (@dashtam/platform). On Redis when REDIS_URL is set, so all instances share
 * it, behind an in-process tier of at most MEMORY_TIER_TTL_MS (`wrap` reads the tiers in order and
 * refills the memory one); in memory only otherwise, which config allows only outside production. While
 * Redis is unreachable a call fails at once instead of queueing: a read becomes a miss and the caller
 * asks the database, a write is logged and skipped.
 */
@Module({
  imports: [
    CacheModule.registerAsync({
      isGlobal: true,
      inject: [redisConfig.KEY],
      useFactory: async (config: RedisConfig) => ({
        ttl: DEFAULT_CACHE_TTL_MS,
        stores: config.url ? [new MemoryTier(), await redisStore(config.url)] : [new Keyv()],
      }),
    }),
  ],
})
export class AppCacheModule {}

/** Keyv over a bounded Map, without serialisation, that keeps no entry longer than MEMORY_TIER_TTL_MS. */
class MemoryTier extends Keyv {
  constructor() {
    super({ store: new BoundedMap(MEMORY_TIER_MAX_ENTRIES), useKeyPrefix: false });
    this.serialize = undefined;
    this.deserialize = undefined;
    this.namespace = undefined;
  }

  override set<Value>(key: string, value: Value, ttl?: number): Promise<boolean> {
    return super.set(key, value, Math.min(ttl ?? MEMORY_TIER_TTL_MS, MEMORY_TIER_TTL_MS));
  }
}

/** A Map that drops its oldest entry past `max` (Keyv drops expired entries when it reads them). */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.max) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}

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
  const keyv = new Keyv(new BoundedCloseKeyvRedis(client, logger, { throwOnErrors: true }), {
    useKeyPrefix: false,
    throwOnErrors: true,
  });
  // Keys are redisKeys' as they stand: no Keyv namespace in front.
  keyv.namespace = undefined;
  return keyv;
}

/**
 * node-redis's close() waits for the replies of commands in flight, which a Redis that stopped answering
 * never sends: without a ready connection shutdown drops the socket at once, with one it waits a bounded
 * time. A write that fails is logged, not thrown: the caller has its answer, the cache just lacks it.
 */
class BoundedCloseKeyvRedis extends KeyvRedis<unknown> {
  constructor(
    private readonly connection: RedisClientType,
    private readonly warnings: Logger,
    options: KeyvRedisOptions,
  ) {
    super(connection, options);
  }

  override async set(key: string, value: string, ttl?: number): Promise<void> {
    try {
      await super.set(key, value, ttl);
    } catch (error) {
      this.warnings.warn(`cache entry not stored in Redis: ${(error as Error).message}`);
    }
  }

  override async disconnect(): Promise<void> {
    if (!this.connection.isOpen) return;
    if (!this.connection.isReady) return this.connection.destroy();
    await Promise.race([super.disconnect(), sleep(CLOSE_TIMEOUT_MS, undefined, { ref: false })]);
  }
}
