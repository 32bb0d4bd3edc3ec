import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ALPACA_ACTIVITIES_PAGE_SIZE, AlpacaClient, ProviderError } from '@dashtam/providers';
import { type AlpacaKeyPair, failureOf, type SandboxUnderTest, startSandbox } from '@dashtam/testing';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DAY_MS = 86_400_000;

describe('AlpacaClient against the Sandbox (real HTTP on loopback)', () => {
  let t: SandboxUnderTest;
  let client: AlpacaClient;
  let keys: AlpacaKeyPair;
  let secret: string;

  const raw = async (path: string): Promise<Json> => {
    const res = await fetch(`${t.sandbox.url}${path}`, {
      headers: { 'APCA-API-KEY-ID': keys.api_key_id, 'APCA-API-SECRET-KEY': keys.api_secret },
    });
    return (await res.json()) as Json;
  };
  const link = (pair: AlpacaKeyPair = keys) =>
    client.link({
      kind: 'api_key',
      apiKeyId: pair.api_key_id,
      apiSecret: pair.api_secret,
      environment: pair.environment,
    });

  beforeAll(async () => {
    t = await startSandbox();
    client = new AlpacaClient({ baseUrl: t.sandbox.url, timeoutMs: 1500 });
  });
  afterAll(() => t.sandbox.close());
  beforeEach(async () => {
    await t.controls.reset();
    keys = await t.controls.alpacaKeys();
    ({ secret } = await link());
  });

  it('links issued keys: one call to GET /v2/account, and the secret to store holds the keys and environment', async () => {
    await t.controls.reset();
    keys = await t.controls.alpacaKeys('live');
    const linked = await link();
    expect(JSON.parse(linked.secret)).toEqual({
      api_key_id: keys.api_key_id,
      api_secret: keys.api_secret,
      environment: 'live',
    });
    expect(await t.controls.counters()).toMatchObject({ alpaca_account: 1, alpaca_positions: 0, alpaca_activities: 0 });
  });

  it.each([
    ['an unknown key id', (k: AlpacaKeyPair) => ({ ...k, api_key_id: 'PKNOTISSUED000000000' })],
    ['the wrong secret', (k: AlpacaKeyPair) => ({ ...k, api_secret: `${k.api_secret}x` })],
  ])('refuses %s as refused credentials, naming nothing sensitive', async (_name, tamper) => {
    const bad = tamper(keys);
    const error = await failureOf<ProviderError>(link(bad));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      code: 'PROVIDER.CREDENTIALS_REFUSED',
      operation: 'link',
      classification: 'permanent',
      status: 401,
    });
    const everything = `${error.message} ${error.stack} ${JSON.stringify(error)}`;
    for (const value of [bad.api_key_id, bad.api_secret, keys.api_secret]) expect(everything).not.toContain(value);
  });

  it('maps the account and its positions through real HTTP', async () => {
    const before = Date.now();
    const [account, ...others] = await client.accounts(secret);
    expect(others).toEqual([]);
    const wire = await raw('/v2/account');
    const positions = (await raw('/v2/positions')) as unknown as Json[];
    const digits = String(wire.account_number).replace(/\D/g, '').slice(-4);
    expect(account).toMatchObject({
      accountId: wire.id,
      mask: digits === '' ? null : digits,
      accountType: wire.multiplier === '1' ? 'cash' : 'margin',
      currency: 'USD',
      currentBalance: wire.equity,
      availableBalance: wire.buying_power,
      cashBalance: wire.cash,
      metadata: expect.objectContaining({ environment: 'paper', multiplier: wire.multiplier, alpaca_status: 'ACTIVE' }),
    });
    expect(account.asOf.getTime()).toBeGreaterThanOrEqual(before);
    expect(JSON.stringify(account)).not.toContain(wire.account_number);
    expect(account.positions.map((p) => [p.providerPositionId, p.symbol, p.quantity, p.marketValue])).toEqual(
      positions.map((p) => [p.asset_id, p.symbol, p.qty, p.market_value]),
    );
    expect(new Set(account.positions.map((p) => p.assetType))).toEqual(new Set(['equity', 'crypto', 'option']));
    expect(await client.accountNumbers(secret)).toEqual([{ accountNumber: wire.account_number, accountId: wire.id }]);
  });

  it('collects every activity of a two-year window across pages (more than 100), oldest first', async () => {
    const now = Date.now();
    const countersBefore = await t.controls.counters();
    const transactions = await client.transactions(secret, {
      accountId: 'ignored',
      from: new Date(now - 731 * DAY_MS),
      to: new Date(now + DAY_MS),
    });
    const calls = (await t.controls.counters()).alpaca_activities - countersBefore.alpaca_activities;
    expect(transactions.length).toBeGreaterThan(2 * ALPACA_ACTIVITIES_PAGE_SIZE);
    expect(calls).toBe(Math.floor(transactions.length / ALPACA_ACTIVITIES_PAGE_SIZE) + 1);
    // The same set the wire holds, read here independently, newest first.
    const wireIds: string[] = [];
    let token = '';
    for (;;) {
      const page = (await raw(
        `/v2/account/activities?page_size=100${token && `&page_token=${token}`}`,
      )) as unknown as Json[];
      wireIds.push(...page.map((a) => a.id as string));
      if (page.length < 100) break;
      token = page[page.length - 1].id as string;
    }
    expect(transactions.map((tx) => tx.providerTransactionId).sort()).toEqual(wireIds.sort());
    const dates = transactions.map((tx) => tx.date);
    expect(dates).toEqual([...dates].sort());
    const types = new Set(transactions.map((tx) => tx.type));
    for (const type of ['buy', 'dividend', 'interest', 'fee', 'deposit', 'withdrawal']) {
      expect([type, types.has(type as never)]).toEqual([type, true]);
    }
    const buy = transactions.find((tx) => tx.type === 'buy' && tx.rawType === 'FILL')!;
    expect(buy.amount.startsWith('-')).toBe(true);
    expect(buy.symbol).not.toBeNull();
  });

  it('a narrow window asks for just that window', async () => {
    const all = await client.transactions(secret, {
      accountId: 'x',
      from: new Date(Date.now() - 731 * DAY_MS),
      to: new Date(),
    });
    const recent = await client.transactions(secret, {
      accountId: 'x',
      from: new Date(Date.now() - 30 * DAY_MS),
      to: new Date(),
    });
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.length).toBeLessThan(all.length);
    const cutoff = new Date(Date.now() - 31 * DAY_MS).toISOString().slice(0, 10);
    expect(recent.every((tx) => tx.date >= cutoff)).toBe(true);
  });

  it.each([
    ['429', 'alpaca_activities', { status: 429, retryAfterMs: 2000 }],
    ['5xx', 'alpaca_activities', { status: 500 }],
    ['5xx', 'alpaca_account', { status: 500 }],
    ['timeout', 'alpaca_positions', { kind: 'timeout' }],
  ] as const)('a %s on %s is a transient ProviderError', async (mode, endpoint, expected) => {
    await t.controls.fault({ endpoint, mode, ms: mode === '429' ? 2000 : undefined });
    const call =
      endpoint === 'alpaca_activities'
        ? client.transactions(secret, { accountId: 'x', from: new Date(Date.now() - DAY_MS * 400), to: new Date() })
        : client.accounts(secret);
    const error = await failureOf<ProviderError>(call);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ classification: 'transient', code: 'PROVIDER.DATA_UNAVAILABLE', ...expected });
    expect(error.message).not.toContain(keys.api_secret);
  });

  it('link during an outage is transient, never "invalid credentials"', async () => {
    await t.controls.fault({ endpoint: 'alpaca_account', mode: '5xx' });
    const error = await failureOf<ProviderError>(link());
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ classification: 'transient', status: 500, code: 'PROVIDER.LINK_UNAVAILABLE' });
    await t.controls.fault({ endpoint: 'alpaca_account', mode: '429' });
    expect(await failureOf(link())).toMatchObject({ classification: 'transient', status: 429 });
  });

  it('keys revoked after linking make data calls a permanent refusal', async () => {
    await t.controls.reset();
    const error = await failureOf<ProviderError>(client.accounts(secret));
    expect(error).toMatchObject({ classification: 'permanent', status: 401, code: 'PROVIDER.DATA_REFUSED' });
  });
});

describe('AlpacaClient against a misbehaving server', () => {
  let server: Server;
  let url: string;
  let handler: (path: string) => { status: number; body: unknown };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const { status, body } = handler(req.url ?? '');
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const secret = JSON.stringify({ api_key_id: 'PKTEST', api_secret: 'secret', environment: 'paper' });
  const query = { accountId: 'x', from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-12-31T00:00:00Z') };

  it('a full page whose last id repeats the page token ends in a transient error, not a loop', async () => {
    const page = Array.from({ length: 100 }, () => ({ id: 'same', activity_type: 'DIV', date: '2025-02-01' }));
    handler = () => ({ status: 200, body: page });
    const error = await failureOf<ProviderError>(
      new AlpacaClient({ baseUrl: url, timeoutMs: 1000 }).transactions(secret, query),
    );
    expect(error).toMatchObject({ classification: 'transient', kind: 'invalid_response' });
  });

  it('a 200 without an account at link is transient; a 403 is refused credentials', async () => {
    const client = new AlpacaClient({ baseUrl: url, timeoutMs: 1000 });
    const input = { kind: 'api_key' as const, apiKeyId: 'PKTEST', apiSecret: 'secret', environment: 'paper' as const };
    handler = () => ({ status: 200, body: { hello: 'portal' } });
    expect(await failureOf(client.link(input))).toMatchObject({
      classification: 'transient',
      kind: 'invalid_response',
    });
    handler = () => ({ status: 403, body: { code: 40310000, message: 'forbidden' } });
    expect(await failureOf(client.link(input))).toMatchObject({
      code: 'PROVIDER.CREDENTIALS_REFUSED',
      classification: 'permanent',
      status: 403,
    });
  });
});
