import { SandboxClock } from '../clock/sandbox-clock';
import type { SandboxOptions } from '../sandbox-options';
import { SandboxSettings } from '../settings/sandbox-settings';
import { TRANSACTION_TYPES } from './data/transaction.generator';
import { FixtureStore } from './fixtures/fixture.store';
import { TraderDataService } from './trader-data.service';
import type { TransactionQuery } from './transaction-query';

const options = {
  seed: 'dashtam-sandbox',
  user: 'sandbox-user',
  transactionsPerAccount: 500,
  transactionsPageLimit: 3000,
  redirectUris: [],
} as unknown as SandboxOptions;

function service() {
  const clock = new SandboxClock();
  const settings = new SandboxSettings(options);
  const fixtures = new FixtureStore(options);
  return { clock, settings, fixtures, data: new TraderDataService(options, settings, clock, fixtures) };
}

const query = (over: Partial<TransactionQuery> = {}): TransactionQuery => ({
  start: Date.parse('2025-01-01T00:00:00Z'),
  end: Date.parse('2025-12-31T00:00:00Z'),
  types: new Set(['TRADE']),
  knownTypes: new Set(TRANSACTION_TYPES),
  symbol: undefined,
  ...over,
});

describe('TraderDataService', () => {
  it('serves the closed account until the clock passes its closing date, then never again', () => {
    const { clock, settings, data } = service();
    const kinds = () => data.accounts('sandbox-user').map((a) => (a.source === 'generated' ? a.account.kind : ''));
    expect(kinds()).toEqual(['individual', 'margin', 'ira', 'cash', 'closed']);
    const closed = data.accounts('sandbox-user')[4];
    clock.advance(settings.current.closedAccountAfterSeconds - 60);
    expect(kinds()).toHaveLength(5);
    clock.advance(60);
    expect(kinds()).toEqual(['individual', 'margin', 'ira', 'cash']);
    expect(data.account('sandbox-user', closed.hashValue)).toBeUndefined();
    clock.reset();
    expect(kinds()).toHaveLength(5);
    settings.update({ closedAccountAfterSeconds: 0 });
    expect(kinds()).toHaveLength(4);
  });

  it('account_kinds narrows what every user is served', () => {
    const { settings, data } = service();
    const all = data.accounts('sandbox-user');
    settings.update({ accountKinds: ['margin'] });
    expect(data.accounts('sandbox-user')).toEqual([all[1]]);
  });

  it('fixtures replace the configured user only, and filter transactions like Schwab but keep unknown types', () => {
    const { fixtures, data } = service();
    const raw = { securitiesAccount: { accountNumber: '12345678', type: 'CASH', positions: [{ a: 1 }] }, x: 1 };
    const tx = (activityId: number, type: string, time: string, symbol = 'AAPL') => ({
      activityId,
      type,
      time,
      transferItems: [{ instrument: { symbol } }],
    });
    fixtures.replace('sandbox-user', {
      accounts: [raw],
      transactions: {
        '12345678': [
          tx(1, 'TRADE', '2025-06-01T10:00:00+0000'),
          tx(2, 'DIVIDEND_OR_INTEREST', '2025-06-02T10:00:00+0000'),
          tx(3, 'BRAND_NEW_TYPE', '2025-06-03T10:00:00+0000'),
          tx(4, 'TRADE', '2024-06-03T10:00:00+0000'),
          tx(5, 'TRADE', 'not a time', 'MSFT'),
        ],
      },
    });
    const [served] = data.accounts('sandbox-user');
    expect(served).toEqual(expect.objectContaining({ source: 'fixture', accountNumber: '12345678' }));
    expect(served.hashValue).toMatch(/^[0-9A-F]{64}$/);
    expect(data.accountJson(served, true)).toBe(raw);
    expect(data.accountJson(served, false)).toEqual({
      securitiesAccount: { accountNumber: '12345678', type: 'CASH' },
      x: 1,
    });
    const ids = (q: TransactionQuery) => data.transactions('sandbox-user', served, q).map((t) => t.activityId);
    expect(ids(query())).toEqual([1, 3, 5]);
    expect(ids(query({ symbol: 'MSFT' }))).toEqual([5]);
    expect(data.accounts('someone-else')).toHaveLength(5);
    fixtures.reset();
    expect(data.accounts('sandbox-user')).toHaveLength(5);
  });
});
