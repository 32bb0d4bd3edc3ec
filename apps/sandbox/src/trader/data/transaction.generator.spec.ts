import { generateAccounts } from './account.generator';
import { generateTransaction, HISTORY_MS, slotAt, timelineAt } from './transaction.generator';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 5, 15, 13, 30);

describe('transaction timeline', () => {
  const [account] = generateAccounts('seed', 'user');

  it('holds exactly the configured number of slots, all inside the year before today', () => {
    for (const perAccount of [1, 500, 10_000, 100_000]) {
      const timeline = timelineAt(NOW, perAccount);
      expect(timeline.last - timeline.first + 1).toBe(perAccount);
      const dayStart = Date.UTC(2026, 5, 15);
      const newest = generateTransaction('seed', 'user', account, timeline.last, timeline);
      const oldest = generateTransaction('seed', 'user', account, timeline.first, timeline);
      expect(newest.timeMs).toBeLessThan(dayStart);
      expect(oldest.timeMs).toBeGreaterThanOrEqual(dayStart - HISTORY_MS - 2 * timeline.spacingMs);
    }
  });

  it('is stable within a day and keeps each activity as days pass', () => {
    const morning = timelineAt(Date.UTC(2026, 5, 15, 0, 0, 1), 500);
    const evening = timelineAt(Date.UTC(2026, 5, 15, 23, 59), 500);
    expect(evening).toEqual(morning);
    const tomorrow = timelineAt(NOW + DAY_MS, 500);
    expect(tomorrow.last).toBeGreaterThan(morning.last);
    const slot = morning.last - 10;
    const today = generateTransaction('seed', 'user', account, slot, morning).json;
    const later = generateTransaction('seed', 'user', account, slot, tomorrow).json;
    expect({ ...later, status: undefined }).toEqual({ ...today, status: undefined });
  });

  it('maps instants to the slot that contains them', () => {
    const timeline = timelineAt(NOW, 1000);
    const tx = generateTransaction('seed', 'user', account, timeline.last - 3, timeline);
    expect(slotAt(tx.timeMs, timeline)).toBe(timeline.last - 3);
  });

  it('marks only the last day PENDING', () => {
    const timeline = timelineAt(NOW, 10_000);
    const statuses = new Set<string>();
    for (let slot = timeline.last; slot > timeline.last - 200; slot--) {
      const tx = generateTransaction('seed', 'user', account, slot, timeline);
      statuses.add(`${tx.timeMs >= timeline.pendingFrom}:${String(tx.json.status)}`);
    }
    expect(statuses).toEqual(new Set(['true:PENDING', 'false:VALID']));
  });
});
