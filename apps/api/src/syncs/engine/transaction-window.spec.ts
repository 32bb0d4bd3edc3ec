import { MAX_REQUEST_DAYS, transactionWindow } from './transaction-window';

const DAY = 86_400_000;
const NOW = new Date('2030-06-15T12:34:56.000Z');
const SETTINGS = { historyDays: 730, overlapDays: 10 };

describe('transactionWindow', () => {
  it('reads two years on the first sync, in requests of at most one year, oldest first', () => {
    const window = transactionWindow(NOW, null, SETTINGS);
    expect(window.from).toEqual(new Date(NOW.getTime() - 730 * DAY));
    expect(window.to).toEqual(NOW);
    expect(window.requests).toEqual([
      { from: new Date(NOW.getTime() - 730 * DAY), to: new Date(NOW.getTime() - 365 * DAY) },
      { from: new Date(NOW.getTime() - 365 * DAY), to: NOW },
    ]);
    for (const request of window.requests) {
      expect(request.to.getTime() - request.from.getTime()).toBeLessThanOrEqual(MAX_REQUEST_DAYS * DAY);
    }
  });

  it('splits a history that is not a whole number of years, leaving no gap', () => {
    const window = transactionWindow(NOW, null, { historyDays: 800, overlapDays: 10 });
    expect(window.requests).toHaveLength(3);
    expect(window.requests[0].from).toEqual(window.from);
    expect(window.requests[2].to).toEqual(NOW);
    for (let i = 1; i < window.requests.length; i += 1) {
      expect(window.requests[i].from).toEqual(window.requests[i - 1].to);
    }
  });

  it('later syncs start the overlap before the last complete read, in one request', () => {
    const last = new Date(NOW.getTime() - 2 * DAY);
    const window = transactionWindow(NOW, last, SETTINGS);
    expect(window.from).toEqual(new Date(last.getTime() - 10 * DAY));
    expect(window.requests).toEqual([{ from: window.from, to: NOW }]);
    expect(window.after).toBe('2030-06-03');
    expect(window.through).toBe('2030-06-15');
  });

  it('never reaches further back than the history, however old the last read', () => {
    const window = transactionWindow(NOW, new Date(NOW.getTime() - 5000 * DAY), SETTINGS);
    expect(window.from).toEqual(new Date(NOW.getTime() - 730 * DAY));
  });

  it('with no overlap and a read just now still asks for the instant between', () => {
    const window = transactionWindow(NOW, NOW, { historyDays: 730, overlapDays: 0 });
    expect(window.requests).toEqual([{ from: NOW, to: NOW }]);
  });
});
