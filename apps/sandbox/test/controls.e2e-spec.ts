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
    ]) {
      const res = await post(`${t.sandbox.url}/__sandbox/settings`, bad);
      expect([JSON.stringify(bad), res.status]).toEqual([JSON.stringify(bad), 400]);
    }
    await t.controls.reset();
    expect(await getJson(`${t.sandbox.url}/__sandbox/settings`)).toEqual(initial);
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
