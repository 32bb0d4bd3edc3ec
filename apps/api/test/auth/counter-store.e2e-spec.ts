import { randomUUID } from 'node:crypto';

import Redis from 'ioredis';

import { getConfig } from '@dashtam/config';
import { redisKeys } from '@dashtam/platform';
import { waitFor } from '@dashtam/testing';

import { RedisCounterStore } from '../../src/infra/rate-limit/counter.store';

describe('RedisCounterStore (real Redis, two clients as two instances)', () => {
  let first: Redis;
  let second: Redis;

  beforeAll(() => {
    first = new Redis(getConfig().redis.url!);
    second = new Redis(getConfig().redis.url!);
  });
  afterAll(async () => {
    await Promise.all([first.quit(), second.quit()]);
  });

  it('counts concurrent hits from both clients exactly, blocks past the limit, and expires', async () => {
    const key = redisKeys.throttleCounter('test', randomUUID());
    const a = new RedisCounterStore(first);
    const b = new RedisCounterStore(second);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).hit(key, 60_000, 7, 300)));
    expect(results.map((r) => r.hits).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 8, 8]);
    expect(results.filter((r) => r.blockedForMs > 0)).toHaveLength(3);
    expect(await b.blockedFor(key)).toBeGreaterThan(0);
    // Crossing the limit drops the count; the block key carries the block.
    expect(await first.pttl(key)).toBe(-2);
    expect(await first.pttl(redisKeys.counterBlock(key))).toBeGreaterThan(0);

    // The 300 ms block ends on Redis's clock.
    await waitFor('the block to end', async () => (await a.blockedFor(key)) === 0, { timeoutMs: 1_000 });
    const fresh = await a.hit(key, 60_000, 7, 300);
    expect(fresh.hits).toBe(1);
    expect(fresh.windowRemainingMs).toBeGreaterThan(59_000);
  });

  it('ends the window after its length', async () => {
    const key = redisKeys.throttleCounter('test', randomUUID());
    const store = new RedisCounterStore(first);
    await store.hit(key, 200, 5, 1_000);
    await store.hit(key, 200, 5, 1_000);
    await waitFor('the window to end', async () => (await first.pttl(key)) === -2, {
      timeoutMs: 500,
    });
    expect((await store.hit(key, 200, 5, 1_000)).hits).toBe(1);
  });
});
