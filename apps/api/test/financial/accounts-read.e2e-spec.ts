import { randomUUID } from 'node:crypto';

import request from 'supertest';

import {
  type AccountBody,
  type BalanceSnapshotBody,
  createSignedInUser,
  createTestApp,
  FinancialApi,
  type PositionBody,
  ProvidersApi,
  type SignedInUser,
  type TestApp,
} from '@dashtam/testing';

import {
  createOwner,
  insertAccount,
  insertPositions,
  insertSnapshots,
  type Owner,
} from '../support/financial-fixtures';

/** GET /accounts, /accounts/{id}, /accounts/{id}/positions and /accounts/{id}/balances on seeded rows. */
describe('financial data: accounts, positions and balances (read API)', () => {
  let t: TestApp;
  let user: SignedInUser;
  let api: FinancialApi;
  let brokerage: Owner;
  let bank: Owner;
  let ira: string;
  let margin: string;
  let closed: string;
  let checking: string;

  beforeAll(async () => {
    t = await createTestApp();
    user = await createSignedInUser(t);
    api = new FinancialApi(t.url, user.auth);
    const providers = new ProvidersApi(t.url, user.auth);
    brokerage = await createOwner(t, providers, user.user.id, 'Brokerage');
    bank = await createOwner(t, providers, user.user.id, 'Bank');
    ira = await insertAccount(t, brokerage, {
      name: 'Rollover IRA',
      account_type: 'ira',
      mask: '0042',
      current_balance: '120500.5',
      available_balance: '3000',
      balance_as_of: new Date('2026-03-02T21:00:00.123Z'),
      last_synced_at: new Date('2026-03-02T21:00:05Z'),
    });
    margin = await insertAccount(t, brokerage, {
      name: 'Margin Trading',
      account_type: 'margin',
      mask: '7',
      current_balance: '-12.3456',
      available_balance: '0',
      balance_as_of: new Date('2026-03-02T21:00:00Z'),
      last_synced_at: new Date('2026-03-02T21:00:05Z'),
    });
    closed = await insertAccount(t, brokerage, { name: 'Old Cash', account_type: 'cash', is_active: false });
    // Everything optional left null, as an institution that reports no balance leaves it.
    checking = await insertAccount(t, bank, {
      name: 'Everyday Checking',
      account_type: 'checking',
      mask: null,
      current_balance: null,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const namesOf = (body: { items: AccountBody[] }): string[] => body.items.map((account) => account.name);

  describe('GET /accounts', () => {
    it('lists every account of the caller, open and closed, by name, with exact fields and nulls', async () => {
      const res = await api.accounts().expect(200);
      expect(Object.keys(res.body as object)).toEqual(['items']);
      expect(namesOf(res.body)).toEqual(['Everyday Checking', 'Margin Trading', 'Old Cash', 'Rollover IRA']);
      const byName = Object.fromEntries((res.body.items as AccountBody[]).map((a) => [a.name, a]));
      expect(byName['Rollover IRA']).toEqual({
        id: ira,
        provider_id: brokerage.providerId,
        name: 'Rollover IRA',
        account_type: 'ira',
        mask: '0042',
        currency: 'USD',
        current_balance: '120500.5000',
        available_balance: '3000.0000',
        balance_as_of: '2026-03-02T21:00:00.123Z',
        is_active: true,
        last_synced_at: '2026-03-02T21:00:05.000Z',
      });
      expect(byName['Everyday Checking']).toEqual({
        id: checking,
        provider_id: bank.providerId,
        name: 'Everyday Checking',
        account_type: 'checking',
        mask: null,
        currency: 'USD',
        current_balance: null,
        available_balance: null,
        balance_as_of: null,
        is_active: true,
        last_synced_at: null,
      });
      expect(byName['Margin Trading']).toMatchObject({ id: margin, mask: '7', current_balance: '-12.3456' });
      expect(byName['Old Cash']).toMatchObject({ id: closed, is_active: false });
      // Nothing the institution knows the account by, and no metadata, ever leaves.
      expect(JSON.stringify(res.body)).not.toMatch(/provider_account_id|provider_metadata|connection_id|user_id/);
    });

    it('filters by is_active and provider_id, alone and together', async () => {
      expect(namesOf((await api.accounts({ is_active: 'true' }).expect(200)).body)).toEqual([
        'Everyday Checking',
        'Margin Trading',
        'Rollover IRA',
      ]);
      expect(namesOf((await api.accounts({ is_active: 'false' }).expect(200)).body)).toEqual(['Old Cash']);
      expect(namesOf((await api.accounts({ provider_id: bank.providerId }).expect(200)).body)).toEqual([
        'Everyday Checking',
      ]);
      // Upper-case UUIDs name the same provider.
      expect(
        namesOf((await api.accounts({ provider_id: brokerage.providerId.toUpperCase(), is_active: 'true' })).body),
      ).toEqual(['Margin Trading', 'Rollover IRA']);
      expect((await api.accounts({ provider_id: randomUUID() }).expect(200)).body).toEqual({ items: [] });
    });

    it("shows nothing of another user's accounts, even filtered by their provider", async () => {
      const other = await createSignedInUser(t);
      const otherApi = new FinancialApi(t.url, other.auth);
      expect((await otherApi.accounts().expect(200)).body).toEqual({ items: [] });
      expect((await otherApi.accounts({ provider_id: brokerage.providerId }).expect(200)).body).toEqual({ items: [] });
    });

    it.each([
      [{ is_active: 'yes' }, 'is_active'],
      [{ is_active: '1' }, 'is_active'],
      [{ is_active: '' }, 'is_active'],
      [{ provider_id: 'not-a-uuid' }, 'provider_id'],
      [{ provider_id: '' }, 'provider_id'],
      [{ page: '1' }, 'page'],
      [{ sort: 'name' }, 'sort'],
    ])('refuses %j with 400 naming %s', async (query, field) => {
      const res = await api.accounts(query).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION.FAILED', status: 400 });
      expect((res.body.errors as Array<{ field: string }>).map((e) => e.field)).toContain(field);
    });

    it('refuses a repeated filter (an array is not a boolean or a UUID)', async () => {
      const res = await request(t.url).get('/api/v1/accounts?is_active=true&is_active=false').set(user.auth);
      expect(res.status).toBe(400);
      const res2 = await request(t.url)
        .get(`/api/v1/accounts?provider_id=${bank.providerId}&provider_id=${bank.providerId}`)
        .set(user.auth);
      expect(res2.status).toBe(400);
    });
  });

  describe('GET /accounts/{id}', () => {
    it('answers one account with the same fields as the list', async () => {
      const list = (await api.accounts().expect(200)).body as { items: AccountBody[] };
      for (const account of list.items) {
        expect((await api.account(account.id).expect(200)).body).toEqual(account);
      }
    });

    it("answers 404 for an unknown id and for another user's account, identically; 400 for a non-UUID", async () => {
      const missing = await api.account(randomUUID()).expect(404);
      expect(missing.body).toMatchObject({ code: 'ACCOUNT.NOT_FOUND', status: 404 });
      const intruder = new FinancialApi(t.url, (await createSignedInUser(t)).auth);
      for (const res of [
        await intruder.account(ira),
        await intruder.positions(ira),
        await intruder.balances(ira),
        await intruder.balances(ira, { from: '2026-01-01' }),
      ]) {
        expect(res.status).toBe(404);
        expect({ ...res.body, request_id: null }).toEqual({ ...missing.body, request_id: null });
      }
      const bad = await api.account('123').expect(400);
      expect(bad.body).toMatchObject({ code: 'VALIDATION.FAILED', errors: [{ field: 'id', code: 'isUuid' }] });
    });
  });

  describe('GET /accounts/{id}/positions', () => {
    it('lists active positions by symbol with decimals at their stored scale; sold ones are left out', async () => {
      const [aapl, , vti, call] = await insertPositions(t, ira, [
        {
          symbol: 'AAPL',
          description: 'APPLE INC',
          quantity: '10.5',
          average_price: '150.123456789',
          market_value: '1800.25',
          cost_basis: '1576.3',
          as_of: new Date('2026-03-02T21:00:00Z'),
        },
        { symbol: 'MSFT', market_value: '999', is_active: false },
        { symbol: 'VTI', asset_type: 'etf', raw_asset_type: 'COLLECTIVE_INVESTMENT', quantity: '-3' },
        {
          symbol: 'AAPL  260320C00200000',
          asset_type: 'option',
          raw_asset_type: 'OPTION',
          quantity: '0.00000001',
          market_value: '0',
        },
      ]);
      const res = await api.positions(ira).expect(200);
      expect(res.body).toEqual({
        items: [
          {
            id: aapl,
            symbol: 'AAPL',
            description: 'APPLE INC',
            asset_type: 'equity',
            quantity: '10.50000000',
            // numeric(19,8) rounds what the institution sent beyond 8 decimals when it is stored.
            average_price: '150.12345679',
            market_value: '1800.2500',
            cost_basis: '1576.3000',
            as_of: '2026-03-02T21:00:00.000Z',
          },
          {
            id: call,
            symbol: 'AAPL  260320C00200000',
            description: null,
            asset_type: 'option',
            quantity: '0.00000001',
            average_price: null,
            market_value: '0.0000',
            cost_basis: null,
            as_of: '2026-03-02T21:00:00.000Z',
          },
          {
            id: vti,
            symbol: 'VTI',
            description: null,
            asset_type: 'etf',
            quantity: '-3.00000000',
            average_price: null,
            market_value: null,
            cost_basis: null,
            as_of: '2026-03-02T21:00:00.000Z',
          },
        ] satisfies PositionBody[],
      });
    });

    it('answers an empty list for an account without positions, closed accounts included', async () => {
      expect((await api.positions(checking).expect(200)).body).toEqual({ items: [] });
      expect((await api.positions(closed).expect(200)).body).toEqual({ items: [] });
    });
  });

  describe('GET /accounts/{id}/balances', () => {
    let account: string;

    beforeAll(async () => {
      account = await insertAccount(t, brokerage, { name: 'Snapshots' });
      // Inserted out of order: the answer is ordered by captured_at, not by insertion.
      await insertSnapshots(t, account, [
        { captured_at: new Date('2026-02-10T00:00:00.000Z'), balance: '300', holdings_value: '200', cash_value: '100' },
        { captured_at: new Date('2026-02-09T23:59:59.999Z'), balance: '200.1' },
        {
          captured_at: new Date('2026-02-08T12:00:00Z'),
          balance: '100',
          available_balance: '50.5',
          holdings_value: '60',
          cash_value: '40',
        },
        { captured_at: new Date('2026-02-11T00:00:00.000Z'), balance: '400' },
      ]);
    });

    const capturedOf = (body: { items: BalanceSnapshotBody[] }): string[] => body.items.map((s) => s.captured_at);

    it('lists every snapshot oldest first, with nulls present', async () => {
      const res = await api.balances(account).expect(200);
      expect(res.body.items[0]).toEqual({
        balance: '100.0000',
        available_balance: '50.5000',
        holdings_value: '60.0000',
        cash_value: '40.0000',
        captured_at: '2026-02-08T12:00:00.000Z',
      });
      expect(res.body.items[1]).toEqual({
        balance: '200.1000',
        available_balance: null,
        holdings_value: null,
        cash_value: null,
        captured_at: '2026-02-09T23:59:59.999Z',
      });
      expect(capturedOf(res.body)).toEqual([
        '2026-02-08T12:00:00.000Z',
        '2026-02-09T23:59:59.999Z',
        '2026-02-10T00:00:00.000Z',
        '2026-02-11T00:00:00.000Z',
      ]);
    });

    it('reads from and to as whole UTC days, both included', async () => {
      expect(capturedOf((await api.balances(account, { from: '2026-02-09', to: '2026-02-10' })).body)).toEqual([
        '2026-02-09T23:59:59.999Z',
        '2026-02-10T00:00:00.000Z',
      ]);
      expect(capturedOf((await api.balances(account, { to: '2026-02-09' })).body)).toEqual([
        '2026-02-08T12:00:00.000Z',
        '2026-02-09T23:59:59.999Z',
      ]);
      expect(capturedOf((await api.balances(account, { from: '2026-02-11' })).body)).toEqual([
        '2026-02-11T00:00:00.000Z',
      ]);
      expect(
        (await api.balances(account, { from: '2026-02-10', to: '2026-02-10' }).expect(200)).body.items,
      ).toHaveLength(1);
      expect((await api.balances(account, { from: '2027-01-01' }).expect(200)).body).toEqual({ items: [] });
    });

    it.each([
      [{ from: '2026-02-11', to: '2026-02-10' }, 'from'],
      [{ from: '2026-02-30' }, 'from'],
      [{ to: '2026-2-1' }, 'to'],
      [{ from: '2026-02-10T00:00:00Z' }, 'from'],
      [{ to: '' }, 'to'],
      [{ from: '0000-01-01' }, 'from'],
      [{ limit: '10' }, 'limit'],
    ])('refuses %j with 400 naming %s', async (query, field) => {
      const res = await api.balances(account, query).expect(400);
      expect(res.body.code).toBe('VALIDATION.FAILED');
      expect((res.body.errors as Array<{ field: string }>).map((e) => e.field)).toContain(field);
    });
  });

  it('OpenAPI documents the account routes and their responses, all behind the bearer token', async () => {
    const doc = (await request(t.url).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
    };
    const expected: Array<[string, string[]]> = [
      ['/api/v1/accounts', ['200', '400', '401']],
      ['/api/v1/accounts/{id}', ['200', '400', '401', '404']],
      ['/api/v1/accounts/{id}/positions', ['200', '400', '401', '404']],
      ['/api/v1/accounts/{id}/balances', ['200', '400', '401', '404']],
    ];
    for (const [path, statuses] of expected) {
      const operation = doc.paths[path]?.get;
      expect({ path, documented: Boolean(operation) }).toEqual({ path, documented: true });
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(statuses));
      expect(operation.security).toEqual([{ bearer: [] }]);
    }
  });
});
