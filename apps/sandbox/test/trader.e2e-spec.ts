import { type SandboxUnderTest, startSandbox, type Tokens } from '@dashtam/testing';

interface AccountNumber {
  accountNumber: string;
  hashValue: string;
}
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;
const ALL_TYPES = [
  'TRADE',
  'RECEIVE_AND_DELIVER',
  'DIVIDEND_OR_INTEREST',
  'ACH_RECEIPT',
  'ACH_DISBURSEMENT',
  'CASH_RECEIPT',
  'CASH_DISBURSEMENT',
  'ELECTRONIC_FUND',
  'WIRE_OUT',
  'WIRE_IN',
  'JOURNAL',
  'MEMORANDUM',
  'MARGIN_CALL',
  'MONEY_MARKET',
  'SMA_ADJUSTMENT',
];
const cents = (value: number): number => Math.round(value * 100);

/** Every number under a money-ish key has at most two decimals (quantities three). */
function expectDecimals(value: unknown, path = '$'): void {
  if (typeof value === 'number') {
    const quantity = /(Quantity|\.amount)$/.test(path);
    const pattern = quantity ? /^-?\d+(\.\d{1,3})?$/ : /^-?\d+(\.\d{1,2})?$/;
    expect([path, String(value)]).toEqual([path, expect.stringMatching(pattern)]);
  } else if (Array.isArray(value)) value.forEach((v, i) => expectDecimals(v, `${path}[${i}]`));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!['activityId', 'orderId', 'positionId', 'instrumentId', 'variableRate'].includes(k)) {
        expectDecimals(v, `${path}.${k}`);
      }
    }
  }
}

describe('Sandbox Trader API', () => {
  let t: SandboxUnderTest;
  let tokens: Tokens;
  let numbers: AccountNumber[];

  beforeAll(async () => {
    t = await startSandbox({ seed: 'trader-spec' });
  });
  afterAll(() => t.sandbox.close());
  beforeEach(async () => {
    await t.controls.reset();
    tokens = await t.client.connect('trader-user');
    numbers = (await t.client.trader<AccountNumber[]>('/trader/v1/accounts/accountNumbers', tokens.access_token)).body;
  });

  const get = <T = Json>(path: string, token = tokens.access_token) => t.client.trader<T>(path, token);
  const transactionsPath = (hash: string, query: Record<string, string>) =>
    `/trader/v1/accounts/${hash}/transactions?${new URLSearchParams(query).toString()}`;
  const range = (end: number, days: number) => ({
    startDate: new Date(end - days * DAY_MS).toISOString(),
    endDate: new Date(end).toISOString(),
  });
  /** What a client does: one-year windows over two years, narrowing `endDate` whenever a page is full. */
  async function walkTwoYears(hash: string, now: number): Promise<{ byId: Map<number, Json>; calls: number }> {
    const byId = new Map<number, Json>();
    let calls = 0;
    for (const [start, end] of [
      [now - YEAR_MS, now],
      [now - 2 * YEAR_MS, now - YEAR_MS],
    ]) {
      const startDate = new Date(start).toISOString();
      let endDate = new Date(end).toISOString();
      for (;;) {
        const page = await get<Json[]>(transactionsPath(hash, { startDate, endDate, types: ALL_TYPES.join(',') }));
        expect(page.status).toBe(200);
        expect(page.body.length).toBeLessThanOrEqual(3000);
        calls++;
        for (const tx of page.body) byId.set(tx.activityId, tx);
        if (page.body.length < 3000) break;
        endDate = new Date(Date.parse(page.body[page.body.length - 1].time)).toISOString();
      }
    }
    return { byId, calls };
  }

  describe('authentication', () => {
    it.each([
      ['/trader/v1/accounts/accountNumbers'],
      ['/trader/v1/accounts?fields=positions'],
      ['/trader/v1/accounts/ABC'],
      ['/trader/v1/accounts/ABC/transactions'],
      ['/trader/v1/userPreference'],
    ])('%s without a valid bearer token is 401 ServiceError', async (path) => {
      for (const token of [undefined, 'I0.garbage@']) {
        const res = await t.client.trader(path, token);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
        expect(res.body).toEqual({
          message: 'Client not authorized',
          errors: ['Access token is missing, invalid, expired or revoked'],
        });
      }
    });

    it('a refresh token is not an access token', async () => {
      expect((await get('/trader/v1/accounts/accountNumbers', tokens.refresh_token)).status).toBe(401);
    });
  });

  it('accountNumbers lists five accounts with 8-digit numbers and 64-hex hash values', async () => {
    expect(numbers).toHaveLength(5);
    for (const n of numbers) {
      expect(Object.keys(n)).toEqual(['accountNumber', 'hashValue']);
      expect(n.accountNumber).toMatch(/^\d{8}$/);
      expect(n.hashValue).toMatch(/^[0-9A-F]{64}$/);
    }
    expect((await t.controls.counters()).accounts).toBe(1);
  });

  it('userPreference names every account (how an IRA is told from a brokerage account)', async () => {
    const res = await get('/trader/v1/userPreference');
    expect(res.status).toBe(200);
    expect(res.body.accounts.map((a: Json) => [a.accountNumber, a.nickName, a.type])).toEqual(
      numbers.map((n, i) => [
        n.accountNumber,
        ['Individual', 'Margin Trading', 'Contributory IRA', 'Cash Reserve', 'Old Brokerage'][i],
        'BROKERAGE',
      ]),
    );
    expect(res.body.accounts[0].primaryAccount).toBe(true);
  });

  it('accounts with fields=positions: every kind, every asset type long and short, balances that add up', async () => {
    const res = await get<Json[]>('/trader/v1/accounts?fields=positions');
    expect(res.status).toBe(200);
    expect(res.body.map((a) => a.securitiesAccount.accountNumber)).toEqual(numbers.map((n) => n.accountNumber));
    expect(res.body.map((a) => a.securitiesAccount.type)).toEqual(['CASH', 'MARGIN', 'CASH', 'CASH', 'CASH']);
    const seen = new Set<string>();
    for (const { securitiesAccount: account, aggregatedBalance } of res.body) {
      expect(account.positions.length).toBeGreaterThanOrEqual(1);
      for (const p of account.positions) {
        expect(p).toEqual(
          expect.objectContaining({
            shortQuantity: expect.any(Number),
            longQuantity: expect.any(Number),
            averagePrice: expect.any(Number),
            marketValue: expect.any(Number),
            instrument: expect.objectContaining({
              symbol: expect.any(String),
              assetType: expect.any(String),
              description: expect.any(String),
              cusip: expect.any(String),
            }),
          }),
        );
        seen.add(`${p.instrument.assetType}/${p.instrument.type}/${p.shortQuantity > 0 ? 'short' : 'long'}`);
      }
      const positionsValue = account.positions.reduce((sum: number, p: Json) => sum + cents(p.marketValue), 0);
      const { currentBalances: current } = account;
      expect(cents(current.liquidationValue)).toBe(cents(current.cashBalance) + positionsValue);
      expect(aggregatedBalance.liquidationValue).toBe(current.liquidationValue);
      expect(account.initialBalances).toEqual(expect.objectContaining({ cashBalance: current.cashBalance }));
      if (account.type === 'MARGIN') expect(current.availableFunds).toEqual(expect.any(Number));
      else expect(current.cashAvailableForTrading).toBe(current.cashBalance);
    }
    for (const kind of [
      'EQUITY/COMMON_STOCK/long',
      'EQUITY/COMMON_STOCK/short',
      'COLLECTIVE_INVESTMENT/EXCHANGE_TRADED_FUND/long',
      'MUTUAL_FUND/NO_LOAD_TAXABLE/long',
      'CASH_EQUIVALENT/MONEY_MARKET_FUND/long',
      'FIXED_INCOME/CERTIFICATE_OF_DEPOSIT/long',
      'OPTION/VANILLA/long',
      'OPTION/VANILLA/short',
    ]) {
      expect(seen).toContain(kind);
    }
    expectDecimals(res.body);
  });

  it('accounts without fields have no positions; other fields values are refused', async () => {
    const plain = await get<Json[]>('/trader/v1/accounts');
    expect(plain.status).toBe(200);
    for (const a of plain.body) expect(a.securitiesAccount).not.toHaveProperty('positions');
    const bad = await get('/trader/v1/accounts?fields=orders');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ message: 'Bad request', errors: ['fields may only be "positions"'] });
  });

  it('one account by hash value; unknown hashes and raw account numbers are 404', async () => {
    const res = await get(`/trader/v1/accounts/${numbers[1].hashValue}?fields=positions`);
    expect(res.status).toBe(200);
    expect(res.body.securitiesAccount.accountNumber).toBe(numbers[1].accountNumber);
    expect(res.body.securitiesAccount.positions.length).toBeGreaterThan(0);
    for (const path of [numbers[1].accountNumber, 'F'.repeat(64)]) {
      const missing = await get(`/trader/v1/accounts/${path}`);
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({
        message: 'Account not found',
        errors: ['No account with this hash value for this user'],
      });
    }
  });

  it("another user's account is not reachable with this user's token", async () => {
    const other = await t.client.connect('someone-else');
    const theirs = (await get<AccountNumber[]>('/trader/v1/accounts/accountNumbers', other.access_token)).body;
    expect(theirs.map((n) => n.accountNumber)).not.toEqual(numbers.map((n) => n.accountNumber));
    expect((await get(`/trader/v1/accounts/${theirs[0].hashValue}`)).status).toBe(404);
    expect((await get(transactionsPath(theirs[0].hashValue, { ...range(Date.now(), 5), types: 'TRADE' }))).status).toBe(
      404,
    );
  });

  it('the closed account is served until the clock passes its closing date, then is gone everywhere', async () => {
    const closed = numbers[4];
    const settings = (await (await fetch(`${t.sandbox.url}/__sandbox/settings`)).json()) as Json;
    expect(settings.closed_account_after_seconds).toBe(2 * 86_400);
    await t.controls.advanceClock(2 * 86_400 - 3600);
    const fresh = (await t.client.connect('trader-user')).access_token;
    expect((await get<AccountNumber[]>('/trader/v1/accounts/accountNumbers', fresh)).body).toHaveLength(5);
    await t.controls.advanceClock(3600);
    const later = (await t.client.connect('trader-user')).access_token;
    const after = (await get<AccountNumber[]>('/trader/v1/accounts/accountNumbers', later)).body;
    expect(after).toEqual(numbers.slice(0, 4));
    const list = (await get<Json[]>('/trader/v1/accounts?fields=positions', later)).body;
    expect(list.map((a) => a.securitiesAccount.accountNumber)).toEqual(after.map((n) => n.accountNumber));
    expect((await get(`/trader/v1/accounts/${closed.hashValue}`, later)).status).toBe(404);
    const txs = await get(transactionsPath(closed.hashValue, { ...range(Date.now(), 30), types: 'TRADE' }), later);
    expect(txs.status).toBe(404);
  });

  describe('transactions', () => {
    it('Schwab-shaped transactions in the date range, newest first', async () => {
      const window = range(Date.now(), 120);
      const res = await get<Json[]>(transactionsPath(numbers[1].hashValue, { ...window, types: ALL_TYPES.join(',') }));
      expect(res.status).toBe(200);
      expect(res.body.length).toBeGreaterThan(20);
      const times = res.body.map((tx) => Date.parse(tx.time));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      for (const tx of res.body) {
        expect(tx.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000$/);
        expect(Date.parse(tx.time)).toBeGreaterThanOrEqual(Date.parse(window.startDate));
        expect(tx).toEqual(
          expect.objectContaining({
            activityId: expect.any(Number),
            accountNumber: numbers[1].accountNumber,
            type: expect.any(String),
            status: expect.stringMatching(/^(VALID|PENDING)$/),
            subAccount: expect.stringMatching(/^(CASH|MARGIN|SHORT)$/),
            tradeDate: expect.any(String),
            settlementDate: expect.any(String),
            netAmount: expect.any(Number),
            transferItems: expect.any(Array),
          }),
        );
      }
      const trade = res.body.find((tx) => tx.type === 'TRADE')!;
      const security = trade.transferItems.find((i: Json) => !i.feeType);
      expect(security).toEqual(
        expect.objectContaining({ amount: expect.any(Number), price: expect.any(Number), cost: expect.any(Number) }),
      );
      expect(trade.transferItems.some((i: Json) => i.feeType === 'COMMISSION')).toBe(true);
      // netAmount = proceeds/cost plus fees, to the cent.
      const fees = trade.transferItems
        .filter((i: Json) => i.feeType)
        .reduce((s: number, i: Json) => s + cents(i.cost), 0);
      expect(cents(trade.netAmount)).toBe(cents(security.cost) + fees);
      expect(new Set(res.body.map((tx) => tx.activityId)).size).toBe(res.body.length);
      expectDecimals(res.body);
    });

    it('two years hold every Schwab transaction type, transactions_per_account per account', async () => {
      const now = Date.now();
      const types = new Set<string>();
      let total = 0;
      for (const n of numbers) {
        const { byId } = await walkTwoYears(n.hashValue, now);
        expect(byId.size).toBe(500);
        total += byId.size;
        for (const tx of byId.values()) types.add(tx.type);
      }
      expect(total).toBe(2500);
      expect([...types].sort()).toEqual([...ALL_TYPES].sort());
    });

    it('filters by types and symbol', async () => {
      const window = range(Date.now(), 365);
      const dividends = await get<Json[]>(
        transactionsPath(numbers[0].hashValue, { ...window, types: 'DIVIDEND_OR_INTEREST' }),
      );
      expect(dividends.body.length).toBeGreaterThan(0);
      expect(new Set(dividends.body.map((tx) => tx.type))).toEqual(new Set(['DIVIDEND_OR_INTEREST']));
      const symbol = dividends.body.find((tx) => tx.transferItems[0].instrument.assetType !== 'CURRENCY')!
        .transferItems[0].instrument.symbol;
      const bySymbol = await get<Json[]>(
        transactionsPath(numbers[0].hashValue, { ...window, types: 'DIVIDEND_OR_INTEREST', symbol }),
      );
      expect(bySymbol.body.length).toBeGreaterThan(0);
      for (const tx of bySymbol.body) expect(tx.transferItems[0].instrument.symbol).toBe(symbol);
    });

    it.each([
      [{ endDate: '2025-01-01T00:00:00.000Z', types: 'TRADE' }, 'startDate is required'],
      [{ startDate: '2025-01-01T00:00:00.000Z', types: 'TRADE' }, 'endDate is required'],
      [{ startDate: '2025-01-01T00:00:00.000Z', endDate: '2025-02-01T00:00:00.000Z' }, 'types is required'],
      [
        { startDate: '2025-01-01', endDate: '2025-02-01T00:00:00.000Z', types: 'TRADE' },
        "startDate must be yyyy-MM-dd'T'HH:mm:ss.SSSZ",
      ],
      [
        { startDate: '2025-02-01T00:00:00.000Z', endDate: '2025-01-01T00:00:00.000Z', types: 'TRADE' },
        'endDate must not be before startDate',
      ],
      [
        { startDate: '2023-01-01T00:00:00.000Z', endDate: '2025-01-01T00:00:00.000Z', types: 'TRADE' },
        'The date range must not exceed one year',
      ],
      [
        { startDate: '2025-01-01T00:00:00.000Z', endDate: '2025-02-01T00:00:00.000Z', types: 'TRADE,BOGUS' },
        'Unknown transaction type: BOGUS',
      ],
    ])('refuses %j', async (query, error) => {
      const res = await get(transactionsPath(numbers[0].hashValue, query as Record<string, string>));
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ message: 'Bad request', errors: [error] });
    });

    it('10,000 transactions for one account: at most 3000 per call, all reachable by narrowing the range', async () => {
      await t.controls.settings({ transactions_per_account: 10_000, account_kinds: ['individual'] });
      const only = (await get<AccountNumber[]>('/trader/v1/accounts/accountNumbers')).body;
      expect(only).toEqual([numbers[0]]);
      const started = Date.now();
      // One clock reading: two would make a range a millisecond longer than the year the Sandbox allows.
      const { byId, calls } = await walkTwoYears(numbers[0].hashValue, Date.now());
      expect(byId.size).toBe(10_000);
      expect(calls).toBe(4);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await t.controls.counters()).transactions).toBe(calls);
    });

    it('a pending transfer posts after the clock passes its posting day: new activityId, same content', async () => {
      const pendingOf = async (token: string) => {
        const found: Json[] = [];
        for (const n of numbers.slice(0, 4)) {
          const res = await get<Json[]>(
            transactionsPath(n.hashValue, { ...range(Date.now() + 3 * DAY_MS, 12), types: ALL_TYPES.join(',') }),
            token,
          );
          found.push(...res.body);
        }
        return found;
      };
      const before = await pendingOf(tokens.access_token);
      const pending = before.filter((tx) => tx.status === 'PENDING');
      expect(pending.length).toBeGreaterThanOrEqual(1);
      // The same answer again: nothing changes at the same clock day.
      expect(JSON.stringify(await pendingOf(tokens.access_token))).toBe(JSON.stringify(before));

      await t.controls.advanceClock(2 * 86_400);
      const after = await pendingOf((await t.client.connect('trader-user')).access_token);
      const afterIds = new Set(after.map((tx) => tx.activityId));
      for (const p of pending) {
        expect(afterIds.has(p.activityId)).toBe(false);
        const posted = after.filter(
          (tx) =>
            tx.status === 'VALID' &&
            tx.accountNumber === p.accountNumber &&
            tx.type === p.type &&
            tx.netAmount === p.netAmount &&
            JSON.stringify(tx.transferItems) === JSON.stringify(p.transferItems),
        );
        expect(posted).toHaveLength(1);
        expect(posted[0].activityId).not.toBe(p.activityId);
      }
      // New activity arrived with the new days.
      expect(after.some((tx) => !before.some((b) => b.activityId === tx.activityId) && tx.status === 'PENDING')).toBe(
        true,
      );
    });
  });

  describe('determinism', () => {
    const snapshot = async (target: SandboxUnderTest, user: string) => {
      const token = (await target.client.connect(user)).access_token;
      const nums = await target.client.trader<AccountNumber[]>('/trader/v1/accounts/accountNumbers', token);
      const accounts = await target.client.trader('/trader/v1/accounts?fields=positions', token);
      const end = Math.floor(Date.now() / DAY_MS) * DAY_MS;
      const txs = await target.client.trader(
        transactionsPath(nums.body[1].hashValue, { ...range(end, 365), types: ALL_TYPES.join(',') }),
        token,
      );
      return { nums: nums.text, accounts: accounts.text, txs: txs.text };
    };

    it('the same seed, user and clock give byte-identical answers, in any instance and on every call', async () => {
      const other = await startSandbox({ seed: 'trader-spec' });
      try {
        const a = await snapshot(t, 'repeatable-user');
        expect(await snapshot(t, 'repeatable-user')).toEqual(a);
        expect(await snapshot(other, 'repeatable-user')).toEqual(a);
        expect((JSON.parse(a.txs) as Json[]).length).toBeGreaterThan(100);
      } finally {
        await other.sandbox.close();
      }
    });

    it('another user or another seed gives other data', async () => {
      const other = await startSandbox({ seed: 'another-seed' });
      try {
        const base = await snapshot(t, 'repeatable-user');
        const otherUser = await snapshot(t, 'different-user');
        const otherSeed = await snapshot(other, 'repeatable-user');
        expect(otherUser.nums).not.toEqual(base.nums);
        expect(otherSeed.nums).not.toEqual(base.nums);
      } finally {
        await other.sandbox.close();
      }
    });
  });
});
