import type Redis from 'ioredis';

/** Where one-time OAuth states live. Both operations are atomic with respect to every caller. */
export interface OAuthStateBackend {
  /** Stores `value` under `key` for `ttlMs` unless the key exists; true when stored. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Returns the value and deletes it in one step; null when absent or expired. */
  take(key: string): Promise<string | null>;
}

/**
 * Redis: SET NX PX to create, GETDEL to consume — one command each, so of any number of concurrent
 * consumers on any number of instances exactly one receives the value.
 */
export class RedisOAuthStateBackend implements OAuthStateBackend {
  constructor(private readonly redis: Redis) {}

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(key, value, 'PX', ttlMs, 'NX')) === 'OK';
  }

  take(key: string): Promise<string | null> {
    return this.redis.getdel(key);
  }
}

/**
 * Development without Redis only (a single process; the config refuses production without Redis).
 * JavaScript runs each method to completion, which is what makes take() single-use here.
 */
export class MemoryOAuthStateBackend implements OAuthStateBackend {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    this.sweep();
    if (this.entries.has(key)) return Promise.resolve(false);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    return Promise.resolve(true);
  }

  take(key: string): Promise<string | null> {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    return Promise.resolve(entry && entry.expiresAt > this.now() ? entry.value : null);
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
