import { type SandboxUnderTest, startSandbox, type Tokens } from '@dashtam/testing';

interface AccountNumber {
  accountNumber: string;
  hashValue: string;
}
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DAY_MS = 86_400_000;
const ALL_TYPES = 'TRADE,DIVIDEND_OR_INTEREST,ACH_RECEIPT,ACH_DISBURSEMENT,WIRE_IN,WIRE_OUT,JOURNAL';
const cents = (value: number): number => Math.round(value * 100);

/** Every number under a money-ish key has at most two decimals. */
function expectTwoDecimals(value: unknown, path = '$'): void {
  if (typeof value === 'number') {
    expect([path, String(value)]).toEqual([path, expect.stringMatching(/^-?\d+(\.\d{1,2})?$/)]);
  } else if (Array.isArray(value)) value.forEach((v, i) => expectTwoDecimals(v, `${path}[${i}]`));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!['activityId', 'orderId', 'positionId', 'instrumentId'].includes(k)) expectTwoDecimals(v, `${path}.${k}`);
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
  const lastYear = (now = Date.now()) => ({
    startDate: new Date(now - 366 * DAY_MS).toISOString(),
    endDate: new Date(now).toISOString(),
  });

  describe('authentication', () => {
    it.each([
      ['/trader/v1/accounts/accountNumbers'],
      ['/trader/v1/accounts?fields=positions'],
      ['/trader/v1/accounts/ABC'],
      ['/trader/v1/accounts/ABC/transactions'],
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

  it('accountNumbers lists 2-3 accounts with 8-digit numbers and 64-hex hash values', async () => {
    expect(numbers.length).toBeGreaterThanOrEqual(2);
    expect(numbers.length).toBeLessThanOrEqual(3);
    for (const n of numbers) {
      expect(Object.keys(n)).toEqual(['accountNumber', 'hashValue']);
      expect(n.accountNumber).toMatch(/^\d{8}$/);
      expect(n.hashValue).toMatch(/^[0-9A-F]{64}$/);
    }
    expect((await t.controls.counters()).accounts).toBe(1);
  });

  it('accounts with fields=positions: Schwab-shaped, balances that add up, money with two decimals', async () => {
    const res = await get<Json[]>('/trader/v1/accounts?fields=positions');
    expect(res.status).toBe(200);
    expect(res.body.map((a) => a.securitiesAccount.accountNumber)).toEqual(numbers.map((n) => n.accountNumber));
    for (const { securitiesAccount: account, aggregatedBalance } of res.body) {
      expect(['MARGIN', 'CASH']).toContain(account.type);
      expect(account.positions.length).toBeGreaterThanOrEqual(3);
      for (const p of account.positions) {
        expect(p).toEqual(
          expect.objectContaining({
            shortQuantity: 0,
            longQuantity: expect.any(Number),
            averagePrice: expect.any(Number),
            marketValue: expect.any(Number),
            instrument: expect.objectContaining({
              symbol: expect.stringMatching(/^[A-Z]+$/),
              assetType: expect.stringMatching(/^(EQUITY|COLLECTIVE_INVESTMENT|MUTUAL_FUND|CASH_EQUIVALENT)$/),
              description: expect.any(String),
              cusip: expect.stringMatching(/^[0-9A-Z]{9}$/),
            }),
          }),
        );
      }
      const positionsValue = account.positions.reduce((sum: number, p: Json) => sum + cents(p.marketValue), 0);
      const { currentBalances: current } = account;
      expect(cents(current.liquidationValue)).toBe(cents(current.cashBalance) + positionsValue);
      expect(aggregatedBalance.liquidationValue).toBe(current.liquidationValue);
      expect(account.initialBalances).toEqual(expect.objectContaining({ cashBalance: current.cashBalance }));
    }
    expect(res.body[0].securitiesAccount.type).toBe('MARGIN');
    expectTwoDecimals(res.body);
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
  });

  describe('transactions', () => {
    it('Schwab-shaped transactions in the date range, newest first', async () => {
      const range = { startDate: new Date(Date.now() - 60 * DAY_MS).toISOString(), endDate: new Date().toISOString() };
      const res = await get<Json[]>(transactionsPath(numbers[0].hashValue, { ...range, types: ALL_TYPES }));
      expect(res.status).toBe(200);
      expect(res.body.length).toBeGreaterThan(20);
      const times = res.body.map((tx) => Date.parse(tx.time));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      for (const tx of res.body) {
        expect(tx.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000$/);
        expect(Date.parse(tx.time)).toBeGreaterThanOrEqual(Date.parse(range.startDate));
        expect(tx).toEqual(
          expect.objectContaining({
            activityId: expect.any(Number),
            accountNumber: numbers[0].accountNumber,
            type: expect.any(String),
            status: expect.stringMatching(/^(VALID|PENDING)$/),
            netAmount: expect.any(Number),
            transferItems: expect.any(Array),
          }),
        );
      }
      const trade = res.body.find((tx) => tx.type === 'TRADE')!;
      const security = trade.transferItems.find((i: Json) => i.instrument.assetType !== 'CURRENCY');
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
      expectTwoDecimals(res.body);
    });

    it('filters by types and symbol', async () => {
      const range = lastYear();
      const dividends = await get<Json[]>(
        transactionsPath(numbers[0].hashValue, { ...range, types: 'DIVIDEND_OR_INTEREST' }),
      );
      expect(dividends.body.length).toBeGreaterThan(0);
      expect(new Set(dividends.body.map((tx) => tx.type))).toEqual(new Set(['DIVIDEND_OR_INTEREST']));
      const symbol = dividends.body[0].transferItems[0].instrument.symbol;
      const bySymbol = await get<Json[]>(
        transactionsPath(numbers[0].hashValue, { ...range, types: 'DIVIDEND_OR_INTEREST', symbol }),
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
      await t.controls.settings({ transactions_per_account: 10_000 });
      const started = Date.now();
      const seen = new Map<number, Json>();
      // One clock reading: two would make the range a millisecond longer than the year the Sandbox allows.
      const range = lastYear();
      const { startDate } = range;
      let endDate = range.endDate;
      let calls = 0;
      for (;;) {
        const page = await get<Json[]>(
          transactionsPath(numbers[0].hashValue, { startDate, endDate, types: ALL_TYPES }),
        );
        expect(page.status).toBe(200);
        expect(page.body.length).toBeLessThanOrEqual(3000);
        calls++;
        for (const tx of page.body) seen.set(tx.activityId, tx);
        if (page.body.length < 3000) break;
        endDate = new Date(Date.parse(page.body[page.body.length - 1].time)).toISOString();
      }
      expect(seen.size).toBe(10_000);
      expect(calls).toBe(4);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await t.controls.counters()).transactions).toBe(calls);
    });
  });

  describe('determinism', () => {
    const snapshot = async (target: SandboxUnderTest, user: string) => {
      const token = (await target.client.connect(user)).access_token;
      const nums = (await target.client.trader<AccountNumber[]>('/trader/v1/accounts/accountNumbers', token)).body;
      const accounts = (await target.client.trader('/trader/v1/accounts?fields=positions', token)).body;
      const end = Math.floor(Date.now() / DAY_MS) * DAY_MS;
      const range = { startDate: new Date(end - 90 * DAY_MS).toISOString(), endDate: new Date(end).toISOString() };
      const txs = (
        await target.client.trader(transactionsPath(nums[0].hashValue, { ...range, types: ALL_TYPES }), token)
      ).body;
      return { nums, accounts, txs };
    };

    it('the same seed and user give the same accounts, positions and transactions, in any instance', async () => {
      const other = await startSandbox({ seed: 'trader-spec' });
      try {
        const a = await snapshot(t, 'repeatable-user');
        const b = await snapshot(other, 'repeatable-user');
        expect(b).toEqual(a);
        expect((a.txs as Json[]).length).toBeGreaterThan(0);
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
