import { generateAccounts } from './account.generator';
import { DAY_MS } from './quotes';
import { generateTransaction, HISTORY_MS, slotAt, timelineAt } from './transaction.generator';

const NOW = Date.UTC(2026, 5, 15, 13, 30);

describe('transaction grid', () => {
  const [account] = generateAccounts('seed', 'user');

  it('holds the asked number of slots, all inside the 729 days before today', () => {
    const dayStart = Date.UTC(2026, 5, 15);
    for (const [perAccount, count] of [
      [1, 1],
      [500, 320],
      [10_000, 10_000],
      [100_000, 99_000],
    ]) {
      const timeline = timelineAt(NOW, perAccount, count);
      expect(timeline.last - timeline.first + 1).toBe(count);
      const newest = generateTransaction('seed', 'user', account, timeline.last, timeline);
      const oldest = generateTransaction('seed', 'user', account, timeline.first, timeline);
      expect(newest.timeMs).toBeLessThan(dayStart);
      expect(oldest.timeMs).toBeGreaterThanOrEqual(dayStart - HISTORY_MS);
    }
  });

  it('is stable within a day and keeps each activity, id and content, as days pass', () => {
    const morning = timelineAt(Date.UTC(2026, 5, 15, 0, 0, 1), 500);
    const evening = timelineAt(Date.UTC(2026, 5, 15, 23, 59), 500);
    expect(evening).toEqual(morning);
    const tomorrow = timelineAt(NOW + DAY_MS, 500);
    expect(tomorrow.last).toBeGreaterThan(morning.last);
    const slot = morning.last - 10;
    const today = generateTransaction('seed', 'user', account, slot, morning);
    const later = generateTransaction('seed', 'user', account, slot, tomorrow);
    expect(JSON.stringify(later.json)).toBe(JSON.stringify(today.json));
    expect(today.json.status).toBe('VALID');
  });

  it('maps instants to the slot that contains them', () => {
    const timeline = timelineAt(NOW, 1000);
    const tx = generateTransaction('seed', 'user', account, timeline.last - 3, timeline);
    expect(slotAt(tx.timeMs, timeline)).toBe(timeline.last - 3);
  });
});
