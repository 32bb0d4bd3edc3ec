import type Redis from 'ioredis';
import { Keyv } from 'keyv';

import { redisKeys, SerialQueue } from '@dashtam/platform';

export interface CounterHit {
  /** Hits in the current window, this one included. */
  hits: number;
  /** Until the window resets. */
  windowRemainingMs: number;
  /** > 0 when the key is blocked (this hit crossed the limit, or an earlier one did). */
  blockedForMs: number;
}

/**
 * Fixed-window counters with a block once a limit is crossed: the primitive behind the rate limits
 * and the login lockout of unknown emails. Redis-backed so every api instance sees the same counts.
 */
export abstract class CounterStore {
  /**
   * Counts a hit on `key` (a counter key from `redisKeys`); once hits exceed `limit` the key is blocked
   * for `blockMs` and the window restarts.
   */
  abstract hit(key: string, windowMs: number, limit: number, blockMs: number): Promise<CounterHit>;
  /** Remaining block time of `key` in ms, 0 when it is not blocked. Never counts a hit. */
  abstract blockedFor(key: string): Promise<number>;
}

// One round trip, atomic across instances: a blocked key answers without counting; crossing the
// limit sets the block and drops the count so the next window starts fresh after the block.
const HIT_SCRIPT = `
local blockTtl = redis.call('PTTL', KEYS[2])
if blockTtl > 0 then return {tonumber(ARGV[2]) + 1, 0, blockTtl} end
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return {hits, 0, tonumber(ARGV[3])}
end
return {hits, ttl, 0}
`;

interface RedisWithHit extends Redis {
  dashtamCounterHit(
    hitsKey: string,
    blockKey: string,
    windowMs: number,
    limit: number,
    blockMs: number,
  ): Promise<number[]>;
}

export class RedisCounterStore extends CounterStore {
  private readonly redis: RedisWithHit;

  constructor(redis: Redis) {
    super();
    if (!('dashtamCounterHit' in redis)) redis.defineCommand('dashtamCounterHit', { numberOfKeys: 2, lua: HIT_SCRIPT });
    this.redis = redis as RedisWithHit;
  }

  async hit(key: string, windowMs: number, limit: number, blockMs: number): Promise<CounterHit> {
    const [hits, windowRemainingMs, blockedForMs] = await this.redis.dashtamCounterHit(
      key,
      redisKeys.counterBlock(key),
      windowMs,
      limit,
      blockMs,
    );
    return { hits, windowRemainingMs, blockedForMs };
  }

  async blockedFor(key: string): Promise<number> {
    return Math.max(0, await this.redis.pttl(redisKeys.counterBlock(key)));
  }
}

/**
 * Single-process stand-in for development without Redis (configuration refuses that in production):
 * the same algorithm as HIT_SCRIPT on Keyv's memory store, which does the expiry; the queue makes each
 * hit as indivisible as the script is on Redis.
 */
export class MemoryCounterStore extends CounterStore {
  private readonly entries = new Keyv<number>();
  private readonly queue = new SerialQueue();

  hit(key: string, windowMs: number, limit: number, blockMs: number): Promise<CounterHit> {
    return this.queue.run(async () => {
      const blockedForMs = await this.remainingMs(redisKeys.counterBlock(key));
      if (blockedForMs > 0) return { hits: limit + 1, windowRemainingMs: 0, blockedForMs };
      const current = await this.entries.getRaw<number>(key);
      const hits = (current?.value ?? 0) + 1;
      // Keyv drops an entry only once it is past its expiry; at the very millisecond, keep a 1 ms window.
      const windowRemainingMs = current?.expires ? Math.max(1, current.expires - Date.now()) : windowMs;
      if (hits > limit) {
        await this.entries.set(redisKeys.counterBlock(key), 1, blockMs);
        await this.entries.delete(key);
        return { hits, windowRemainingMs: 0, blockedForMs: blockMs };
      }
      await this.entries.set(key, hits, windowRemainingMs);
      return { hits, windowRemainingMs, blockedForMs: 0 };
    });
  }

  blockedFor(key: string): Promise<number> {
    return this.queue.run(() => this.remainingMs(redisKeys.counterBlock(key)));
  }

  // Like PTTL: what remains of an entry's lifetime, 0 when it is gone.
  private async remainingMs(key: string): Promise<number> {
    const entry = await this.entries.getRaw(key);
    return entry?.expires ? Math.max(0, entry.expires - Date.now()) : 0;
  }
}

export function createCounterStore(redis: Redis | null): CounterStore {
  return redis ? new RedisCounterStore(redis) : new MemoryCounterStore();
}
