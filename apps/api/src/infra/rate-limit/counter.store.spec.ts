import { MemoryCounterStore } from './counter.store';
import { CounterThrottlerStorage } from './counter-throttler.storage';

describe('MemoryCounterStore (development without Redis)', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('counts within the window and blocks once the limit is crossed', async () => {
    const store = new MemoryCounterStore();
    const hits = [];
    for (let i = 0; i < 4; i += 1) hits.push(await store.hit('k', 60_000, 3, 30_000));
    expect(hits.map((h) => [h.hits, h.blockedForMs])).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 30_000],
    ]);
    expect(hits[0].windowRemainingMs).toBe(60_000);
    expect(await store.blockedFor('k')).toBe(30_000);
    expect(await store.blockedFor('other')).toBe(0);
  });

  it('answers blocked without counting while the block lasts, then starts a fresh window', async () => {
    const store = new MemoryCounterStore();
    await store.hit('k', 60_000, 0, 10_000);
    jest.advanceTimersByTime(4_000);
    expect((await store.hit('k', 60_000, 0, 10_000)).blockedForMs).toBe(6_000);
    jest.advanceTimersByTime(6_001);
    expect(await store.blockedFor('k')).toBe(0);
    expect(await store.hit('k', 60_000, 5, 10_000)).toEqual({ hits: 1, windowRemainingMs: 60_000, blockedForMs: 0 });
  });

  it('counts concurrent hits exactly, one at a time like the Redis script', async () => {
    const store = new MemoryCounterStore();
    const results = await Promise.all(Array.from({ length: 10 }, () => store.hit('k', 60_000, 7, 300)));
    expect(results.map((r) => r.hits)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 8, 8]);
    expect(results.map((r) => r.blockedForMs > 0)).toEqual([...Array(7).fill(false), true, true, true]);
  });

  it('forgets hits when the window ends', async () => {
    const store = new MemoryCounterStore();
    await store.hit('k', 1_000, 2, 5_000);
    await store.hit('k', 1_000, 2, 5_000);
    jest.advanceTimersByTime(1_001);
    expect((await store.hit('k', 1_000, 2, 5_000)).hits).toBe(1);
  });
});

describe('CounterThrottlerStorage', () => {
  it("maps counter hits to @nestjs/throttler's record, in seconds, per throttler name", async () => {
    const store = new MemoryCounterStore();
    const storage = new CounterThrottlerStorage(store);
    const first = await storage.increment('key', 60_000, 1, 1_500, 'ip');
    expect(first).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    const blocked = await storage.increment('key', 60_000, 1, 1_500, 'ip');
    expect(blocked).toEqual({ totalHits: 2, timeToExpire: 0, isBlocked: true, timeToBlockExpire: 2 });
    expect((await storage.increment('key', 60_000, 1, 1_500, 'account')).isBlocked).toBe(false);
  });
});
