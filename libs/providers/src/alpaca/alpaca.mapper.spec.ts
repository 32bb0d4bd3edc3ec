import { ACCOUNT_TYPES, ASSET_TYPES, TRANSACTION_STATUSES, TRANSACTION_TYPES } from '@dashtam/database';

import accountFixture from '../../test/fixtures/alpaca/account.json';
import activitiesFixture from '../../test/fixtures/alpaca/activities.json';
import positionsFixture from '../../test/fixtures/alpaca/positions.json';
import { fitsNumeric } from '../decimal';
import type { ProviderAccount, ProviderTransaction } from '../provider-data.types';
import { toTransactions } from './alpaca-activity.mapper';
import { toAccountNumbers, toAccounts, toPositions } from './alpaca.mapper';

const AS_OF = new Date('2026-01-05T10:00:00Z');
const FULL_NUMBER = accountFixture.account_number;
const mapAccount = (account: unknown = accountFixture, positions: unknown = positionsFixture) =>
  toAccounts(account, positions, 'paper', AS_OF);
const byId = (transactions: ProviderTransaction[]) => new Map(transactions.map((t) => [t.providerTransactionId, t]));
const activity = (id: string) => byId(toTransactions(activitiesFixture)).get(id)!;

describe('account (GET /v2/account + GET /v2/positions)', () => {
  it('maps the account: id, digits-only mask, readable name, balances, Alpaca facts in metadata', () => {
    const [account] = mapAccount();
    expect(account).toEqual({
      accountId: 'e6fe16f3-64a4-4921-8928-cadf02f92f98',
      mask: '1234',
      name: 'Alpaca Paper ...1234',
      accountType: 'margin',
      institutionAccountType: 'MARGIN',
      currency: 'USD',
      currentBalance: '103820.56',
      availableBalance: '262113.632',
      cashBalance: '-23140.2',
      positions: expect.any(Array),
      asOf: AS_OF,
      metadata: expect.objectContaining({
        environment: 'paper',
        alpaca_status: 'ACTIVE',
        crypto_status: 'ACTIVE',
        multiplier: '4',
        pattern_day_trader: false,
        shorting_enabled: true,
        daytrade_count: 0,
        options_trading_level: 2,
        created_at: '2019-06-12T22:47:07.99658Z',
      }),
    });
    expect(account.metadata.balances).toEqual(
      expect.objectContaining({ last_equity: '103529.24', maintenance_margin: '38088.228', sma: '0' }),
    );
  });

  it.each([
    ['1', 'cash', 'CASH'],
    ['1.0', 'cash', 'CASH'],
    ['2', 'margin', 'MARGIN'],
    ['4', 'margin', 'MARGIN'],
    ['0', 'other', 'UNKNOWN'],
    [undefined, 'other', 'UNKNOWN'],
    ['lots', 'other', 'UNKNOWN'],
  ])('multiplier %p is a %s account', (multiplier, accountType, institutionAccountType) => {
    const [account] = mapAccount({ ...accountFixture, multiplier });
    expect(account).toMatchObject({ accountType, institutionAccountType });
  });

  it('names a live account as such; an account number without digits has no mask', () => {
    const [live] = toAccounts({ ...accountFixture, account_number: '581234567' }, [], 'live', AS_OF);
    expect(live).toMatchObject({ mask: '4567', name: 'Alpaca Live ...4567', positions: [] });
    expect(mapAccount({ ...accountFixture, account_number: 'PAXXXXXXXX' })[0]).toMatchObject({
      mask: null,
      name: 'Alpaca Paper account',
    });
  });

  it('equity falls back to portfolio_value; a currency that is not a code is USD', () => {
    const { equity: _equity, ...withoutEquity } = accountFixture;
    expect(mapAccount({ ...withoutEquity, portfolio_value: '5.5', currency: 'dollars' })[0]).toMatchObject({
      currentBalance: '5.5',
      currency: 'USD',
    });
  });

  it('no account without an id; account numbers pair the plain number with the id', () => {
    expect(mapAccount({ ...accountFixture, id: undefined })).toEqual([]);
    expect(toAccountNumbers(accountFixture)).toEqual([
      { accountNumber: FULL_NUMBER, accountId: 'e6fe16f3-64a4-4921-8928-cadf02f92f98' },
    ]);
    expect(toAccountNumbers({ id: 'x' })).toEqual([]);
  });

  it('never puts the full account number anywhere in the output', () => {
    expect(JSON.stringify(mapAccount())).not.toContain(FULL_NUMBER);
  });
});

describe('positions: every Alpaca asset class', () => {
  const positions = toPositions(positionsFixture);
  const bySymbol = new Map(positions.map((p) => [p.symbol, p]));

  it.each([
    ['AAPL', 'equity', 'us_equity', '120', '152.4175', '23460', '18290.1'],
    ['SPY', 'equity', 'us_equity', '15.318', '512.33', '8640.87', '7847.87'],
    ['TSLA', 'equity', 'us_equity', '-10', '251.2', '-2398.5', '-2512'],
    ['BTCUSD', 'crypto', 'crypto', '0.052314907', '61250.125', '3466.391402', '3204.294597'],
    ['AAPL260116C00200000', 'option', 'us_option', '2', '8.15', '1420', '1630'],
    ['XYZW', 'other', 'us_future', '1', '10', '11', '10'],
  ])('%s: %s', (symbol, assetType, rawAssetType, quantity, averagePrice, marketValue, costBasis) => {
    expect(bySymbol.get(symbol)).toMatchObject({
      assetType,
      rawAssetType,
      quantity,
      averagePrice,
      marketValue,
      costBasis,
      description: null,
    });
  });

  it('keys positions by asset id, else asset class and symbol; the same id twice is kept once', () => {
    expect(bySymbol.get('AAPL')!.providerPositionId).toBe('b0b6dd9d-8b9b-48a9-ba46-b9d54906e415');
    const [first] = positionsFixture;
    const { asset_id: _id, ...withoutId } = first;
    expect(toPositions([withoutId])[0].providerPositionId).toBe('us_equity:AAPL');
    expect(toPositions([first, { ...first, qty: '1' }])).toHaveLength(1);
  });

  it('a short sent with an unsigned quantity is still negative; a position without symbol or quantity is skipped', () => {
    expect(toPositions([{ symbol: 'X', qty: '3', side: 'short' }])[0].quantity).toBe('-3');
    expect(toPositions([{ qty: '3' }, { symbol: 'X' }, { symbol: 'Y', qty: 'many' }])).toEqual([]);
  });
});

describe('activities (GET /v2/account/activities): trade and non-trade', () => {
  it('keeps every row of the fixture', () => {
    expect(toTransactions(activitiesFixture)).toHaveLength(activitiesFixture.length);
  });

  it.each([
    // id prefix, type, date, amount, quantity, price, symbol, fees, status
    ['20250106143000123', 'deposit', '2025-01-06', '25000', null, null, null, '0', 'posted'],
    ['20250107150512345', 'buy', '2025-01-07', '-4867.2', '20', '243.36', 'AAPL', '0', 'posted'],
    ['20250107150512987', 'buy', '2025-01-07', '-2068.92', '3.5', '591.12', 'SPY', '0', 'posted'],
    // 01:30 UTC on the 10th is 20:30 in New York on the 9th: the trade's day.
    ['20250110013015000', 'sell', '2025-01-09', '2010.75', '-5', '402.15', 'TSLA', '0', 'posted'],
    ['20250113160000000', 'sell', '2025-01-13', '2512', '-10', '251.2', 'TSLA', '0', 'posted'],
    // An option contract is 100 shares: 2 × 8.15 × 100.
    ['20250114170000000', 'buy', '2025-01-14', '-1630', '2', '8.15', 'AAPL260116C00200000', '0', 'posted'],
    ['20250115200000000', 'buy', '2025-01-15', '-5224.7159195435', '0.052314907', '99870.5', 'BTCUSD', '0', 'posted'],
    ['20250115200000001', 'fee', '2025-01-15', '-7.84', null, null, 'BTCUSD', '7.84', 'posted'],
    ['20250213094512000', 'dividend', '2025-02-13', '5', null, null, 'AAPL', '0', 'posted'],
    ['20250213094512001', 'tax', '2025-02-13', '-1.5', null, null, 'AAPL', '0', 'posted'],
    ['20250228120000000', 'interest', '2025-02-28', '12.37', null, null, null, '0', 'posted'],
    ['20250303120000000', 'fee', '2025-03-03', '-0.02', null, null, null, '0.02', 'posted'],
    ['20250310120000000', 'withdrawal', '2025-03-10', '-1500', null, null, null, '0', 'posted'],
    ['20250311120000000', 'journal', '2025-03-11', '250', null, null, null, '0', 'posted'],
    ['20250312120000000', 'transfer', '2025-03-12', '-35', null, null, null, '0', 'cancelled'],
    ['20250313120000000', 'journal', '2025-03-13', '0', '1.5', null, 'SPY', '0', 'posted'],
    ['20250314120000000', 'other', '2025-03-14', '0', '10', null, 'XYZ', '0', 'posted'],
    ['20250315120000000', 'other', '2025-03-15', '1.11', null, null, null, '0', 'posted'],
  ])('%s → %s', (prefix, type, date, amount, quantity, price, symbol, fees, status) => {
    const raw = activitiesFixture.find((a) => a.id.startsWith(prefix))!;
    expect(activity(raw.id)).toMatchObject({
      type,
      rawType: raw.activity_type,
      date,
      amount,
      quantity,
      price,
      symbol,
      fees,
      status,
      currency: 'USD',
      settlementDate: null,
    });
  });

  it('describes fills, keeps order facts in details and non-trade facts too', () => {
    const fill = activity('20250107150512987::a7c5d3e1-0f9b-4c2d-8e6f-7a5b3c1d9e0f');
    expect(fill.description).toBe('Bought 3.5 SPY @ 591.12');
    expect(fill.details).toEqual({
      side: 'buy',
      fill_type: 'partial_fill',
      order_id: '5e1c4c8a-0b6b-4a4e-9d8e-2f1a7b3c9d0e',
      order_status: 'partially_filled',
      cum_qty: '3.5',
      leaves_qty: '1.5',
      transaction_time: '2025-01-07T15:05:12.987Z',
    });
    expect(activity('20250113160000000::1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d').description).toBe(
      'Sold short 10 TSLA @ 251.2',
    );
    const dividend = activity('20250213094512000::8b9c0d1e-2f3a-4b4c-5d6e-7f8a9b0c1d2e');
    expect(dividend.details).toEqual({ alpaca_status: 'executed', qty: '20', per_share_amount: '0.25' });
    expect(dividend.description).toBe('Cash DIV @ 0.25, Pos QTY: 20, Rec Date: 2025-02-10');
  });

  it('scrubs account numbers from descriptions, keeping dates and amounts', () => {
    expect(activity('20250311120000000::3a4b5c6d-7e8f-4a9b-0c1d-2e3f4a5b6c7d').description).toBe(
      'Journal from account ...4321 to account ...6789',
    );
  });
});

describe('activity rules beyond the fixture', () => {
  const fill = activitiesFixture[1];

  it.each([
    ['DIVNRA', '0.5', 'dividend'],
    ['DIVFT', '-0.5', 'tax'],
    ['DIVTW', '-0.5', 'tax'],
    ['INTNRA', '-0.5', 'tax'],
    ['INTTW', '2', 'interest'],
    ['DIVCGL', '2', 'dividend'],
    ['DIVROC', '2', 'dividend'],
    ['DIVFEE', '-2', 'fee'],
    ['PTC', '-2', 'fee'],
    ['ACATC', '100', 'transfer'],
    ['JNL', '100', 'journal'],
    ['MISC', '1', 'other'],
  ])('%s with %s → %s', (activityType, netAmount, type) => {
    const [mapped] = toTransactions([
      { id: 'x', activity_type: activityType, date: '2025-01-02', net_amount: netAmount, status: 'executed' },
    ]);
    expect(mapped).toMatchObject({ type, rawType: activityType, amount: netAmount });
  });

  it('a fill with an unknown side is other with no money moved; one without quantity or price moves none either', () => {
    expect(toTransactions([{ ...fill, side: 'sideways' }])[0]).toMatchObject({ type: 'other', amount: '0' });
    expect(toTransactions([{ ...fill, price: 'n/a' }])[0]).toMatchObject({ type: 'buy', amount: '0', price: null });
  });

  it('a fill is dated by transaction_time only; rows without a usable id or date are skipped', () => {
    expect(toTransactions([{ ...fill, transaction_time: undefined, date: '2025-01-02' }])).toEqual([]);
    expect(toTransactions([{ ...fill, id: '' }])).toEqual([]);
    expect(toTransactions([{ id: 'y', activity_type: 'DIV', net_amount: '1' }])).toEqual([]);
  });

  it('a gross too large for a money column moves nothing rather than failing the write', () => {
    expect(toTransactions([{ ...fill, qty: '99999999999', price: '99999999999' }])[0].amount).toBe('0');
  });

  it('the same activity twice is one row (the last one)', () => {
    const rows = toTransactions([fill, { ...fill, price: '1' }]);
    expect(rows).toHaveLength(1);
    expect(rows[0].price).toBe('1');
  });
});

// Hostile shapes: every field of every fixture replaced, one at a time, by each of these values.
const HOSTILE: unknown[] = [
  null,
  undefined,
  true,
  0,
  -1,
  1.5,
  1e300,
  Number.NaN,
  '',
  ' ',
  'abc',
  '12.5',
  '-0.0001',
  '1e999999',
  '\u0000',
  'x\ud800y',
  'A'.repeat(5000),
  '1'.repeat(5000),
  [],
  [null],
  {},
  { length: 3 },
  '2026-02-30',
  '9999-12-31T23:59:59Z',
  'constructor',
];

function* paths(value: unknown, prefix: (string | number)[] = []): Generator<(string | number)[]> {
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    yield path;
    yield* paths(child, path);
  }
}

function replaced<T>(body: T, path: (string | number)[], value: unknown): T {
  const copy = structuredClone(body);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
  return copy;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UNSAFE_TEXT = /[\p{Cc}\p{Cs}]/u;

function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      yield key;
      yield* strings(child);
    }
  }
}

const storable = (value: unknown): boolean => [...strings(value)].every((text) => !UNSAFE_TEXT.test(text));
const money = (v: string | null) => v === null || (DECIMAL.test(v) && fitsNumeric(v, 19, 4));
const qty = (v: string | null) => v === null || (DECIMAL.test(v) && fitsNumeric(v, 19, 8));
const oneOf = (list: readonly string[], v: string) => list.includes(v);

/** What every mapped account must satisfy to be stored as is. Returns what is violated. */
function accountProblems(accounts: ProviderAccount[]): string[] {
  const problems: string[] = [];
  const fail = (what: string) => problems.push(what);
  for (const a of accounts) {
    if (!oneOf(ACCOUNT_TYPES, a.accountType)) fail(`account type ${a.accountType}`);
    if (a.accountId === null || a.accountId.length > 128) fail('account id');
    if (a.mask !== null && !/^\d{1,4}$/.test(a.mask)) fail(`mask ${a.mask}`);
    if (a.name.length > 200 || !/^[A-Z]{3}$/.test(a.currency)) fail('name or currency');
    if (![a.currentBalance, a.availableBalance, a.cashBalance].every(money)) fail('balance');
    const ids = a.positions.map((p) => p.providerPositionId);
    if (new Set(ids).size !== ids.length) fail(`duplicate position ids ${ids.join(',')}`);
    for (const p of a.positions) {
      if (!oneOf(ASSET_TYPES, p.assetType)) fail(`asset type ${p.assetType}`);
      if (p.providerPositionId.length > 160 || p.symbol.length > 64 || p.rawAssetType.length > 64) fail('length');
      if (!qty(p.quantity) || !qty(p.averagePrice)) fail('quantity or price');
      if (!money(p.marketValue) || !money(p.costBasis)) fail('market value or cost basis');
    }
    if (!storable(a)) fail('text PostgreSQL refuses');
  }
  if (JSON.stringify(accounts).includes(FULL_NUMBER)) fail('full account number');
  return problems;
}

function transactionProblems(transactions: ProviderTransaction[]): string[] {
  const problems: string[] = [];
  const fail = (what: string) => problems.push(what);
  for (const t of transactions) {
    if (!oneOf(TRANSACTION_TYPES, t.type)) fail(`type ${t.type}`);
    if (!oneOf(TRANSACTION_STATUSES, t.status)) fail(`status ${t.status}`);
    if (!DATE.test(t.date)) fail('date');
    if (!money(t.amount) || !money(t.fees) || t.fees.startsWith('-')) fail('amount or fees');
    if (!qty(t.quantity) || !qty(t.price)) fail('quantity or price');
    if (t.providerTransactionId.length > 128 || t.rawType.length > 64) fail('length');
    if (t.symbol !== null && t.symbol.length > 64) fail('symbol length');
    if (t.description !== null && t.description.length > 1000) fail('description length');
    if (!storable(t)) fail('text PostgreSQL refuses');
  }
  return problems;
}

describe('hostile shapes: map what is sound, never throw', () => {
  it.each([null, undefined, 'x', 42, {}, [], [null, 1, 'a', [], {}]])('a whole body of %p', (body) => {
    expect(accountProblems(toAccounts(body, body, 'paper', AS_OF))).toEqual([]);
    expect(transactionProblems(toTransactions(body))).toEqual([]);
    expect(toAccountNumbers(body)).toEqual([]);
    expect(toPositions(body)).toEqual([]);
  });

  it('account and positions: every field replaced by every hostile value', () => {
    const problems: string[] = [];
    let runs = 0;
    const check = (account: unknown, positions: unknown, where: string) => {
      for (const problem of accountProblems(toAccounts(account, positions, 'live', AS_OF))) {
        problems.push(`${where}: ${problem}`);
      }
      runs += 1;
    };
    for (const value of HOSTILE) {
      for (const path of paths(accountFixture)) {
        check(replaced(accountFixture, path, value), positionsFixture, `account.${path.join('.')}`);
      }
      for (const path of paths(positionsFixture)) {
        check(accountFixture, replaced(positionsFixture, path, value), `positions.${path.join('.')}`);
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);
    expect(runs).toBeGreaterThan(2000);
  });

  it('activities: every field replaced by every hostile value; only an unusable id or date drops a row', () => {
    const identity = new Set(['id', 'transaction_time', 'date']);
    const problems: string[] = [];
    let runs = 0;
    for (const entry of activitiesFixture) {
      for (const path of paths(entry)) {
        for (const value of HOSTILE) {
          const mapped = toTransactions([replaced(entry, path, value)]);
          const where = `${entry.id.slice(0, 17)} ${path.join('.')} = ${String(value).slice(0, 20)}`;
          for (const problem of transactionProblems(mapped)) problems.push(`${where}: ${problem}`);
          // A changed activity_type may turn a fill into a non-trade row (dated by `date`) and back.
          const identityPath = identity.has(String(path[0])) || path[0] === 'activity_type';
          if (mapped.length !== 1 && !identityPath) problems.push(`${where}: row dropped`);
          runs += 1;
        }
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);
    expect(runs).toBeGreaterThan(3000);
  });
});
