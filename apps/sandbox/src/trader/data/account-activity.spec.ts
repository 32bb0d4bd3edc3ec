import { type ActivityScope, accountTransactions } from './account-activity';
import { generateAccounts } from './account.generator';
import { DAY_MS } from './quotes';
import { type GeneratedTransaction, MAX_RANGE_MS, TRANSACTION_TYPES } from './transaction.generator';
import { TRANSFER_TYPES } from './transfers';

const SEED = 'dashtam-sandbox';
const USER = 'sandbox-user';
const NOW = Date.UTC(2026, 5, 15, 13, 30);
const ALL = new Set<string>(TRANSACTION_TYPES);
const accounts = generateAccounts(SEED, USER);
const scopeAt = (now: number, perAccount = 500, served = accounts): ActivityScope => ({
  seed: SEED,
  user: USER,
  perAccount,
  accounts: served,
  now,
  limit: 3000,
});

/** Two years in the one-year requests Schwab allows, as a client walks them. */
function history(accountIndex: number, scope: ActivityScope): GeneratedTransaction[] {
  const account = scope.accounts[accountIndex];
  const end = scope.now;
  const middle = end - MAX_RANGE_MS;
  const query = (start: number, stop: number) => ({ start, end: stop, types: ALL, symbol: undefined });
  return [
    ...accountTransactions(account, query(middle, end), scope),
    ...accountTransactions(account, query(middle - MAX_RANGE_MS, middle - 1), scope),
  ];
}

describe('account activity', () => {
  it('holds exactly transactions_per_account per account over two years, ids unique', () => {
    for (const perAccount of [500, 2000]) {
      const scope = scopeAt(NOW, perAccount);
      accounts.forEach((_, index) => {
        const txs = history(index, scope);
        expect(txs).toHaveLength(perAccount);
        expect(new Set(txs.map((t) => t.activityId)).size).toBe(perAccount);
      });
    }
  });

  it('covers every Schwab transaction type for the default user (and margin-only ones only on margin)', () => {
    const scope = scopeAt(NOW);
    const byAccount = accounts.map((_, index) => history(index, scope));
    const types = new Set(byAccount.flat().map((t) => t.type));
    expect([...types].sort()).toEqual([...TRANSACTION_TYPES].sort());
    byAccount.forEach((txs, index) => {
      const marginOnly = txs.some((t) => t.type === 'MARGIN_CALL' || t.type === 'SMA_ADJUSTMENT');
      expect(marginOnly).toBe(accounts[index].type === 'MARGIN');
    });
    const total = byAccount.reduce((sum, txs) => sum + txs.length, 0);
    expect(total).toBe(2500);
  });

  it('answers byte-identically at the same clock, and the same all day long', () => {
    const morning = scopeAt(Date.UTC(2026, 5, 15, 0, 0, 5));
    const evening = scopeAt(Date.UTC(2026, 5, 15, 23, 59, 0));
    const read = (scope: ActivityScope) => JSON.stringify(history(1, scope).map((t) => t.json));
    expect(read(morning)).toBe(read(morning));
    expect(read(evening)).toBe(read(morning));
  });

  it('returns newest first, inside the range, filtered by type and symbol', () => {
    const scope = scopeAt(NOW);
    const query = { start: NOW - 90 * DAY_MS, end: NOW, types: ALL, symbol: undefined };
    const txs = accountTransactions(accounts[0], query, scope);
    const times = txs.map((t) => t.timeMs);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(query.start);
    const trades = accountTransactions(accounts[0], { ...query, types: new Set(['TRADE']) }, scope);
    expect(trades.length).toBeGreaterThan(0);
    expect(new Set(trades.map((t) => t.type))).toEqual(new Set(['TRADE']));
    const symbol = trades[0].symbol!;
    const bySymbol = accountTransactions(accounts[0], { ...query, symbol }, scope);
    expect(bySymbol.length).toBeGreaterThan(0);
    expect(bySymbol.every((t) => t.symbol === symbol)).toBe(true);
  });

  it('trades: netAmount is the security cost plus every fee cost, to the cent', () => {
    const trades = accounts.flatMap((_, i) => history(i, scopeAt(NOW))).filter((t) => t.type === 'TRADE');
    const cents = (n: unknown) => Math.round((n as number) * 100);
    const kinds = new Set<string>();
    for (const trade of trades) {
      const items = trade.json.transferItems as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const security = items.filter((i) => !i.feeType);
      expect(security).toHaveLength(1);
      kinds.add(String(security[0].instrument.assetType));
      const fees = items.filter((i) => i.feeType).reduce((s, i) => s + cents(i.cost), 0);
      expect(cents(trade.json.netAmount)).toBe(cents(security[0].cost) + fees);
      expect(items.some((i) => i.feeType === 'COMMISSION')).toBe(true);
    }
    expect([...kinds].sort()).toEqual(
      ['COLLECTIVE_INVESTMENT', 'EQUITY', 'FIXED_INCOME', 'MUTUAL_FUND', 'OPTION'].sort(),
    );
  });

  it('a 10,000-transaction account answers a full page fast, stopping at the page limit', () => {
    const single = [accounts[0]];
    const scope = scopeAt(NOW, 10_000, single);
    const started = Date.now();
    const page = accountTransactions(
      accounts[0],
      { start: NOW - MAX_RANGE_MS, end: NOW, types: ALL, symbol: undefined },
      scope,
    );
    expect(page).toHaveLength(3000);
    expect(Date.now() - started).toBeLessThan(2000);
    const [a, b] = [history(0, scope), history(0, scope)];
    expect(a).toHaveLength(6000); // one-year requests answer at most 3000: the client narrows (see e2e)
    expect(b.map((t) => t.activityId)).toEqual(a.map((t) => t.activityId));
  });

  describe('pending transfers', () => {
    const transferTypes = new Set<string>(TRANSFER_TYPES);
    const recent = (now: number) =>
      accounts.flatMap((account) =>
        accountTransactions(
          account,
          { start: now - 10 * DAY_MS, end: now, types: ALL, symbol: undefined },
          scopeAt(now),
        ),
      );

    it('there is always at least one PENDING transfer, and only transfers are ever pending', () => {
      for (let day = 0; day < 60; day++) {
        const txs = recent(NOW + day * DAY_MS);
        const pending = txs.filter((t) => t.json.status === 'PENDING');
        expect(pending.length).toBeGreaterThanOrEqual(1);
        expect(pending.every((t) => transferTypes.has(t.type))).toBe(true);
      }
    });

    it('post within two days under a new activityId: same amount and items, the pending one gone', () => {
      const before = recent(NOW);
      const pending = before.filter((t) => t.json.status === 'PENDING');
      const after = recent(NOW + 2 * DAY_MS);
      const afterIds = new Set(after.map((t) => t.activityId));
      for (const p of pending) {
        expect(afterIds.has(p.activityId)).toBe(false);
        const posted = after.filter(
          (t) =>
            t.json.status === 'VALID' &&
            t.json.accountNumber === p.json.accountNumber &&
            t.type === p.type &&
            t.json.netAmount === p.json.netAmount &&
            JSON.stringify(t.json.transferItems) === JSON.stringify(p.json.transferItems),
        );
        expect(posted).toHaveLength(1);
        expect(posted[0].activityId).not.toBe(p.activityId);
        expect(posted[0].timeMs).toBeGreaterThan(p.timeMs);
        expect(posted[0].json.description).toBe(p.json.description);
      }
    });

    it('new transactions appear as the clock advances; older ones keep their content', () => {
      const today = history(0, scopeAt(NOW));
      const tomorrow = history(0, scopeAt(NOW + DAY_MS));
      const byId = new Map(today.map((t) => [t.activityId, JSON.stringify(t.json)]));
      const fresh = tomorrow.filter((t) => !byId.has(t.activityId));
      expect(fresh.length).toBeGreaterThan(0);
      const kept = tomorrow.filter((t) => byId.has(t.activityId) && t.json.status === 'VALID');
      expect(kept.length).toBeGreaterThan(400);
      for (const t of kept) expect(JSON.stringify(t.json)).toBe(byId.get(t.activityId));
    });
  });
});
