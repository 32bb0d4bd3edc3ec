import { type SandboxUnderTest, startSandbox } from '@dashtam/testing';

const post = (url: string, body?: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const getJson = async <T = Record<string, unknown>>(url: string): Promise<T> => (await fetch(url)).json() as Promise<T>;

describe('Sandbox test controls', () => {
  let t: SandboxUnderTest;

  beforeAll(async () => {
    t = await startSandbox({ accessTtlSeconds: 1800, rotation: 'rotating' });
  });
  afterAll(() => t.sandbox.close());
  beforeEach(() => t.controls.reset());

  it('GET /health answers ok', async () => {
    const res = await fetch(`${t.sandbox.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('the clock only moves forward and drives every expiry', async () => {
    const before = Date.now();
    const moved = await t.controls.advanceClock(3600);
    expect(moved.offset_seconds).toBe(3600);
    expect(Date.parse(moved.now) - before).toBeGreaterThanOrEqual(3600 * 1000);
    expect((await post(`${t.sandbox.url}/__sandbox/clock`, { advance_seconds: -1 })).status).toBe(400);
    expect((await post(`${t.sandbox.url}/__sandbox/clock`, {})).status).toBe(400);
    const read = await getJson(`${t.sandbox.url}/__sandbox/clock`);
    expect(read.offset_seconds).toBe(3600);
  });

  it('settings: read, update, validate; reset restores the configured values', async () => {
    const initial = await getJson(`${t.sandbox.url}/__sandbox/settings`);
    expect(initial).toEqual({
      rotation: 'rotating',
      reuse_grace_seconds: 0,
      access_ttl_seconds: 1800,
      refresh_ttl_seconds: 604800,
      code_ttl_seconds: 30,
      auto_approve: false,
      user: 'sandbox-user',
      transactions_per_account: 500,
      redirect_uris: [t.client.credentials.redirectUri],
      account_kinds: ['individual', 'margin', 'ira', 'cash', 'closed'],
      closed_account_after_seconds: 172800,
      access_token_call_limit: null,
    });
    const updated = await t.controls.settings({ rotation: 'static', access_ttl_seconds: 5, refresh_ttl_seconds: 50 });
    expect(updated).toEqual({ ...initial, rotation: 'static', access_ttl_seconds: 5, refresh_ttl_seconds: 50 });

    for (const bad of [
      {},
      { rotation: 'sometimes' },
      { access_ttl_seconds: 0 },
      { reuse_grace_seconds: -1 },
      { reuse_grace_seconds: 301 },
      { user: 'a b' },
      { colour: 'red' },
      { account_kinds: [] },
      { account_kinds: ['margin', 'margin'] },
      { account_kinds: ['joint'] },
      { closed_account_after_seconds: -1 },
      { access_token_call_limit: 0 },
      { access_token_call_limit: 'many' },
    ]) {
      const res = await post(`${t.sandbox.url}/__sandbox/settings`, bad);
      expect([JSON.stringify(bad), res.status]).toEqual([JSON.stringify(bad), 400]);
    }
    await t.controls.reset();
    expect(await getJson(`${t.sandbox.url}/__sandbox/settings`)).toEqual(initial);
  });

  it('settings: the data knobs round-trip, and access_token_call_limit null lifts the limit', async () => {
    const updated = await t.controls.settings({
      account_kinds: ['ira', 'margin'],
      closed_account_after_seconds: 0,
      access_token_call_limit: 7,
    });
    expect(updated).toEqual(
      expect.objectContaining({
        account_kinds: ['ira', 'margin'],
        closed_account_after_seconds: 0,
        access_token_call_limit: 7,
      }),
    );
    expect((await t.controls.settings({ access_token_call_limit: null })).access_token_call_limit).toBeNull();
  });

  describe('fixtures', () => {
    type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const account = (accountNumber: string, extra: Json = {}) => ({
      securitiesAccount: {
        type: 'CASH',
        accountNumber,
        positions: [
          { longQuantity: 3, shortQuantity: 0, marketValue: 30, instrument: { assetType: 'EQUITY', symbol: 'ODD' } },
        ],
        currentBalances: { liquidationValue: 130, cashBalance: 100 },
        ...extra,
      },
      aggregatedBalance: { liquidationValue: 130 },
    });
    const tx = (activityId: number, type: string, time: string) => ({
      activityId,
      time,
      type,
      status: 'VALID',
      netAmount: -1,
      transferItems: [{ instrument: { assetType: 'EQUITY', symbol: 'ODD' }, amount: 1, cost: -1 }],
    });
    const trader = async <T = Json>(token: string, path: string) => (await t.client.trader<T>(path, token)).body;
    const path = (hash: string, types: string) =>
      `/trader/v1/accounts/${hash}/transactions?${new URLSearchParams({
        startDate: '2025-01-01T00:00:00.000Z',
        endDate: '2025-12-31T00:00:00.000Z',
        types,
      }).toString()}`;

    it('replays exactly the posted objects to the configured user until reset', async () => {
      const fixtures = {
        accounts: [account('12345678', { weirdField: [1, 2] }), account('87654321')],
        transactions: {
          '12345678': [
            tx(3, 'TRADE', '2025-06-03T10:00:00+0000'),
            tx(2, 'FUTURE_TYPE_NOT_KNOWN', '2025-06-02T10:00:00+0000'),
            tx(1, 'DIVIDEND_OR_INTEREST', '2025-06-01T10:00:00+0000'),
          ],
        },
      };
      expect((await post(`${t.sandbox.url}/__sandbox/fixtures`, fixtures)).status).toBe(204);
      const token = (await t.client.connect('sandbox-user')).access_token;
      const numbers = await trader<Json[]>(token, '/trader/v1/accounts/accountNumbers');
      expect(numbers.map((n) => n.accountNumber)).toEqual(['12345678', '87654321']);
      expect(await trader(token, '/trader/v1/accounts?fields=positions')).toEqual(fixtures.accounts);
      const { positions: _dropped, ...withoutPositions } = fixtures.accounts[1].securitiesAccount;
      expect(await trader(token, `/trader/v1/accounts/${numbers[1].hashValue}`)).toEqual({
        ...fixtures.accounts[1],
        securitiesAccount: withoutPositions,
      });
      // Known types obey the filter; a type the Sandbox does not know is always returned.
      const ids = async (types: string) =>
        (await trader<Json[]>(token, path(numbers[0].hashValue, types))).map((x) => x.activityId);
      expect(await ids('TRADE')).toEqual([3, 2]);
      expect(await ids('TRADE,DIVIDEND_OR_INTEREST')).toEqual([3, 2, 1]);
      expect(await trader(token, path(numbers[1].hashValue, 'TRADE'))).toEqual([]);
      // Other users keep their generated accounts.
      const other = (await t.client.connect('someone-else')).access_token;
      expect(await trader<Json[]>(other, '/trader/v1/accounts/accountNumbers')).toHaveLength(5);

      await t.controls.reset();
      const after = (await t.client.connect('sandbox-user')).access_token;
      expect(await trader<Json[]>(after, '/trader/v1/accounts/accountNumbers')).toHaveLength(5);
    });

    it('accepts large replays (thousands of transactions) and refuses what it cannot serve', async () => {
      const many = Array.from({ length: 6000 }, (_, i) =>
        tx(i + 1, 'TRADE', new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString().replace('.000Z', '+0000')),
      );
      expect(
        (await post(`${t.sandbox.url}/__sandbox/fixtures`, { accounts: [account('1')], transactions: { '1': many } }))
          .status,
      ).toBe(204);
      const token = (await t.client.connect('sandbox-user')).access_token;
      const [only] = await trader<Json[]>(token, '/trader/v1/accounts/accountNumbers');
      // Like Schwab: at most 3000 per answer.
      expect(await trader<Json[]>(token, path(only.hashValue, 'TRADE'))).toHaveLength(3000);

      const refused = await post(`${t.sandbox.url}/__sandbox/fixtures`, { accounts: [{}], transactions: { x: [] } });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual({
        error: 'invalid_request',
        message: [
          'accounts[0].securitiesAccount.accountNumber must be a string of 1-64 letters or digits',
          'transactions.x: no such account in accounts',
        ],
      });
    });
  });

  it('issued-tokens reports every secret with what became of it', async () => {
    const tokens = await t.client.connect();
    await t.controls.advanceClock(1801);
    const issued = await t.controls.issuedTokens();
    expect(issued.map((i) => [i.kind, i.status])).toEqual([
      ['authorization_code', 'used'],
      ['refresh_token', 'active'],
      ['access_token', 'expired'],
      ['id_token', 'expired'],
    ]);
    expect(issued.find((i) => i.kind === 'access_token')!.value).toBe(tokens.access_token);
    expect(new Set(issued.filter((i) => i.kind !== 'authorization_code').map((i) => i.family_id)).size).toBe(1);
  });

  it('reset forgets tokens, codes, counters and the clock offset', async () => {
    const tokens = await t.client.connect();
    await t.controls.advanceClock(60);
    await t.controls.reset();
    expect(await t.controls.issuedTokens()).toEqual([]);
    expect(await t.controls.counters()).toEqual({
      authorize: 0,
      consent: 0,
      token: 0,
      revoke: 0,
      accounts: 0,
      transactions: 0,
      alpaca_account: 0,
      alpaca_positions: 0,
      alpaca_activities: 0,
      simplefin_claim: 0,
      simplefin_info: 0,
      simplefin_accounts: 0,
      token_grants: { authorization_code: 0, refresh_token: 0, other: 0 },
    });
    expect((await getJson(`${t.sandbox.url}/__sandbox/clock`)).offset_seconds).toBe(0);
    expect((await t.client.refresh(tokens.refresh_token)).status).toBe(400);
  });
});

describe('Sandbox with controls disabled', () => {
  let t: SandboxUnderTest;

  beforeAll(async () => {
    t = await startSandbox({ controls: false });
  });
  afterAll(() => t.sandbox.close());

  it.each([
    ['POST', '/__sandbox/faults'],
    ['GET', '/__sandbox/faults'],
    ['POST', '/__sandbox/clock'],
    ['POST', '/__sandbox/settings'],
    ['GET', '/__sandbox/counters'],
    ['GET', '/__sandbox/issued-tokens'],
    ['POST', '/__sandbox/reset'],
    ['POST', '/__sandbox/fixtures'],
    ['POST', '/__sandbox/alpaca/keys'],
    ['POST', '/__sandbox/simplefin/setup-tokens'],
    ['POST', '/__sandbox/simplefin/errors'],
  ])('%s %s is 404', async (method, path) => {
    const res = await fetch(`${t.sandbox.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: method === 'POST' ? JSON.stringify({ endpoint: 'token', mode: '5xx', advance_seconds: 99 }) : undefined,
    });
    expect(res.status).toBe(404);
  });

  it('the institution itself still works', async () => {
    const tokens = await t.client.connect();
    expect((await t.client.refresh(tokens.refresh_token)).status).toBe(200);
  });
});
