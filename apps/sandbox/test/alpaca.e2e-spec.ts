import { type AlpacaKeyPair, type SandboxUnderTest, startSandbox } from '@dashtam/testing';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DAY_MS = 86_400_000;
const DECIMAL = /^-?\d+(\.\d+)?$/;

describe("Sandbox as Alpaca's Trading API v2", () => {
  let t: SandboxUnderTest;
  let keys: AlpacaKeyPair;

  const call = async (path: string, pair: Partial<AlpacaKeyPair> = keys) => {
    const headers: Record<string, string> = {};
    if (pair.api_key_id !== undefined) headers['APCA-API-KEY-ID'] = pair.api_key_id;
    if (pair.api_secret !== undefined) headers['APCA-API-SECRET-KEY'] = pair.api_secret;
    const res = await fetch(`${t.sandbox.url}${path}`, { headers });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
  };
  const activities = async (query: string): Promise<Json[]> => {
    const res = await call(`/v2/account/activities?${query}`);
    expect(res.status).toBe(200);
    return res.body as Json[];
  };
  /** Every activity, oldest first, paging by page_token as a client must. */
  const allActivities = async (query = ''): Promise<Json[]> => {
    const all: Json[] = [];
    let token: string | undefined;
    for (;;) {
      const page = await activities(`direction=asc&page_size=100${query}${token ? `&page_token=${token}` : ''}`);
      all.push(...page);
      if (page.length < 100) return all;
      token = page[page.length - 1].id as string;
    }
  };

  beforeAll(async () => {
    t = await startSandbox();
  });
  afterAll(() => t.sandbox.close());
  beforeEach(async () => {
    await t.controls.reset();
    keys = await t.controls.alpacaKeys();
  });

  it('issues paper key pairs by default and live ones on request, shaped like Alpaca keys', async () => {
    expect(keys).toEqual({
      api_key_id: expect.stringMatching(/^PK[A-Z0-9]{18}$/),
      api_secret: expect.any(String),
      environment: 'paper',
    });
    expect(keys.api_secret.length).toBeGreaterThanOrEqual(40);
    const live = await t.controls.alpacaKeys('live');
    expect(live.api_key_id).toMatch(/^AK[A-Z0-9]{18}$/);
    const bad = await fetch(`${t.sandbox.url}/__sandbox/alpaca/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ environment: 'sandbox' }),
    });
    expect(bad.status).toBe(400);
    const empty = await fetch(`${t.sandbox.url}/__sandbox/alpaca/keys`, { method: 'POST' });
    expect(empty.status).toBe(201);
  });

  it.each([
    ['no headers', { api_key_id: undefined, api_secret: undefined }],
    ['an unknown key id', { api_key_id: 'PKUNKNOWN', api_secret: 'x' }],
    ['the wrong secret', { api_secret: 'not-the-secret' }],
    ['the key id alone', { api_secret: undefined }],
  ])('answers 401 like Alpaca for %s', async (_name, override) => {
    for (const path of ['/v2/account', '/v2/positions', '/v2/account/activities']) {
      const res = await call(path, { ...keys, ...override });
      expect([path, res.status, res.body]).toEqual([
        path,
        401,
        { code: 40110000, message: 'request is not authorized' },
      ]);
    }
  });

  it('serves one account per key pair, stable for that pair and different for another', async () => {
    const account = (await call('/v2/account')).body;
    expect(account).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      account_number: expect.stringMatching(/^PA[A-Z0-9]{10}$/),
      status: 'ACTIVE',
      currency: 'USD',
      multiplier: expect.stringMatching(/^[124]$/),
    });
    for (const field of ['cash', 'equity', 'portfolio_value', 'buying_power', 'last_equity', 'long_market_value']) {
      expect([field, account[field]]).toEqual([field, expect.stringMatching(DECIMAL)]);
    }
    expect((await call('/v2/account')).body).toEqual(account);
    const other = (await call('/v2/account', await t.controls.alpacaKeys('live'))).body;
    expect(other.id).not.toBe(account.id);
    expect(other.account_number).toMatch(/^\d{9}$/);
  });

  it('positions span asset classes, and the account equity is cash plus their market value', async () => {
    const positions = (await call('/v2/positions')).body as Json[];
    expect(new Set(positions.map((p) => p.asset_class))).toEqual(new Set(['us_equity', 'crypto', 'us_option']));
    for (const p of positions) {
      expect(p.side).toBe(p.qty.startsWith('-') ? 'short' : 'long');
      for (const field of ['qty', 'avg_entry_price', 'market_value', 'cost_basis', 'current_price', 'unrealized_pl']) {
        expect([p.symbol, field, p[field]]).toEqual([p.symbol, field, expect.stringMatching(DECIMAL)]);
      }
    }
    const account = (await call('/v2/account')).body;
    const cents = (v: string) => Math.round(Number(v) * 100);
    const total = positions.reduce((sum, p) => sum + cents(p.market_value), cents(account.cash));
    expect(cents(account.equity)).toBe(total);
  });

  it('activities: two years of trade and non-trade history, newest first by default, at most 100 a page', async () => {
    const page = await activities('');
    expect(page).toHaveLength(100);
    const ids = page.map((a) => a.id as string);
    expect(ids).toEqual([...ids].sort().reverse());
    const all = await allActivities();
    expect(all.length).toBeGreaterThan(200);
    expect(new Set(all.map((a) => a.id)).size).toBe(all.length);
    const first = Date.parse(all[0].transaction_time ?? `${all[0].date}T12:00:00Z`);
    expect(Date.now() - first).toBeGreaterThan(700 * DAY_MS);
    const types = new Set(all.map((a) => a.activity_type));
    for (const type of ['FILL', 'DIV', 'INT', 'FEE', 'CSD', 'CSW'])
      expect([type, types.has(type)]).toEqual([type, true]);
    const fill = all.find((a) => a.activity_type === 'FILL')!;
    expect(Object.keys(fill).sort()).toEqual(
      [
        'activity_type',
        'cum_qty',
        'id',
        'leaves_qty',
        'order_id',
        'order_status',
        'price',
        'qty',
        'side',
        'symbol',
        'transaction_time',
        'type',
      ].sort(),
    );
    const dividend = all.find((a) => a.activity_type === 'DIV')!;
    expect(dividend).toMatchObject({
      date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      net_amount: expect.stringMatching(DECIMAL),
      per_share_amount: expect.stringMatching(DECIMAL),
      status: 'executed',
    });
  });

  it('page_token continues after the given id in either direction, without gaps or repeats', async () => {
    const asc = await allActivities();
    const desc: Json[] = [];
    let token: string | undefined;
    for (;;) {
      const page = await activities(`page_size=37${token ? `&page_token=${token}` : ''}`);
      desc.push(...page);
      if (page.length < 37) break;
      token = page[page.length - 1].id as string;
    }
    expect(desc.map((a) => a.id)).toEqual(asc.map((a) => a.id).reverse());
  });

  it('filters by activity_types, the path type, category, date and after/until', async () => {
    const all = await allActivities();
    const onlyDivs = await allActivities('&activity_types=DIV,INT');
    expect(onlyDivs.map((a) => a.id)).toEqual(
      all.filter((a) => ['DIV', 'INT'].includes(a.activity_type)).map((a) => a.id),
    );
    const fills = (await call('/v2/account/activities/FILL?direction=asc')).body as Json[];
    expect(fills.map((a) => a.id)).toEqual(
      all
        .filter((a) => a.activity_type === 'FILL')
        .slice(0, 100)
        .map((a) => a.id),
    );
    const nonTrade = await allActivities('&category=non_trade_activity');
    expect(nonTrade.every((a) => a.activity_type !== 'FILL')).toBe(true);
    expect(nonTrade.length + all.filter((a) => a.activity_type === 'FILL').length).toBe(all.length);

    const middle = all[Math.floor(all.length / 2)];
    const instant = (a: Json) =>
      a.transaction_time ??
      a.id.slice(0, 17).replace(/^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d{3})$/, '$1-$2-$3T$4:$5:$6.$7Z');
    const after = await allActivities(`&after=${encodeURIComponent(instant(middle))}`);
    expect(after.map((a) => a.id)).toEqual(all.slice(all.indexOf(middle) + 1).map((a) => a.id));
    const until = await allActivities(`&until=${encodeURIComponent(instant(middle))}`);
    expect(until.map((a) => a.id)).toEqual(all.slice(0, all.indexOf(middle)).map((a) => a.id));

    const dividend = all.find((a) => a.activity_type === 'DIV')!;
    const onDate = await activities(`date=${dividend.date}`);
    expect(onDate.map((a) => a.id)).toContain(dividend.id);
  });

  it.each([
    ['page_size=101'],
    ['page_size=0'],
    ['page_size=ten'],
    ['direction=sideways'],
    ['activity_types=DIV,NOPE'],
    ['after=yesterday'],
    ['date=2025-01-02&after=2025-01-01'],
    ['category=trades'],
  ])('refuses %s with 422 in Alpaca shape', async (query) => {
    const res = await call(`/v2/account/activities?${query}`);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ code: 42210000, message: expect.any(String) });
  });

  it('history grows as the Sandbox clock moves, and positions are revalued by day', async () => {
    const before = await allActivities();
    const prices = ((await call('/v2/positions')).body as Json[]).map((p) => p.current_price);
    await t.controls.advanceClock(30 * 86_400);
    const after = await allActivities();
    expect(after.length).toBeGreaterThan(before.length);
    expect(after.slice(0, before.length)).toEqual(before);
    const later = ((await call('/v2/positions')).body as Json[]).map((p) => p.current_price);
    expect(later).not.toEqual(prices);
  });

  it('counts calls per endpoint and serves armed faults in Alpaca shape', async () => {
    await call('/v2/account');
    await call('/v2/positions');
    await call('/v2/account/activities');
    await call('/v2/account/activities/FILL');
    expect(await t.controls.counters()).toMatchObject({ alpaca_account: 1, alpaca_positions: 1, alpaca_activities: 2 });

    await t.controls.fault({ endpoint: 'alpaca_activities', mode: '429', ms: 3000 });
    const limited = await call('/v2/account/activities');
    expect([limited.status, limited.body]).toEqual([429, { code: 42910000, message: 'rate limit exceeded' }]);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);

    await t.controls.fault({ endpoint: 'alpaca_account', mode: '5xx', count: 2 });
    expect((await call('/v2/account')).status).toBe(500);
    expect((await call('/v2/account')).body).toEqual({ code: 50010000, message: 'internal server error' });
    expect((await call('/v2/account')).status).toBe(200);
  });

  it('reset forgets every issued key', async () => {
    await t.controls.reset();
    expect((await call('/v2/account')).status).toBe(401);
  });
});
