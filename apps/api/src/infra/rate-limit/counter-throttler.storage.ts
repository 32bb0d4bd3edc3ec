import type { ThrottlerStorage } from '@nestjs/throttler';

import { redisKeys } from '@dashtam/platform';

import type { CounterStore } from './counter.store';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** @nestjs/throttler's storage port over the shared CounterStore (Redis), so limits hold across instances. */
export class CounterThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly store: CounterStore) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const hit = await this.store.hit(redisKeys.throttleCounter(throttlerName, key), ttl, limit, blockDuration);
    return {
      totalHits: hit.hits,
      timeToExpire: Math.ceil(hit.windowRemainingMs / 1000),
      isBlocked: hit.blockedForMs > 0,
      timeToBlockExpire: Math.ceil(hit.blockedForMs / 1000),
    };
  }
}
