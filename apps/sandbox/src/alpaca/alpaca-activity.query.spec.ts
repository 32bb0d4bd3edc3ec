import type { AlpacaKey } from './alpaca-key.store';
import { activityPage, parseActivityQuery } from './alpaca-activity.query';
import { ALPACA_HISTORY_MS, alpacaActivities, newYorkDate } from './data/alpaca-activity.generator';
import { alpacaProfile } from './data/alpaca-account.generator';

const NOW = Date.UTC(2026, 5, 15, 18);
const KEY: AlpacaKey = { keyId: 'PKTESTTESTTESTTEST00', secret: 's', environment: 'paper', issuedAt: NOW };
const all = alpacaActivities('seed', KEY, true, NOW);

describe('the Alpaca fake: generated history', () => {
  it('is a pure function of seed, key and clock: about 260 activities over two years, ids sorted by time', () => {
    expect(alpacaActivities('seed', KEY, true, NOW)).toEqual(all);
    expect(all.length).toBeGreaterThan(250);
    expect(all.length).toBeLessThanOrEqual(261);
    expect(all[0].type).toBe('CSD');
    expect(all[0].timeMs).toBeGreaterThanOrEqual(NOW - ALPACA_HISTORY_MS);
    expect(all.every((a) => a.timeMs <= NOW)).toBe(true);
    const ids = all.map((a) => a.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(all.every((a) => a.date === newYorkDate(a.timeMs))).toBe(true);
  });

  it('keeps its past as the clock moves on, and another key gets another history', () => {
    const later = alpacaActivities('seed', KEY, true, NOW + 10 * 86_400_000);
    expect(later.slice(0, all.length)).toEqual(all);
    expect(later.length).toBeGreaterThan(all.length);
    const other = alpacaActivities('seed', { ...KEY, keyId: 'PKOTHEROTHEROTHER000' }, true, NOW);
    expect(other.map((a) => a.id)).not.toEqual(all.map((a) => a.id));
  });

  it('a cash account never sells short; a live account number is nine digits', () => {
    const cash = alpacaActivities('seed', KEY, false, NOW);
    expect(cash.some((a) => a.json.side === 'sell_short')).toBe(false);
    expect(alpacaProfile('seed', { ...KEY, environment: 'live' }).accountNumber).toMatch(/^\d{9}$/);
  });
});

describe('the Alpaca fake: activity queries', () => {
  const page = (query: Record<string, string>, pathType?: string) =>
    activityPage(all, parseActivityQuery(query, pathType)).map((a) => a.id as string);

  it('pages of at most page_size, desc by default, strictly after page_token', () => {
    const ids = all.map((a) => a.id);
    expect(page({})).toEqual([...ids].reverse().slice(0, 100));
    expect(page({ direction: 'asc', page_size: '10' })).toEqual(ids.slice(0, 10));
    expect(page({ direction: 'asc', page_size: '10', page_token: ids[9] })).toEqual(ids.slice(10, 20));
    expect(page({ page_size: '5', page_token: ids[9] })).toEqual(ids.slice(4, 9).reverse());
  });

  it('filters by types (query or path), category, date and the exclusive after/until', () => {
    const fills = all.filter((a) => a.type === 'FILL').map((a) => a.id);
    expect(page({ direction: 'asc' }, 'FILL')).toEqual(fills.slice(0, 100));
    expect(page({ direction: 'asc', category: 'trade_activity' })).toEqual(fills.slice(0, 100));
    const mid = all[100];
    expect(page({ direction: 'asc', date: mid.date })).toContain(mid.id);
    const after = page({ direction: 'asc', after: new Date(mid.timeMs).toISOString(), page_size: '3' });
    expect(after).toEqual(all.slice(101, 104).map((a) => a.id));
    const until = page({ until: new Date(mid.timeMs).toISOString(), page_size: '2' });
    expect(until).toEqual([all[99].id, all[98].id]);
  });

  it.each([
    [{ page_size: '101' }],
    [{ page_size: '1.5' }],
    [{ direction: 'up' }],
    [{ activity_types: 'FILL,XYZ' }],
    [{ date: '2026-13-01' }],
    [{ date: '2026-01-02', until: '2026-01-03' }],
    [{ activity_types: 'FILL', category: 'trade_activity' }],
    [{ page_token: ['a', 'b'] }],
  ])('refuses %p with 422', (query) => {
    expect(() => parseActivityQuery(query)).toThrow(expect.objectContaining({ status: 422, code: 42210000 }));
  });
});
