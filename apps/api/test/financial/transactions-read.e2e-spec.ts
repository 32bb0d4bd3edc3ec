import { randomBytes, randomUUID } from 'node:crypto';

import request from 'supertest';

import {
  createSignedInUser,
  createTestApp,
  FinancialApi,
  ProvidersApi,
  type SignedInUser,
  type TestApp,
  type TransactionBody,
  type TransactionPageBody,
} from '@dashtam/testing';

import { createOwner, insertAccount, insertTransactions, orderedUuid, type Owner } from '../support/financial-fixtures';

interface Seeded {
  id: string;
  date: string;
}

/** The list's order: date descending, then id descending (UUIDs order like their lower-case hex). */
const newestFirst = <T extends Seeded>(rows: T[]): T[] =>
  [...rows].sort((a, b) => (a.date !== b.date ? (a.date < b.date ? 1 : -1) : a.id < b.id ? 1 : -1));

const idsOf = (rows: Array<{ id: string }>): string[] => rows.map((row) => row.id);

/** `count` dates going back one day at a time from `start` (YYYY-MM-DD). */
function daysBefore(start: string, count: number): string[] {
  const first = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(first - i * 86_400_000).toISOString().slice(0, 10));
}

/** A user with one provider and one account holding `count` transactions spread over dates (several per date). */
async function userWithTransactions(
  t: TestApp,
  count: number,
  perDate = 3,
): Promise<{ user: SignedInUser; api: FinancialApi; owner: Owner; accountId: string; rows: Seeded[] }> {
  const user = await createSignedInUser(t);
  const owner = await createOwner(t, new ProvidersApi(t.url, user.auth), user.user.id, 'Broker');
  const accountId = await insertAccount(t, owner);
  const dates = daysBefore('2026-02-28', Math.ceil(count / perDate));
  const fields = Array.from({ length: count }, (_, i) => ({ date: dates[Math.floor(i / perDate)], amount: `${i}.25` }));
  const ids = await insertTransactions(t, owner, accountId, fields);
  return {
    user,
    api: new FinancialApi(t.url, user.auth),
    owner,
    accountId,
    rows: ids.map((id, i) => ({ id, date: fields[i].date })),
  };
}

/** GET /transactions (filters, keyset cursor, limits) and GET /transactions/{id} on seeded rows. */
describe('financial data: transactions (read API)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('GET /transactions/{id}', () => {
    let user: SignedInUser;
    let api: FinancialApi;
    let accountId: string;
    let owner: Owner;

    beforeAll(async () => {
      user = await createSignedInUser(t);
      api = new FinancialApi(t.url, user.auth);
      owner = await createOwner(t, new ProvidersApi(t.url, user.auth), user.user.id, 'Broker');
      accountId = await insertAccount(t, owner);
    });

    it('answers every field, decimals at their stored scale and the dates as calendar dates', async () => {
      const [id] = await insertTransactions(t, owner, accountId, [
        {
          provider_transaction_id: '81234567890',
          date: '2026-03-13',
          settlement_date: '2026-03-16',
          description: 'Bought 10 AAPL @ 152.345',
          type: 'buy',
          raw_type: 'TRADE',
          status: 'posted',
          amount: '-1523.45',
          currency: 'USD',
          symbol: 'AAPL',
          quantity: '10',
          price: '152.345',
          fees: '0.65',
        },
      ]);
      expect((await api.transaction(id).expect(200)).body).toEqual({
        id,
        account_id: accountId,
        provider_transaction_id: '81234567890',
        date: '2026-03-13',
        settlement_date: '2026-03-16',
        description: 'Bought 10 AAPL @ 152.345',
        type: 'buy',
        raw_type: 'TRADE',
        status: 'posted',
        amount: '-1523.4500',
        currency: 'USD',
        symbol: 'AAPL',
        quantity: '10.00000000',
        price: '152.34500000',
        fees: '0.6500',
      } satisfies TransactionBody);
    });

    it('keeps every absent value as null, never omitted', async () => {
      const [id] = await insertTransactions(t, owner, accountId, [
        { provider_transaction_id: 'pending-1', date: '2026-01-01', status: 'pending', raw_type: 'SOMETHING_NEW' },
      ]);
      expect((await api.transaction(id).expect(200)).body).toEqual({
        id,
        account_id: accountId,
        provider_transaction_id: 'pending-1',
        date: '2026-01-01',
        settlement_date: null,
        description: null,
        type: 'other',
        raw_type: 'SOMETHING_NEW',
        status: 'pending',
        amount: '0.0000',
        currency: 'USD',
        symbol: null,
        quantity: null,
        price: null,
        fees: '0.0000',
      } satisfies TransactionBody);
    });

    it("answers 404 for an unknown id and another user's, identically, and 400 for a non-UUID", async () => {
      const [id] = await insertTransactions(t, owner, accountId, [{}]);
      const missing = await api.transaction(randomUUID()).expect(404);
      expect(missing.body).toMatchObject({ code: 'TRANSACTION.NOT_FOUND', status: 404 });
      const intruder = new FinancialApi(t.url, (await createSignedInUser(t)).auth);
      const foreign = await intruder.transaction(id).expect(404);
      expect({ ...foreign.body, request_id: null }).toEqual({ ...missing.body, request_id: null });
      // The list does not show it either, even asked for that account.
      expect((await intruder.transactions({ account_id: accountId }).expect(200)).body).toEqual({
        items: [],
        next_cursor: null,
      });
      expect((await api.transaction('42').expect(400)).body).toMatchObject({
        code: 'VALIDATION.FAILED',
        errors: [{ field: 'id', code: 'isUuid' }],
      });
    });
  });

  describe('GET /transactions: order, limit and next_cursor', () => {
    it('answers {items, next_cursor} newest first (date, then id, descending), 100 by default', async () => {
      const seeded = await userWithTransactions(t, 130);
      const first = await seeded.api.transactions().expect(200);
      expect(Object.keys(first.body as object).sort()).toEqual(['items', 'next_cursor']);
      const page = first.body as TransactionPageBody;
      const expected = newestFirst(seeded.rows);
      expect(idsOf(page.items)).toEqual(idsOf(expected.slice(0, 100)));
      expect(page.next_cursor).toEqual(expect.any(String));
      const second = (await seeded.api.transactions({ cursor: page.next_cursor! }).expect(200))
        .body as TransactionPageBody;
      expect(idsOf(second.items)).toEqual(idsOf(expected.slice(100)));
      expect(second.next_cursor).toBeNull();
    });

    it('gives no next_cursor when the last page is exactly full, and none for an empty list', async () => {
      const seeded = await userWithTransactions(t, 10);
      expect((await seeded.api.transactions({ limit: 10 }).expect(200)).body.next_cursor).toBeNull();
      const nine = (await seeded.api.transactions({ limit: 9 }).expect(200)).body as TransactionPageBody;
      expect(nine.next_cursor).not.toBeNull();
      const rest = (await seeded.api.transactions({ limit: 9, cursor: nine.next_cursor! }).expect(200))
        .body as TransactionPageBody;
      expect(rest).toEqual({
        items: [expect.objectContaining({ id: newestFirst(seeded.rows)[9].id })],
        next_cursor: null,
      });
      const empty = new FinancialApi(t.url, (await createSignedInUser(t)).auth);
      expect((await empty.transactions().expect(200)).body).toEqual({ items: [], next_cursor: null });
    });

    it('accepts limit 1 and 500, and a different limit on the next page', async () => {
      const seeded = await userWithTransactions(t, 502, 7);
      const expected = idsOf(newestFirst(seeded.rows));
      const one = (await seeded.api.transactions({ limit: 1 }).expect(200)).body as TransactionPageBody;
      expect(idsOf(one.items)).toEqual(expected.slice(0, 1));
      const big = (await seeded.api.transactions({ limit: 500, cursor: one.next_cursor! }).expect(200))
        .body as TransactionPageBody;
      expect(idsOf(big.items)).toEqual(expected.slice(1, 501));
      const last = (await seeded.api.transactions({ cursor: big.next_cursor! }).expect(200))
        .body as TransactionPageBody;
      expect(idsOf(last.items)).toEqual(expected.slice(501));
      expect(last.next_cursor).toBeNull();
    });

    it.each(['0', '501', '-1', '1.5', '1e2', '0x10', ' 5', '', 'abc', 'NaN', 'Infinity', '99999999999999999999'])(
      'refuses limit=%j with 400',
      async (limit) => {
        const api = new FinancialApi(t.url, (await createSignedInUser(t)).auth);
        const res = await api.transactions({ limit }).expect(400);
        expect(res.body.code).toBe('VALIDATION.FAILED');
        expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'limit' })]));
      },
    );
  });

  describe('GET /transactions: walking every page while a sync inserts', () => {
    it('returns each transaction that existed at the start exactly once, in order, whatever is inserted meanwhile', async () => {
      const seeded = await userWithTransactions(t, 150, 4);
      const inserted = { shown: [] as string[], hidden: [] as string[] };
      const insert = async (row: Record<string, unknown>, shown: boolean): Promise<void> => {
        const [id] = await insertTransactions(t, seeded.owner, seeded.accountId, [row]);
        (shown ? inserted.shown : inserted.hidden).push(id);
      };
      const oldest = seeded.rows.reduce((min, row) => (row.date < min ? row.date : min), '9999-12-31');
      let n = 0;

      const walk = await seeded.api.allTransactions({ limit: 7 }, async (page) => {
        const last = page.items[page.items.length - 1];
        n += 1;
        // Behind the cursor in the order (newer, or the same date with a higher id): a later page never shows them.
        await insert({ date: '2026-12-31' }, false);
        await insert({ date: last.date, id: orderedUuid('high', n) }, false);
        // Ahead of the cursor (the same date with a lower id, or older than anything so far): the walk reaches
        // them, once. The low ids decrease and the older dates recede, so each lands ahead of every cursor.
        await insert({ date: last.date, id: orderedUuid('low', n) }, true);
        await insert({ date: daysBefore(oldest, n + 1)[n] }, true);
      });

      const returned = idsOf(walk.items);
      expect(walk.pages).toBeGreaterThan(20);
      expect(new Set(returned).size).toBe(returned.length);
      expect(returned).toEqual(expect.arrayContaining(idsOf(seeded.rows)));
      expect(returned).toEqual(expect.arrayContaining(inserted.shown));
      expect(returned.filter((id) => inserted.hidden.includes(id))).toEqual([]);
      expect(returned).toHaveLength(seeded.rows.length + inserted.shown.length);
      expect(walk.items).toEqual(newestFirst(walk.items));
      // A fresh walk sees everything, the rows inserted behind the old cursors included.
      const again = await seeded.api.allTransactions({ limit: 500 });
      expect(again.items).toHaveLength(seeded.rows.length + inserted.shown.length + inserted.hidden.length);
    });
  });

  describe('GET /transactions: filters', () => {
    let api: FinancialApi;
    let user: SignedInUser;
    let rows: Record<string, Seeded & { account: string }>;
    let p1: Owner;
    let p2: Owner;
    let a1: string;
    let a2: string;
    let b1: string;

    beforeAll(async () => {
      user = await createSignedInUser(t);
      api = new FinancialApi(t.url, user.auth);
      const providers = new ProvidersApi(t.url, user.auth);
      p1 = await createOwner(t, providers, user.user.id, 'First');
      p2 = await createOwner(t, providers, user.user.id, 'Second');
      a1 = await insertAccount(t, p1, { name: 'A1' });
      a2 = await insertAccount(t, p1, { name: 'A2' });
      b1 = await insertAccount(t, p2, { name: 'B1' });
      const spec: Record<string, [string, Record<string, unknown>]> = {
        t1: [a1, { date: '2026-01-10', type: 'buy', symbol: 'AAPL' }],
        t2: [a1, { date: '2026-01-12', type: 'sell', symbol: 'AAPL' }],
        t3: [a1, { date: '2026-02-01', type: 'dividend', symbol: 'MSFT' }],
        t4: [a1, { date: '2026-02-15', type: 'deposit' }],
        t5: [a2, { date: '2026-01-20', type: 'buy', symbol: 'MSFT' }],
        t6: [a2, { date: '2026-03-01', type: 'fee' }],
        t7: [b1, { date: '2026-01-10', type: 'withdrawal' }],
        t8: [b1, { date: '2026-02-01', type: 'buy', symbol: 'AAPL' }],
      };
      rows = {};
      for (const [name, [account, fields]] of Object.entries(spec)) {
        const [id] = await insertTransactions(t, { userId: user.user.id }, account, [fields]);
        rows[name] = { id, date: fields.date as string, account };
      }
    });

    const names = async (query: Record<string, string>): Promise<string[]> => {
      const page = (await api.transactions(query).expect(200)).body as TransactionPageBody;
      const byId = Object.fromEntries(Object.entries(rows).map(([name, row]) => [row.id, name]));
      return page.items.map((item) => byId[item.id]);
    };
    const ordered = (...wanted: string[]): string[] =>
      newestFirst(wanted.map((name) => ({ ...rows[name], name }))).map((row) => row.name);

    it('filters by account, provider, date range, type and symbol, combined with AND', async () => {
      expect(await names({})).toEqual(ordered('t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8'));
      expect(await names({ account_id: a1 })).toEqual(ordered('t1', 't2', 't3', 't4'));
      expect(await names({ account_id: b1.toUpperCase() })).toEqual(ordered('t7', 't8'));
      expect(await names({ provider_id: p1.providerId })).toEqual(ordered('t1', 't2', 't3', 't4', 't5', 't6'));
      expect(await names({ provider_id: p2.providerId })).toEqual(ordered('t7', 't8'));
      expect(await names({ from: '2026-02-01' })).toEqual(ordered('t3', 't4', 't6', 't8'));
      expect(await names({ to: '2026-01-12' })).toEqual(ordered('t1', 't2', 't7'));
      expect(await names({ from: '2026-02-01', to: '2026-02-01' })).toEqual(ordered('t3', 't8'));
      expect(await names({ type: 'buy' })).toEqual(ordered('t1', 't5', 't8'));
      expect(await names({ symbol: 'aapl' })).toEqual(ordered('t1', 't2', 't8'));
      expect(await names({ provider_id: p1.providerId, type: 'buy', symbol: 'AAPL' })).toEqual(['t1']);
      expect(await names({ account_id: a1, provider_id: p2.providerId })).toEqual([]);
      expect(await names({ account_id: randomUUID() })).toEqual([]);
      expect(await names({ provider_id: randomUUID() })).toEqual([]);
    });

    it('pages through a filtered list with the filtered cursor', async () => {
      const walk = await api.allTransactions({ provider_id: p1.providerId, limit: 2 });
      expect(walk.pages).toBe(3);
      expect(idsOf(walk.items)).toEqual(ordered('t1', 't2', 't3', 't4', 't5', 't6').map((name) => rows[name].id));
    });

    describe('cursors Dashtam did not issue for this query are 400', () => {
      const refused = async (query: Record<string, string>): Promise<void> => {
        const res = await api.transactions(query).expect(400);
        expect(res.body).toMatchObject({
          code: 'VALIDATION.FAILED',
          errors: [{ field: 'cursor', code: 'cursor_invalid', message: expect.any(String) }],
        });
      };
      let cursor: string;

      beforeAll(async () => {
        cursor = ((await api.transactions({ type: 'buy', limit: 1 }).expect(200)).body as TransactionPageBody)
          .next_cursor!;
      });

      it('accepts it with the same filters (symbol in any letter case, any limit)', async () => {
        await api.transactions({ type: 'buy', cursor }).expect(200);
        const symbolCursor = ((await api.transactions({ symbol: 'aapl', limit: 1 })).body as TransactionPageBody)
          .next_cursor!;
        const next = (await api.transactions({ symbol: 'AAPL', cursor: symbolCursor, limit: 5 }).expect(200))
          .body as TransactionPageBody;
        expect(next.items).toHaveLength(2);
      });

      it('refuses a forged cursor', async () => {
        await refused({ type: 'buy', cursor: randomBytes(43).toString('base64url') });
        await refused({ type: 'buy', cursor: Buffer.from(`2026-01-10|${rows.t1.id}`).toString('base64url') });
      });

      it('refuses a tampered cursor (any one character changed)', async () => {
        for (const index of [0, 5, 20, 40, cursor.length - 1]) {
          const replacement = cursor[index] === 'A' ? 'B' : 'A';
          await refused({ type: 'buy', cursor: cursor.slice(0, index) + replacement + cursor.slice(index + 1) });
        }
      });

      it('refuses it with other filters, or with none', async () => {
        await refused({ cursor });
        await refused({ type: 'sell', cursor });
        await refused({ type: 'buy', symbol: 'AAPL', cursor });
        await refused({ type: 'buy', from: '2020-01-01', cursor });
        await refused({ type: 'buy', account_id: a1, cursor });
      });

      it("refuses another user's cursor, even with the same filters", async () => {
        const other = new FinancialApi(t.url, (await createSignedInUser(t)).auth);
        const res = await other.transactions({ type: 'buy', cursor }).expect(400);
        expect(res.body.errors).toEqual([expect.objectContaining({ field: 'cursor', code: 'cursor_invalid' })]);
      });
    });
  });

  describe('GET /transactions: hostile query values are 400, never 500', () => {
    let user: SignedInUser;

    beforeAll(async () => {
      user = await createSignedInUser(t);
    });

    const uuid = '5f0b7a84-8f65-4a8e-9d8f-0d4a6b1c2e3f';
    const BAD: Record<string, string[]> = {
      account_id: ['', 'x', '1', `${uuid}0`, `{${uuid}}`, 'null', "'; DROP TABLE transactions; --", '%00'],
      provider_id: ['', uuid.replace('5f', 'zz'), 'undefined', uuid.slice(1)],
      from: ['', '2026-13-01', '2026-02-30', '26-01-01', '2026/01/01', 'today', '99999-01-01', '2026-01-01T00:00:00Z'],
      to: ['-2026-01-01', ' 2026-01-01', '2026-1-1', '0000-12-31', '२०२६-०१-०१'],
      type: ['', 'BUY', 'TRADE', 'buy ', 'null', 'cash', '__proto__'],
      symbol: ['', 'x'.repeat(65), 'AAPL\n', 'AAPL\t', 'ÄPL', '\u0000'],
      cursor: ['', 'abc', 'A'.repeat(58), 'x'.repeat(129), 'null', '%2F..%2F'],
      page: ['1'],
      per_page: ['10'],
      offset: ['5'],
      sort: ['date'],
      user_id: [uuid],
    };

    it('refuses each malformed filter, cursor or unknown parameter with 400 problem+json naming it', async () => {
      const failures: string[] = [];
      for (const [field, values] of Object.entries(BAD)) {
        for (const value of values) {
          const res = await request(t.url)
            .get('/api/v1/transactions')
            .set(user.auth)
            .query({ [field]: value });
          const fields = ((res.body.errors ?? []) as Array<{ field: string }>).map((e) => e.field);
          const ok =
            res.status === 400 &&
            /^application\/problem\+json/.test(res.headers['content-type'] ?? '') &&
            res.body.code === 'VALIDATION.FAILED' &&
            fields.includes(field);
          if (!ok) failures.push(`${field}=${JSON.stringify(value)} → ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
      expect(failures).toEqual([]);
    });

    it.each([
      'limit=1&limit=2',
      'type[]=buy',
      'from[a]=1',
      'cursor=%FF%FE',
      'account_id=%00',
      '__proto__[x]=1',
      'from=2026-02-02&to=2026-02-01',
    ])('refuses ?%s with 400 problem+json', async (query) => {
      const res = await request(t.url).get(`/api/v1/transactions?${query}`).set(user.auth);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    // The query parser keeps an undecodable %-sequence as its literal text, a printable (valid) symbol.
    it('reads an undecodable %-sequence literally: an unknown symbol, an empty page', async () => {
      const res = await request(t.url).get('/api/v1/transactions?symbol=%ED%A0%80').set(user.auth).expect(200);
      expect(res.body).toEqual({ items: [], next_cursor: null });
    });

    it('refuses from after to, naming from', async () => {
      const res = await request(t.url)
        .get('/api/v1/transactions')
        .set(user.auth)
        .query({ from: '2026-02-02', to: '2026-02-01' })
        .expect(400);
      expect(res.body.errors).toEqual([{ field: 'from', message: expect.any(String), code: 'from_after_to' }]);
    });
  });

  it('OpenAPI documents the transaction routes, behind the bearer token', async () => {
    const doc = (await request(t.url).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
    };
    for (const [path, statuses] of [
      ['/api/v1/transactions', ['200', '400', '401']],
      ['/api/v1/transactions/{id}', ['200', '400', '401', '404']],
    ] as const) {
      const operation = doc.paths[path]?.get;
      expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining([...statuses]));
      expect(operation.security).toEqual([{ bearer: [] }]);
    }
  });
});
