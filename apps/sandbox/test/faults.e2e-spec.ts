import { type SandboxUnderTest, startSandbox, type Tokens } from '@dashtam/testing';

describe('Sandbox fault injection and call counters', () => {
  let t: SandboxUnderTest;
  let tokens: Tokens;

  beforeAll(async () => {
    t = await startSandbox();
  });
  afterAll(() => t.sandbox.close());
  beforeEach(async () => {
    await t.controls.reset();
    tokens = await t.client.connect();
  });

  const accountNumbers = () => t.client.trader('/trader/v1/accounts/accountNumbers', tokens.access_token);
  const statusOf = async (value: string) => (await t.controls.issuedTokens()).find((i) => i.value === value)?.status;

  it('5xx: the token endpoint answers 500 without touching state; the next call works', async () => {
    await t.controls.fault({ endpoint: 'token', mode: '5xx' });
    const failed = await t.client.refresh(tokens.refresh_token);
    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({ error: 'server_error', error_description: 'Internal server error' });
    expect(await statusOf(tokens.refresh_token)).toBe('active');
    expect((await t.client.refresh(tokens.refresh_token)).status).toBe(200);
    expect(await t.controls.counters()).toEqual(
      expect.objectContaining({ token: 3, token_grants: { authorization_code: 1, refresh_token: 2, other: 0 } }),
    );
  });

  it('count: a fault hits that many calls, then stops', async () => {
    await t.controls.fault({ endpoint: 'accounts', mode: '5xx', count: 2 });
    expect((await accountNumbers()).status).toBe(500);
    expect((await accountNumbers()).status).toBe(500);
    expect((await accountNumbers()).status).toBe(200);
    expect((await t.controls.counters()).accounts).toBe(3);
  });

  it('429: Trader API answers Too Many Requests with Retry-After in seconds', async () => {
    await t.controls.fault({ endpoint: 'accounts', mode: '429', ms: 2500 });
    const limited = await accountNumbers();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.body).toEqual({ message: 'Too many requests', errors: ['Injected 429 fault'] });
    expect((await accountNumbers()).status).toBe(200);
  });

  it('faults strike before authentication, like a gateway', async () => {
    await t.controls.fault({ endpoint: 'accounts', mode: '429' });
    expect((await t.client.trader('/trader/v1/accounts/accountNumbers')).status).toBe(429);
  });

  it('429 on the token endpoint keeps the OAuth JSON shape', async () => {
    await t.controls.fault({ endpoint: 'token', mode: '429' });
    const res = await t.client.refresh(tokens.refresh_token);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body).toEqual({ error: 'too_many_requests', error_description: 'Too many requests' });
  });

  it('latency: the answer is delayed by ms, then normal', async () => {
    await t.controls.fault({ endpoint: 'transactions', mode: 'latency', ms: 400 });
    const hash = ((await accountNumbers()).body as { hashValue: string }[])[0].hashValue;
    const query = new URLSearchParams({
      startDate: new Date(Date.now() - 86_400_000 * 10).toISOString(),
      endDate: new Date().toISOString(),
      types: 'TRADE',
    });
    const started = Date.now();
    const res = await t.client.trader(
      `/trader/v1/accounts/${hash}/transactions?${query.toString()}`,
      tokens.access_token,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(res.status).toBe(200);
  });

  it('timeout: no answer at all; the client gives up and nothing was committed', async () => {
    await t.controls.fault({ endpoint: 'token', mode: 'timeout' });
    await expect(
      fetch(`${t.sandbox.url}/v1/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: t.client.basic() },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }).toString(),
        signal: AbortSignal.timeout(300),
      }),
    ).rejects.toThrow(/aborted due to timeout/);
    expect(await statusOf(tokens.refresh_token)).toBe('active');
    expect((await t.controls.counters()).token_grants.refresh_token).toBe(1);
    expect((await t.client.refresh(tokens.refresh_token)).status).toBe(200);
  });

  it('timeout with ms: the Sandbox drops the held connection after ms', async () => {
    await t.controls.fault({ endpoint: 'accounts', mode: 'timeout', ms: 200 });
    const started = Date.now();
    await expect(accountNumbers()).rejects.toThrow('fetch failed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('invalid_grant on a refresh: the nested invalid_grant, the refresh token itself untouched', async () => {
    await t.controls.fault({ endpoint: 'token', mode: 'invalid_grant' });
    const res = await t.client.refresh(tokens.refresh_token);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_grant',
      error_description: JSON.stringify({ error: 'invalid_grant', error_description: 'Refresh token is invalid' }),
    });
    expect(await statusOf(tokens.refresh_token)).toBe('active');
  });

  it('invalid_grant on a code exchange: the flat invalid_grant', async () => {
    const code = (await t.client.approve()).get('code')!;
    await t.controls.fault({ endpoint: 'token', mode: 'invalid_grant' });
    const res = await t.client.exchange(code);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'Authorization code is invalid' });
    expect((await t.client.exchange(code)).status).toBe(200);
  });

  it('reset_after_commit: the refresh is committed (old token rotated) but the answer never arrives', async () => {
    await t.controls.fault({ endpoint: 'token', mode: 'reset_after_commit' });
    await expect(t.client.refresh(tokens.refresh_token)).rejects.toThrow('fetch failed');

    const issued = await t.controls.issuedTokens();
    const refreshTokens = issued.filter((i) => i.kind === 'refresh_token');
    expect(refreshTokens.map((r) => r.status)).toEqual(['rotated', 'active']);
    // The client only knows the old token: retrying it is reuse, and the whole grant dies.
    const retry = await t.client.refresh(tokens.refresh_token);
    expect(retry.status).toBe(400);
    expect(await statusOf(refreshTokens[1].value)).toBe('revoked');
  });

  it('reset_after_commit on revoke: the revocation happened even though the client saw a reset', async () => {
    await t.controls.fault({ endpoint: 'revoke', mode: 'reset_after_commit' });
    await expect(t.client.revoke({ token: tokens.refresh_token })).rejects.toThrow('fetch failed');
    expect(await statusOf(tokens.refresh_token)).toBe('revoked');
  });

  it('5xx on authorize renders an error page; the next attempt shows the consent page', async () => {
    await t.controls.fault({ endpoint: 'authorize', mode: '5xx' });
    const failed = await t.client.get(t.client.authorizeUrl({ state: 's' }));
    expect(failed.status).toBe(500);
    expect(failed.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(failed.headers.get('location')).toBeNull();
    expect((await t.client.get(t.client.authorizeUrl({ state: 's' }))).status).toBe(200);
  });

  it('faults queue per endpoint, first armed first applied, and reset clears them', async () => {
    await t.controls.fault({ endpoint: 'accounts', mode: '429' });
    await t.controls.fault({ endpoint: 'accounts', mode: '5xx' });
    await t.controls.fault({ endpoint: 'transactions', mode: '5xx', count: 5 });
    const pending = await fetch(`${t.sandbox.url}/__sandbox/faults`).then((r) => r.json());
    expect(pending).toEqual({
      pending: [
        { endpoint: 'accounts', mode: '429', remaining: 1 },
        { endpoint: 'accounts', mode: '5xx', remaining: 1 },
        { endpoint: 'transactions', mode: '5xx', remaining: 5 },
      ],
    });
    expect((await accountNumbers()).status).toBe(429);
    expect((await accountNumbers()).status).toBe(500);
    await t.controls.reset();
    tokens = await t.client.connect();
    expect((await accountNumbers()).status).toBe(200);
  });

  it.each([
    [{ endpoint: 'accounts', mode: 'invalid_grant' }, 'mode invalid_grant applies only to endpoint token'],
    [
      { endpoint: 'nowhere', mode: '5xx' },
      'endpoint must be one of the following values: authorize, token, revoke, accounts, transactions, alpaca_account, alpaca_positions, alpaca_activities, simplefin_claim, simplefin_info, simplefin_accounts',
    ],
    [
      { endpoint: 'token', mode: 'explode' },
      'mode must be one of the following values: 5xx, 429, timeout, invalid_grant, latency, reset_after_commit, expire_token',
    ],
    [{ endpoint: 'token', mode: '5xx', count: 0 }, 'count must not be less than 1'],
    [{ endpoint: 'token', mode: 'latency', ms: 10_000_000 }, 'ms must not be greater than 600000'],
    [{ endpoint: 'token', mode: '5xx', extra: true }, 'property extra should not exist'],
  ])('refuses the fault %j', async (body, message) => {
    const res = await fetch(`${t.sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: string; message: string | string[] };
    expect(json.error).toBe('invalid_request');
    expect([json.message].flat()).toContain(message);
  });
});

describe('Sandbox faults on the Trader API (accounts and transactions)', () => {
  let t: SandboxUnderTest;
  let tokens: Tokens;
  let hash: string;

  beforeAll(async () => {
    t = await startSandbox();
  });
  afterAll(() => t.sandbox.close());
  beforeEach(async () => {
    await t.controls.reset();
    tokens = await t.client.connect();
    hash = (
      (await t.client.trader('/trader/v1/accounts/accountNumbers', tokens.access_token)).body as {
        hashValue: string;
      }[]
    )[1].hashValue;
  });

  const calls = (): Array<['accounts' | 'transactions', string]> => {
    const query = new URLSearchParams({
      startDate: new Date(Date.now() - 86_400_000 * 30).toISOString(),
      endDate: new Date().toISOString(),
      types: 'TRADE,ACH_RECEIPT',
    });
    return [
      ['accounts', '/trader/v1/accounts/accountNumbers'],
      ['accounts', '/trader/v1/accounts?fields=positions'],
      ['accounts', `/trader/v1/accounts/${hash}?fields=positions`],
      ['accounts', '/trader/v1/userPreference'],
      ['transactions', `/trader/v1/accounts/${hash}/transactions?${query.toString()}`],
    ];
  };

  it('5xx: a 500 ServiceError on every data call, then the call works', async () => {
    for (const [endpoint, path] of calls()) {
      await t.controls.fault({ endpoint, mode: '5xx' });
      const failed = await t.client.trader(path, tokens.access_token);
      expect([path, failed.status, failed.body]).toEqual([
        path,
        500,
        { message: 'Internal server error', errors: ['Injected 5xx fault'] },
      ]);
      expect([path, (await t.client.trader(path, tokens.access_token)).status]).toEqual([path, 200]);
    }
  });

  it('429: Too Many Requests with a Retry-After header in whole seconds on every data call', async () => {
    for (const [endpoint, path] of calls()) {
      await t.controls.fault({ endpoint, mode: '429', ms: 1500 });
      const limited = await t.client.trader(path, tokens.access_token);
      expect([path, limited.status, limited.headers.get('retry-after')]).toEqual([path, 429, '2']);
      expect(limited.body).toEqual({ message: 'Too many requests', errors: ['Injected 429 fault'] });
    }
    await t.controls.fault({ endpoint: 'transactions', mode: '429' });
    expect((await t.client.trader(calls()[4][1], tokens.access_token)).headers.get('retry-after')).toBe('1');
  });

  it('timeout: no answer on any data call until the client gives up', async () => {
    for (const [endpoint, path] of calls()) {
      await t.controls.fault({ endpoint, mode: 'timeout' });
      const started = Date.now();
      await expect(
        fetch(`${t.sandbox.url}${path}`, {
          headers: { authorization: `Bearer ${tokens.access_token}` },
          signal: AbortSignal.timeout(250),
        }),
      ).rejects.toThrow(/aborted due to timeout/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    }
  });

  it('latency: every data call answers normally after the delay', async () => {
    for (const [endpoint, path] of calls()) {
      await t.controls.fault({ endpoint, mode: 'latency', ms: 200 });
      const started = Date.now();
      const res = await t.client.trader(path, tokens.access_token);
      expect([path, res.status]).toEqual([path, 200]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    }
  });

  it('expire_token: the access token expires on that call (401), a refreshed one carries on', async () => {
    for (const [endpoint, path] of calls()) {
      await t.controls.fault({ endpoint, mode: 'expire_token' });
      const expired = await t.client.trader(path, tokens.access_token);
      expect([path, expired.status, expired.headers.get('www-authenticate')]).toEqual([
        path,
        401,
        'Bearer error="invalid_token"',
      ]);
      expect(expired.body).toEqual({
        message: 'Client not authorized',
        errors: ['Access token is missing, invalid, expired or revoked'],
      });
      // For good: the same token stays refused, while the grant is untouched.
      expect((await t.client.trader(path, tokens.access_token)).status).toBe(401);
      const issued = await t.controls.issuedTokens();
      expect(issued.find((i) => i.value === tokens.access_token)?.status).toBe('expired');
      const refreshed = await t.client.refresh(tokens.refresh_token);
      expect(refreshed.status).toBe(200);
      tokens = refreshed.body as unknown as Tokens;
      expect((await t.client.trader(path, tokens.access_token)).status).toBe(200);
    }
  });

  it('access_token_call_limit: each access token answers N data calls, then 401 until refreshed', async () => {
    const settings = await t.controls.settings({ access_token_call_limit: 3 });
    expect(settings.access_token_call_limit).toBe(3);
    // The token of beforeEach has spent one call already: start with a fresh grant.
    tokens = await t.client.connect();
    const [, positions] = calls()[1];
    const [, transactions] = calls()[4];
    expect((await t.client.trader(positions, tokens.access_token)).status).toBe(200);
    expect((await t.client.trader(transactions, tokens.access_token)).status).toBe(200);
    expect((await t.client.trader(transactions, tokens.access_token)).status).toBe(200);
    const fourth = await t.client.trader(transactions, tokens.access_token);
    expect(fourth.status).toBe(401);
    expect(fourth.body).toEqual({
      message: 'Client not authorized',
      errors: ['Access token is missing, invalid, expired or revoked'],
    });
    expect((await t.client.trader(positions, tokens.access_token)).status).toBe(401);
    const refreshed = (await t.client.refresh(tokens.refresh_token)).body as unknown as Tokens;
    for (let i = 0; i < 3; i++) expect((await t.client.trader(positions, refreshed.access_token)).status).toBe(200);
    expect((await t.client.trader(positions, refreshed.access_token)).status).toBe(401);
    // null lifts the limit, for tokens already issued too.
    await t.controls.settings({ access_token_call_limit: null });
    const third = (await t.client.refresh(refreshed.refresh_token)).body as unknown as Tokens;
    for (let i = 0; i < 5; i++) expect((await t.client.trader(positions, third.access_token)).status).toBe(200);
  });

  it.each([
    [
      { endpoint: 'token', mode: 'expire_token' },
      'mode expire_token applies only to endpoint accounts or transactions',
    ],
    [
      { endpoint: 'authorize', mode: 'expire_token' },
      'mode expire_token applies only to endpoint accounts or transactions',
    ],
  ])('refuses the fault %j', async (body, message) => {
    const res = await fetch(`${t.sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', message });
  });
});
