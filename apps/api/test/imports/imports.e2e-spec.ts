import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import request from 'supertest';

import { ProviderConnectionsRepository } from '@dashtam/providers';
import { createSignedInUser, createTestApp, type SignedInUser, type TestApp } from '@dashtam/testing';

import { SyncsRepository } from '../../src/syncs/syncs.repository';

const FIXTURES = join(__dirname, 'fixtures');
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));
const PROBLEM = /^application\/problem\+json/;
const RIVERSIDE = {
  date: 'Posting Date',
  amount: 'Amount',
  description: 'Description',
  id: 'Reference',
  date_format: 'MM/DD/YYYY',
};
const ALPENBANK = {
  date: 'Buchungstag',
  amount: 'Betrag',
  description: 'Empfänger',
  date_format: 'DD.MM.YYYY',
  decimal_separator: ',',
};

/** POST /api/v1/imports end to end: real multipart, real PostgreSQL, the read API showing the result. */
describe('imports', () => {
  let t: TestApp;
  const MAX = 64 * 1024;

  beforeAll(async () => {
    t = await createTestApp({ config: { app: { importMaxBytes: MAX } } });
  });
  afterAll(async () => {
    await t.close();
  });

  const upload = (user: SignedInUser, name: string, bytes: Buffer, fields: Record<string, string> = {}) => {
    let call = request(t.url).post('/api/v1/imports').set(user.auth).attach('file', bytes, name);
    for (const [key, value] of Object.entries(fields)) call = call.field(key, value);
    return call;
  };
  const count = async (table: string, userId: string): Promise<number> => {
    const column =
      table === 'providers' || table === 'imports' || table === 'transactions' || table === 'accounts'
        ? 'user_id'
        : null;
    const [{ n }] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`, [
      userId,
    ])) as Array<{ n: number }>;
    return n;
  };

  it('imports a bank OFX 1.x file, then the same file adds nothing and an overlapping one only its new rows', async () => {
    const user = await createSignedInUser(t);
    const first = await upload(user, 'march.ofx', fixture('maple-valley-checking-2025-03.ofx')).expect(201);
    expect(first.body).toMatchObject({
      status: 'completed',
      format: 'ofx',
      account_id: expect.any(String),
      transactions: { created: 5, updated: 0, unchanged: 0 },
      errors: [],
    });
    const again = await upload(user, 'march.ofx', fixture('maple-valley-checking-2025-03.ofx')).expect(201);
    expect(again.body.transactions).toEqual({ created: 0, updated: 0, unchanged: 5 });
    expect(again.body.account_id).toBe(first.body.account_id);
    const overlap = await upload(user, 'april.ofx', fixture('maple-valley-checking-2025-03-to-04.ofx')).expect(201);
    expect(overlap.body.transactions).toEqual({ created: 2, updated: 0, unchanged: 3 });
    expect(await count('transactions', user.user.id)).toBe(7);
    expect(await count('providers', user.user.id)).toBe(1);
    const snapshots = (await t.dataSource.query(
      'SELECT balance FROM balance_snapshots WHERE account_id = $1 ORDER BY captured_at',
      [first.body.account_id],
    )) as Array<{ balance: string }>;
    expect(snapshots.map((s) => s.balance)).toEqual(['5203.6600', '4843.6600']);

    // The read API shows it like any institution's data.
    const accounts = await request(t.url).get('/api/v1/accounts').set(user.auth).expect(200);
    expect(accounts.body.items).toEqual([
      expect.objectContaining({
        id: first.body.account_id,
        name: 'Maple Valley Bank Checking ...6789',
        account_type: 'checking',
        mask: '6789',
        current_balance: '4843.6600',
        available_balance: '4843.6600',
        balance_as_of: '2025-04-05T23:59:59.000Z',
        is_active: true,
      }),
    ]);
    const stored = (await t.dataSource.query('SELECT provider_account_id FROM accounts WHERE id = $1', [
      first.body.account_id,
    ])) as Array<{
      provider_account_id: string;
    }>;
    expect(stored[0].provider_account_id).not.toContain('123456789');
    const transactions = await request(t.url).get('/api/v1/transactions?limit=3').set(user.auth).expect(200);
    expect(
      transactions.body.items.map((i: { provider_transaction_id: string; type: string; amount: string }) => [
        i.provider_transaction_id,
        i.type,
        i.amount,
      ]),
    ).toEqual([
      ['MVB20250405007', 'transfer', '-300.0000'],
      ['MVB20250402006', 'withdrawal', '-60.0000'],
      ['MVB20250331005', 'interest', '0.8300'],
    ]);
    const summary = await request(t.url).get('/api/v1/portfolio/summary').set(user.auth).expect(200);
    expect(summary.body).toMatchObject({ total_value: '4843.6600', cash_value: '4843.6600', holdings_value: '0.0000' });

    const provider = await request(t.url).get(`/api/v1/providers/${first.body.provider_id}`).set(user.auth).expect(200);
    expect(provider.body).toMatchObject({
      provider_key: 'file',
      alias: 'Maple Valley Bank',
      status: 'active',
      accounts_count: 1,
      next_sync_at: null,
    });
    const list = await request(t.url).get('/api/v1/imports').set(user.auth).expect(200);
    expect(list.body).toMatchObject({ total: 3, page: 1 });
    expect(list.body.items[0]).toMatchObject({ id: overlap.body.id, file_name: 'april.ofx' });
    await request(t.url).get(`/api/v1/imports/${first.body.id}`).set(user.auth).expect(200);
  });

  it('imports a credit card OFX 2.x, a brokerage QFX with holdings and CSVs, each under its institution', async () => {
    const user = await createSignedInUser(t);
    const card = await upload(user, 'card.ofx', fixture('harbor-card-2025-04.ofx')).expect(201);
    expect(card.body).toMatchObject({ format: 'ofx', transactions: { created: 4, updated: 0, unchanged: 0 } });
    const brokerage = await upload(user, 'brokerage.qfx', fixture('cedar-ridge-brokerage-2025-04.qfx')).expect(201);
    expect(brokerage.body).toMatchObject({ format: 'qfx', transactions: { created: 4, updated: 0, unchanged: 0 } });
    const positions = await request(t.url)
      .get(`/api/v1/accounts/${brokerage.body.account_id}/positions`)
      .set(user.auth)
      .expect(200);
    expect(
      positions.body.items.map((p: { symbol: string; market_value: string }) => [p.symbol, p.market_value]).sort(),
    ).toEqual([
      ['NRTH', '1147.5000'],
      ['VTOTX', '6283.3900'],
    ]);
    const riverside = await upload(user, 'riverside.csv', fixture('riverside-cu-2025-04.csv'), {
      mapping: JSON.stringify(RIVERSIDE),
    }).expect(201);
    expect(riverside.body).toMatchObject({ format: 'csv', transactions: { created: 5, updated: 0, unchanged: 0 } });
    // The mapping was saved on the account: the same file again, naming the account only, changes nothing.
    const again = await upload(user, 'riverside.csv', fixture('riverside-cu-2025-04.csv'), {
      account_id: riverside.body.account_id,
    }).expect(201);
    expect(again.body.transactions).toEqual({ created: 0, updated: 0, unchanged: 5 });

    const accounts = await request(t.url).get('/api/v1/accounts').set(user.auth).expect(200);
    expect(
      accounts.body.items.map((a: { account_type: string; mask: string | null }) => [a.account_type, a.mask]).sort(),
    ).toEqual([
      ['credit', '4444'],
      ['individual', '1234'],
      ['other', null],
    ]);
    const summary = await request(t.url).get('/api/v1/portfolio/summary').set(user.auth).expect(200);
    // card −859.96 + brokerage (970.10 cash + 7430.89 holdings) + CSV account without a balance (0)
    expect(summary.body).toMatchObject({
      total_value: '7541.0300',
      holdings_value: '7430.8900',
      cash_value: '110.1400',
    });
    const providers = await request(t.url).get('/api/v1/providers').set(user.auth).expect(200);
    expect(providers.body.items.map((p: { alias: string }) => p.alias).sort()).toEqual([
      'Cedar Ridge Investments',
      'Harbor Card Services',
      'Import',
    ]);
    const bought = await request(t.url)
      .get(`/api/v1/transactions?account_id=${brokerage.body.account_id}&type=buy`)
      .set(user.auth)
      .expect(200);
    expect(bought.body.items).toEqual([
      expect.objectContaining({ symbol: 'NRTH', quantity: '10.00000000', fees: '1.0000', amount: '-1826.0000' }),
    ]);
  });

  it('reads a Windows-1252 CSV with accented payees', async () => {
    const user = await createSignedInUser(t);
    const res = await upload(user, 'alpen.csv', fixture('alpenbank-2025-04-cp1252.csv'), {
      format: 'csv',
      mapping: JSON.stringify(ALPENBANK),
    }).expect(201);
    expect(res.body.transactions.created).toBe(5);
    const list = await request(t.url).get('/api/v1/transactions').set(user.auth).expect(200);
    expect(list.body.items.map((i: { description: string }) => i.description)).toEqual(
      expect.arrayContaining(['Café Lumière', 'Bäckerei Müller', 'Société Générale Crédit', 'Señor Peña Librería']),
    );
  });

  it('answers a truncated file with 400 IMPORT.MALFORMED naming the line, and writes nothing', async () => {
    const user = await createSignedInUser(t);
    const whole = fixture('maple-valley-checking-2025-03.ofx').toString('latin1');
    const cut = whole.slice(0, whole.indexOf('MVB20250331005'));
    const res = await upload(user, 'cut.ofx', Buffer.from(cut, 'latin1')).expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({
      code: 'IMPORT.MALFORMED',
      errors: [{ line: cut.trimEnd().split('\n').length, message: expect.stringContaining('truncated') }],
    });
    for (const table of ['providers', 'accounts', 'transactions', 'imports'])
      expect(await count(table, user.user.id)).toBe(0);
  });

  it('reports bad rows line by line and imports the rest', async () => {
    const user = await createSignedInUser(t);
    const csv =
      'Date,Amount,Memo\n2025-04-01,10.00,ok\n2025-04-31,5.00,no such day\n2025-04-02,12,50,extra column shifts\n';
    const res = await upload(user, 'rows.csv', Buffer.from(csv), {
      mapping: JSON.stringify({ date: 'Date', amount: 'Amount', description: 'Memo' }),
    }).expect(201);
    expect(res.body).toMatchObject({
      status: 'completed_with_errors',
      transactions: { created: 2, updated: 0, unchanged: 0 },
      errors: [{ line: 3, message: expect.stringContaining('not a date') }],
    });
  });

  it("refuses another user's account_id (404), a missing mapping (400) and a file over IMPORT_MAX_BYTES (413)", async () => {
    const owner = await createSignedInUser(t);
    const other = await createSignedInUser(t);
    const mine = await upload(owner, 'march.ofx', fixture('maple-valley-checking-2025-03.ofx')).expect(201);
    const foreign = await upload(other, 'march.ofx', fixture('maple-valley-checking-2025-03.ofx'), {
      account_id: mine.body.account_id,
    }).expect(404);
    expect(foreign.body.code).toBe('ACCOUNT.NOT_FOUND');
    await upload(other, 'x.ofx', fixture('maple-valley-checking-2025-03.ofx'), { account_id: randomUUID() }).expect(
      404,
    );
    const mismatch = await upload(owner, 'card.ofx', fixture('harbor-card-2025-04.ofx'), {
      account_id: mine.body.account_id,
    }).expect(409);
    expect(mismatch.body.code).toBe('IMPORT.ACCOUNT_MISMATCH');
    const unmapped = await upload(other, 'r.csv', fixture('riverside-cu-2025-04.csv')).expect(400);
    expect(unmapped.body).toMatchObject({
      code: 'VALIDATION.FAILED',
      errors: [expect.objectContaining({ field: 'mapping' })],
    });
    const big = await upload(other, 'big.csv', Buffer.alloc(MAX + 1, 'a')).expect(413);
    expect(big.headers['content-type']).toMatch(PROBLEM);
    expect(big.body.code).toBe('REQUEST.TOO_LARGE');
    expect(await count('imports', other.user.id)).toBe(0);
  });

  it('refuses prototype-named, NUL-carrying and unknown form fields, and writes nothing', async () => {
    const user = await createSignedInUser(t);
    const ofx = fixture('maple-valley-checking-2025-03.ofx');
    // JSON.parse makes `__proto__` an own key, as a form field of that name is.
    for (const json of ['{"__proto__":"x"}', '{"constructor":"x"}', '{"format":"ofx\\u0000"}', '{"colour":"blue"}']) {
      const res = await upload(user, 'march.ofx', ofx, JSON.parse(json) as Record<string, string>);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION.FAILED');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: expect.any(String) })]);
    }
    expect(await count('imports', user.user.id)).toBe(0);
    expect(await count('transactions', user.user.id)).toBe(0);
  });

  it('takes multipart only here: JSON is 415 on imports, and a form is still 415 elsewhere', async () => {
    const user = await createSignedInUser(t);
    const json = await request(t.url).post('/api/v1/imports').set(user.auth).send({ file: 'x' }).expect(415);
    expect(json.body.code).toBe('REQUEST.UNSUPPORTED_MEDIA_TYPE');
    const elsewhere = await request(t.url)
      .post('/api/v1/providers')
      .set(user.auth)
      .attach('file', Buffer.from('x'), 'x.csv')
      .expect(415);
    expect(elsewhere.body.code).toBe('REQUEST.UNSUPPORTED_MEDIA_TYPE');
  });

  it('file providers are created by imports only, and never synced', async () => {
    const user = await createSignedInUser(t);
    const refused = await request(t.url)
      .post('/api/v1/providers')
      .set(user.auth)
      .send({ provider_key: 'file', alias: 'Mine' })
      .expect(400);
    expect(refused.body.code).toBe('PROVIDER.IMPORT_ONLY');
    const imported = await upload(user, 'march.ofx', fixture('maple-valley-checking-2025-03.ofx')).expect(201);
    const sync = await request(t.url)
      .post(`/api/v1/providers/${imported.body.provider_id}/syncs`)
      .set(user.auth)
      .expect(409);
    expect(sync.body.code).toBe('PROVIDER.NOT_SYNCABLE');
    // The scheduler's scan and the refresh sweep pass it by: it has nothing to fetch and no tokens.
    const queued = await t.app.get(SyncsRepository).queueDue(10_000);
    const picked = (await t.dataSource.query(
      'SELECT count(*)::int AS n FROM syncs s JOIN provider_connections c ON c.id = s.connection_id WHERE c.provider_id = $1',
      [imported.body.provider_id],
    )) as Array<{ n: number }>;
    expect(picked[0].n).toBe(0);
    await t.dataSource.query('DELETE FROM syncs WHERE id = ANY($1::uuid[])', [queued]);
    const expiring: string[] = [];
    for await (const batch of t.app
      .get(ProviderConnectionsRepository)
      .expiringTokenBatches(new Date(Date.now() + 1e12), 1000)) {
      expiring.push(...batch.map((row) => row.connectionId));
    }
    const [{ id: connectionId }] = (await t.dataSource.query(
      'SELECT id FROM provider_connections WHERE provider_id = $1',
      [imported.body.provider_id],
    )) as Array<{ id: string }>;
    expect(expiring).not.toContain(connectionId);
    const types = await request(t.url).get('/api/v1/provider-types/file').expect(200);
    expect(types.body).toMatchObject({ key: 'file', auth_type: 'file', provider_type: 'import', is_configured: true });
  });
});
