import type Redis from 'ioredis';

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
  /** Counts a hit on `key`; once hits exceed `limit` the key is blocked for `blockMs` and the window restarts. */
  abstract hit(key: string, windowMs: number, limit: number, blockMs: number): Promise<CounterHit>;
  /** Remaining block time of `key` in ms, 0 when it is not blocked. Never counts a hit. */
  abstract blockedFor(key: string): Promise<number>;
}

const KEY_PREFIX = 'dashtam:counter:';

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
      `${KEY_PREFIX}${key}`,
      `${KEY_PREFIX}${key}:block`,
      windowMs,
      limit,
      blockMs,
    );
    return { hits, windowRemainingMs, blockedForMs };
  }

  async blockedFor(key: string): Promise<number> {
    return Math.max(0, await this.redis.pttl(`${KEY_PREFIX}${key}:block`));
  }
}

const SWEEP_INTERVAL_MS = 10_000;

interface MemoryEntry {
  hits: number;
  windowEndsAt: number;
  blockedUntil: number;
}

/** Single-process stand-in for development without Redis (configuration refuses that in production). */
export class MemoryCounterStore extends CounterStore {
  private readonly entries = new Map<string, MemoryEntry>();
  private lastSweep = 0;

  async hit(key: string, windowMs: number, limit: number, blockMs: number): Promise<CounterHit> {
    const now = Date.now();
    this.sweep(now);
    const entry = this.entries.get(key) ?? { hits: 0, windowEndsAt: now + windowMs, blockedUntil: 0 };
    this.entries.set(key, entry);
    if (entry.blockedUntil > now)
      return { hits: limit + 1, windowRemainingMs: 0, blockedForMs: entry.blockedUntil - now };
    if (entry.windowEndsAt <= now) Object.assign(entry, { hits: 0, windowEndsAt: now + windowMs });
    entry.hits += 1;
    if (entry.hits > limit) {
      const hits = entry.hits;
      Object.assign(entry, { hits: 0, windowEndsAt: now, blockedUntil: now + blockMs });
      return { hits, windowRemainingMs: 0, blockedForMs: blockMs };
    }
    return { hits: entry.hits, windowRemainingMs: entry.windowEndsAt - now, blockedForMs: 0 };
  }

  async blockedFor(key: string): Promise<number> {
    return Math.max(0, (this.entries.get(key)?.blockedUntil ?? 0) - Date.now());
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    for (const [key, entry] of this.entries) {
      if (entry.windowEndsAt <= now && entry.blockedUntil <= now) this.entries.delete(key);
    }
  }
}

export function createCounterStore(redis: Redis | null): CounterStore {
  return redis ? new RedisCounterStore(redis) : new MemoryCounterStore();
}
