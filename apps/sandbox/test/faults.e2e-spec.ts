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
      'endpoint must be one of the following values: authorize, token, revoke, accounts, transactions',
    ],
    [
      { endpoint: 'token', mode: 'explode' },
      'mode must be one of the following values: 5xx, 429, timeout, invalid_grant, latency, reset_after_commit',
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
