import request from 'supertest';

import {
  createSignedInUser,
  createTestApp,
  FinancialApi,
  type PortfolioSummaryBody,
  ProvidersApi,
  type SignedInUser,
  type TestApp,
} from '@dashtam/testing';

import { createOwner, insertAccount, insertPositions, insertSnapshots, units } from '../support/financial-fixtures';

const at = (iso: string): Date => new Date(iso);

/**
 * A user with four active accounts (one without a reported balance, one borrowing on margin), one closed
 * account, positions of seven asset types (one sold, one short, one without a market value) and balance
 * snapshots that make a change on two accounts only. The expected figures are worked out by hand in the test.
 */
async function portfolioUser(t: TestApp): Promise<{ user: SignedInUser; accounts: Record<string, string> }> {
  const user = await createSignedInUser(t);
  const providers = new ProvidersApi(t.url, user.auth);
  const broker = await createOwner(t, providers, user.user.id, 'Broker');
  const bank = await createOwner(t, providers, user.user.id, 'Bank');

  const brokerage = await insertAccount(t, broker, {
    name: 'Brokerage',
    current_balance: '10000',
    balance_as_of: at('2026-03-02T21:00:00Z'),
  });
  await insertPositions(t, brokerage, [
    { symbol: 'AAPL', asset_type: 'equity', market_value: '4000.5' },
    { symbol: 'VTI', asset_type: 'etf', market_value: '3000.25' },
    { symbol: 'SPY   260320C00600000', asset_type: 'option', market_value: '-150.1', quantity: '-1' },
    { symbol: 'MSFT', asset_type: 'equity', market_value: '999', is_active: false },
    { symbol: 'XYZ', asset_type: 'equity', market_value: null },
  ]);
  await insertSnapshots(t, brokerage, [
    { captured_at: at('2026-02-01T21:00:00Z'), balance: '9000' },
    { captured_at: at('2026-03-02T21:00:00Z'), balance: '10000' },
    { captured_at: at('2026-03-01T21:00:00Z'), balance: '9500' },
  ]);

  const margin = await insertAccount(t, broker, {
    name: 'Margin',
    account_type: 'margin',
    current_balance: '5000',
    balance_as_of: at('2026-03-01T21:00:00Z'),
  });
  await insertPositions(t, margin, [
    { symbol: 'QQQ', asset_type: 'etf', market_value: '7000.1234' },
    { symbol: 'SWVXX', asset_type: 'money_market', market_value: '500' },
  ]);
  await insertSnapshots(t, margin, [{ captured_at: at('2026-03-01T21:00:00Z'), balance: '5000' }]);

  const ira = await insertAccount(t, broker, { name: 'IRA', account_type: 'ira', current_balance: null });
  await insertPositions(t, ira, [
    { symbol: 'VFIAX', asset_type: 'mutual_fund', market_value: '1234.5678' },
    { symbol: 'BND', asset_type: 'fixed_income', market_value: '100' },
  ]);
  await insertSnapshots(t, ira, [
    { captured_at: at('2026-02-28T21:00:00Z'), balance: '1300' },
    { captured_at: at('2026-03-02T21:00:00Z'), balance: null },
  ]);

  const savings = await insertAccount(t, bank, {
    name: 'Savings',
    account_type: 'savings',
    current_balance: '250.75',
    balance_as_of: at('2026-03-02T20:00:00Z'),
  });
  await insertSnapshots(t, savings, [
    { captured_at: at('2026-03-01T20:00:00Z'), balance: '300.75' },
    { captured_at: at('2026-03-02T20:00:00Z'), balance: '250.75' },
  ]);

  const closed = await insertAccount(t, broker, {
    name: 'Old',
    is_active: false,
    current_balance: '99999',
    balance_as_of: at('2020-01-01T00:00:00Z'),
  });
  await insertPositions(t, closed, [{ symbol: 'GE', market_value: '5' }]);
  await insertSnapshots(t, closed, [
    { captured_at: at('2020-01-01T00:00:00Z'), balance: '1' },
    { captured_at: at('2020-01-02T00:00:00Z'), balance: '99999' },
  ]);
  return { user, accounts: { brokerage, margin, ira, savings, closed } };
}

const sum = (values: string[]): bigint => values.reduce((total, value) => total + units(value), 0n);

/** GET /portfolio/summary: totals over the caller's active accounts, computed in SQL. */
describe('financial data: portfolio summary (read API)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers zeros, nulls and empty lists for a user without accounts', async () => {
    const api = new FinancialApi(t.url, (await createSignedInUser(t)).auth);
    expect((await api.portfolioSummary().expect(200)).body).toEqual({
      total_value: '0.0000',
      cash_value: '0.0000',
      holdings_value: '0.0000',
      change_since_previous: null,
      as_of: null,
      accounts: [],
      by_asset_type: [],
    } satisfies PortfolioSummaryBody);
  });

  it('sums active accounts and positions exactly, cash being what each account holds beyond its positions', async () => {
    const { user, accounts } = await portfolioUser(t);
    // Another user's rows, with the same shapes, stay out of the answer.
    await portfolioUser(t);
    const body = (await new FinancialApi(t.url, user.auth).portfolioSummary().expect(200)).body as PortfolioSummaryBody;
    expect(body).toEqual({
      // 10000 + 5000 + 1334.5678 (the IRA has no balance: its holdings) + 250.75; the closed account is out.
      total_value: '16585.3178',
      // Brokerage 10000 − 6850.65, Margin 5000 − 7500.1234 (borrowed), IRA 0, Savings 250.75.
      cash_value: '899.9766',
      holdings_value: '15685.3412',
      // Brokerage 10000 − 9500 and Savings 250.75 − 300.75; Margin has one snapshot, the IRA's latest has no balance.
      change_since_previous: '450.0000',
      // The oldest balance time of the active accounts (Margin's).
      as_of: '2026-03-01T21:00:00.000Z',
      accounts: [
        { id: accounts.brokerage, name: 'Brokerage', value: '10000.0000' },
        { id: accounts.margin, name: 'Margin', value: '5000.0000' },
        { id: accounts.ira, name: 'IRA', value: '1334.5678' },
        { id: accounts.savings, name: 'Savings', value: '250.7500' },
      ],
      by_asset_type: [
        { asset_type: 'etf', value: '10000.3734' },
        { asset_type: 'equity', value: '4000.5000' },
        { asset_type: 'mutual_fund', value: '1234.5678' },
        { asset_type: 'cash', value: '899.9766' },
        { asset_type: 'money_market', value: '500.0000' },
        { asset_type: 'fixed_income', value: '100.0000' },
        { asset_type: 'option', value: '-150.1000' },
      ],
    } satisfies PortfolioSummaryBody);

    // The SPEC's identities, in exact decimal arithmetic.
    const total = units(body.total_value);
    expect(units(body.cash_value) + units(body.holdings_value)).toBe(total);
    expect(sum(body.accounts.map((a) => a.value))).toBe(total);
    expect(sum(body.by_asset_type.map((row) => row.value))).toBe(total);
    expect(body.by_asset_type.find((row) => row.asset_type === 'cash')?.value).toBe(body.cash_value);
    expect(sum(body.by_asset_type.filter((row) => row.asset_type !== 'cash').map((row) => row.value))).toBe(
      units(body.holdings_value),
    );
  });

  it('compares each account with its previous snapshot: a new snapshot moves the change', async () => {
    const { user, accounts } = await portfolioUser(t);
    const api = new FinancialApi(t.url, user.auth);
    // As a sync would: Margin gets a second snapshot (5000 → 5200), Brokerage a third (10000 → 9900).
    await insertSnapshots(t, accounts.margin, [{ captured_at: at('2026-03-03T21:00:00Z'), balance: '5200' }]);
    await insertSnapshots(t, accounts.brokerage, [{ captured_at: at('2026-03-03T21:00:00Z'), balance: '9900' }]);
    const body = (await api.portfolioSummary().expect(200)).body as PortfolioSummaryBody;
    // Brokerage 9900 − 10000, Margin 5200 − 5000, Savings 250.75 − 300.75.
    expect(body.change_since_previous).toBe('50.0000');
  });

  it('keeps the identities with many accounts and positions of every asset type', async () => {
    const user = await createSignedInUser(t);
    const owner = await createOwner(t, new ProvidersApi(t.url, user.auth), user.user.id, 'Many');
    const types = ['equity', 'etf', 'option', 'mutual_fund', 'fixed_income', 'money_market', 'cash_equivalent'];
    for (let a = 0; a < 10; a += 1) {
      const account = await insertAccount(t, owner, {
        name: `Account ${a}`,
        current_balance: a === 3 ? null : `${(a + 1) * 10_000}.${String(a * 37).padStart(4, '0')}`,
      });
      await insertPositions(
        t,
        account,
        Array.from({ length: 20 }, (_, p) => ({
          symbol: `S${a}-${p}`,
          asset_type: types[(a + p) % types.length],
          market_value:
            p === 7 ? null : `${(p * 997 + a * 13) % 5_000}.${String((p * 7919) % 10_000).padStart(4, '0')}`,
        })),
      );
    }
    const body = (await new FinancialApi(t.url, user.auth).portfolioSummary().expect(200)).body as PortfolioSummaryBody;
    const total = units(body.total_value);
    expect(body.accounts).toHaveLength(10);
    expect(body.by_asset_type.map((row) => row.asset_type).sort()).toEqual([...types, 'cash'].sort());
    expect(units(body.cash_value) + units(body.holdings_value)).toBe(total);
    expect(sum(body.accounts.map((a) => a.value))).toBe(total);
    expect(sum(body.by_asset_type.map((row) => row.value))).toBe(total);
    expect(body.change_since_previous).toBeNull();
  });

  it('is documented in OpenAPI behind the bearer token', async () => {
    const doc = (await request(t.url).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
    };
    const operation = doc.paths['/api/v1/portfolio/summary']?.get;
    expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(['200', '401']));
    expect(operation.security).toEqual([{ bearer: [] }]);
  });
});
