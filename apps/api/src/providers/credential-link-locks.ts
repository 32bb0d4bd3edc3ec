import { randomBytes } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';

import { providersConfig, type ProvidersConfig } from '@dashtam/config';
import { redisKeys } from '@dashtam/platform';

import { REDIS_CLIENT } from '../infra/redis/redis.tokens';

// Room for the database round trips around the institution call a holder makes.
const LOCK_MARGIN_MS = 5_000;

// Deletes the lock only while it is still ours (it may have expired and been taken by another request).
const RELEASE_IF_OWNED = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * One credentials link per provider at a time, across every api instance. Two racing requests would
 * each prove their credentials at the institution: a SimpleFIN setup token claimed twice (the Bridge
 * refuses the second claim, which must not look like a bad token) or two key pairs stored one over
 * the other. The loser is told at once (409) instead of waiting. The lock lives in Redis for at most
 * the institution's deadline plus a margin; without Redis (development: one process) in memory. A Redis
 * failure lets the request through: the race it then allows is refused by the institution, not lost.
 */
@Injectable()
export class CredentialLinkLocks {
  private readonly logger = new Logger(CredentialLinkLocks.name);
  private readonly memory = new Set<string>();
  private readonly ttlMs: number;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    @Inject(providersConfig.KEY) config: Pick<ProvidersConfig, 'httpTimeoutMs'>,
  ) {
    this.ttlMs = config.httpTimeoutMs + LOCK_MARGIN_MS;
  }

  /** Runs `work` holding the provider's lock; null (work not run) while another request holds it. */
  async exclusive<T>(providerId: string, work: () => Promise<T>): Promise<{ value: T } | null> {
    const key = redisKeys.credentialLinkLock(providerId);
    const owner = randomBytes(16).toString('hex');
    if (!(await this.acquire(key, owner))) return null;
    try {
      return { value: await work() };
    } finally {
      await this.release(key, owner);
    }
  }

  private async acquire(key: string, owner: string): Promise<boolean> {
    if (!this.redis) {
      if (this.memory.has(key)) return false;
      this.memory.add(key);
      return true;
    }
    try {
      return (await this.redis.set(key, owner, 'PX', this.ttlMs, 'NX')) === 'OK';
    } catch (error) {
      this.logger.warn(`credential link lock not taken, going on without it: ${(error as Error).name}`);
      return true;
    }
  }

  private async release(key: string, owner: string): Promise<void> {
    if (!this.redis) {
      this.memory.delete(key);
      return;
    }
    try {
      await this.redis.eval(RELEASE_IF_OWNED, 1, key, owner);
    } catch (error) {
      // It expires by itself.
      this.logger.warn(`credential link lock not released: ${(error as Error).name}`);
    }
  }
}
