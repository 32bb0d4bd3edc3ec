import type Redis from 'ioredis';
import { Keyv } from 'keyv';

import { SerialQueue } from '@dashtam/platform';

/** Where one-time OAuth states live. Both operations are atomic with respect to every caller. */
export interface OAuthStateBackend {
  /** Stores `value` under `key` for `ttlMs` unless the key exists; true when stored. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Returns the value and deletes it in one step; null when absent or expired. */
  take(key: string): Promise<string | null>;
  /** Returns the value and leaves it in place; null when absent or expired. */
  peek(key: string): Promise<string | null>;
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

  peek(key: string): Promise<string | null> {
    return this.redis.get(key);
  }
}

/**
 * Development without Redis only (a single process; the config refuses production without Redis).
 * Keyv's memory store expires the states; the queue runs one operation at a time, which makes
 * setIfAbsent and take() as indivisible here as SET NX and GETDEL are on Redis.
 */
export class MemoryOAuthStateBackend implements OAuthStateBackend {
  private readonly states = new Keyv<string>();
  private readonly queue = new SerialQueue();

  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return this.queue.run(async () => {
      if (await this.states.has(key)) return false;
      return this.states.set(key, value, ttlMs);
    });
  }

  take(key: string): Promise<string | null> {
    return this.queue.run(async () => {
      const value = await this.states.get(key);
      if (value === undefined) return null;
      await this.states.delete(key);
      return value;
    });
  }

  peek(key: string): Promise<string | null> {
    return this.queue.run(async () => (await this.states.get(key)) ?? null);
  }
}
