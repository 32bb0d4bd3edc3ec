import { randomBytes, randomUUID } from 'node:crypto';

import request from 'supertest';

import {
  type AuditLogBody,
  browserGet,
  consentAtSandbox,
  createSignedInUser,
  createTestApp,
  deliverCallback,
  type LinkingStack,
  linkThroughBrowser,
  type Page,
  ProvidersApi,
  type SignedInUser,
  startLinkingStack,
  stateKey,
  type TokenStatusBody,
  waitFor,
} from '@dashtam/testing';

/**
 * The OAuth flow end to end on loopback: api → Sandbox consent page (real HTML form) → callback app
 * over TLS → POST /api/v1/oauth/callbacks → tokens in the vault. Real PostgreSQL and Redis.
 */
describe('providers: linking an institution (OAuth2 through the callback app)', () => {
  let stack: LinkingStack;
  let owner: SignedInUser;
  let api: ProvidersApi;

  beforeAll(async () => {
    stack = await startLinkingStack();
    owner = await createSignedInUser(stack.api);
    api = new ProvidersApi(stack.api.url, owner.auth);
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Starts a flow and approves at the Sandbox; returns what the institution sent back. */
  async function approved(providerId: string): Promise<{ state: string; code: string }> {
    const started = await api.authorize(providerId).expect(201);
    const redirect = await consentAtSandbox(started.body.authorization_url as string);
    return { state: redirect.searchParams.get('state')!, code: redirect.searchParams.get('code')! };
  }

  const deliver = (body: object, secret: string | null = stack.callbackSecret) =>
    deliverCallback(stack.api.url, body, secret);

  const auditActions = async (providerId: string): Promise<string[]> =>
    ((await api.auditLogs(providerId, { per_page: 100 }).expect(200)).body as Page<AuditLogBody>).items.map(
      (row) => row.action,
    );

  const connectionOf = async (providerId: string) =>
    (
      (await stack.api.dataSource.query(
        `SELECT c.id, c.status, c.error_message AS "errorMessage", (SELECT count(*)::int FROM provider_tokens t WHERE t.connection_id = c.id) AS tokens
           FROM provider_connections c WHERE c.provider_id = $1`,
        [providerId],
      )) as Array<{ id: string; status: string; errorMessage: string | null; tokens: number }>
    )[0];

  it('a provider deleted during the code exchange: a clear 4xx page, nothing stored, the new grant revoked', async () => {
    const provider = await api.created('Deleted mid-exchange');
    const { state, code } = await approved(provider.id);
    const issuedBefore = new Set((await stack.controls.issuedTokens()).map((t) => t.value));
    const before = await stack.controls.counters();
    await stack.controls.fault({ endpoint: 'token', mode: 'latency', ms: 800 });

    const callbackUrl = new URL(stack.redirectUri);
    callbackUrl.searchParams.set('state', state);
    callbackUrl.searchParams.set('code', code);
    const page = browserGet(callbackUrl.toString());
    await waitFor('the code exchange to reach the institution', async () => {
      return (await stack.controls.counters()).token > before.token;
    });
    await api.remove(provider.id).expect(204);

    const answer = await page;
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('This link can no longer be used');
    expect(answer.body).not.toContain('not reachable');
    const connection = await connectionOf(provider.id);
    expect(connection.tokens).toBe(0);
    expect(connection.status).toBe('pending');

    const after = await stack.controls.counters();
    expect(after.revoke - before.revoke).toBe(1);
    const issued = (await stack.controls.issuedTokens()).filter((t) => !issuedBefore.has(t.value));
    const refresh = issued.filter((t) => t.kind === 'refresh_token');
    expect(refresh).toHaveLength(1);
    expect(refresh[0].status).toBe('revoked');
  });

  it('authorization URL → consent → callback app → provider active, tokens encrypted at rest', async () => {
    const provider = await api.created('Sandbox via browser');
    const before = await stack.controls.counters();

    const started = await api.authorize(provider.id, { 'x-request-id': 'rid-initiate' }).expect(201);
    const { authorization_url: authorizationUrl, expires_at: expiresAt } = started.body as {
      authorization_url: string;
      expires_at: string;
    };
    const url = new URL(authorizationUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${stack.sandbox.url}/v1/oauth/authorize`);
    expect(url.searchParams.get('client_id')).toBe(stack.sandbox.options.clientId);
    expect(url.searchParams.get('redirect_uri')).toBe(stack.redirectUri);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const ttl = new Date(expiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(9 * 60_000);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000);
    // The state lives in Redis under its digest, with the 10-minute expiry.
    const redisTtl = await stack.redis.pttl(stateKey(url.searchParams.get('state')!));
    expect(redisTtl).toBeGreaterThan(9 * 60_000);

    const redirect = await consentAtSandbox(authorizationUrl);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(stack.redirectUri);
    const page = await browserGet(redirect.toString());
    expect(page.status).toBe(200);
    expect(page.body).toContain('Sandbox via browser is connected');
    expect(page.body).not.toContain(redirect.searchParams.get('code')!);

    const linked = (await api.get(provider.id).expect(200)).body;
    expect(linked).toMatchObject({ id: provider.id, status: 'active', is_connected: true, needs_reconnection: false });
    expect(linked.connected_at).not.toBeNull();

    const status = (await api.tokenStatus(provider.id).expect(200)).body as TokenStatusBody;
    const accessTtlSeconds = stack.sandbox.options.accessTtlSeconds;
    expect(status).toEqual({
      status: 'active',
      expires_at: expect.any(String),
      has_refresh_token: true,
      scope: expect.any(String),
      last_refreshed_at: null,
      refresh_count: 0,
      refresh_token_expires_at: expect.any(String),
    });
    const accessLeft = new Date(status.expires_at!).getTime() - Date.now();
    expect(accessLeft).toBeGreaterThan((accessTtlSeconds - 60) * 1000);
    expect(accessLeft).toBeLessThanOrEqual(accessTtlSeconds * 1000);
    const refreshLeft = new Date(status.refresh_token_expires_at!).getTime() - Date.now();
    expect(refreshLeft).toBeGreaterThan(7 * 24 * 3600_000 - 60_000);

    const after = await stack.controls.counters();
    expect(after.token_grants.authorization_code - before.token_grants.authorization_code).toBe(1);

    // Every token the Sandbox issued for this grant is absent from the database in plaintext.
    const issued = (await stack.controls.issuedTokens()).filter((token) => token.kind !== 'authorization_code');
    expect(issued.length).toBeGreaterThanOrEqual(2);
    const connection = await connectionOf(provider.id);
    const [stored] = (await stack.api.dataSource.query(
      `SELECT row_to_json(t)::text AS row FROM provider_tokens t WHERE t.connection_id = $1`,
      [connection.id],
    )) as Array<{ row: string }>;
    expect(stored.row).toContain('access_token_encrypted');
    for (const token of issued) expect(stored.row).not.toContain(token.value);
    const everyTable = await dumpProviderTables(stack, provider.id);
    for (const token of await stack.controls.issuedTokens()) expect(everyTable).not.toContain(token.value);
    expect(everyTable).not.toContain(url.searchParams.get('state')!);

    const audit = ((await api.auditLogs(provider.id).expect(200)).body as Page<AuditLogBody>).items;
    expect(audit.map((row) => row.action)).toEqual(['token_created', 'connection_initiated', 'provider_created']);
    expect(audit[1]).toMatchObject({ request_id: 'rid-initiate', details: { pkce: true, provider_key: 'sandbox' } });
    expect(audit[0].details).toMatchObject({ has_refresh_token: true, previous_status: 'pending' });
  });

  it('a denied consent fails the flow: 400 page, audit connection_error, provider still pending', async () => {
    const provider = await api.created('Denied');
    const started = await api.authorize(provider.id).expect(201);
    const redirect = await consentAtSandbox(started.body.authorization_url as string, 'deny');
    expect(redirect.searchParams.get('error')).toBe('access_denied');

    const page = await browserGet(redirect.toString());
    expect(page.status).toBe(400);
    expect(page.body).toContain('Access was declined at the institution.');
    const current = (await api.get(provider.id).expect(200)).body;
    expect(current).toMatchObject({ status: 'pending', is_connected: false, error_message: expect.any(String) });
    const audit = ((await api.auditLogs(provider.id).expect(200)).body as Page<AuditLogBody>).items;
    expect(audit[0]).toMatchObject({
      action: 'connection_error',
      details: { stage: 'authorization', oauth_error: 'access_denied' },
    });
    // The state was consumed by the failure: delivering it again changes nothing.
    const again = await deliver({ state: redirect.searchParams.get('state'), error: 'access_denied' }).expect(400);
    expect(again.body.code).toBe('OAUTH.STATE_INVALID');
    expect(await auditActions(provider.id)).toHaveLength(3);
  });

  it('a direct delivery answers {provider_id, alias, status}; replaying it is refused and changes nothing', async () => {
    const provider = await api.created('Replayed');
    const { state, code } = await approved(provider.id);
    const res = await deliver({ state, code }).expect(200);
    expect(res.body).toEqual({
      provider_id: provider.id,
      alias: 'Replayed',
      status: 'active',
      account: `${owner.email[0]}***${owner.email.slice(owner.email.indexOf('@'))}`,
    });

    const [before] = (await stack.api.dataSource.query(
      `SELECT t.version, t.access_token_encrypted AS access FROM provider_tokens t
         JOIN provider_connections c ON c.id = t.connection_id WHERE c.provider_id = $1`,
      [provider.id],
    )) as Array<{ version: number; access: string }>;
    const replay = await deliver({ state, code }).expect(400);
    expect(replay.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(replay.body).toMatchObject({ status: 400, code: 'OAUTH.STATE_INVALID' });
    const [after] = (await stack.api.dataSource.query(
      `SELECT t.version, t.access_token_encrypted AS access FROM provider_tokens t
         JOIN provider_connections c ON c.id = t.connection_id WHERE c.provider_id = $1`,
      [provider.id],
    )) as Array<{ version: number; access: string }>;
    expect(after).toEqual(before);
    expect(await auditActions(provider.id)).toEqual(['token_created', 'connection_initiated', 'provider_created']);
  });

  describe('POST /oauth/completions (the frontend completes as the signed-in user)', () => {
    const complete = (body: object, auth: Record<string, string>) =>
      request(stack.api.url).post('/api/v1/oauth/completions').set(auth).send(body);

    it('consent phishing: another user cannot complete a flow, which stays usable for the user who started it', async () => {
      const provider = await api.created('Phished');
      const { state, code } = await approved(provider.id);
      const victim = await createSignedInUser(stack.api);

      const refused = await complete({ state, code }, victim.auth).expect(400);
      expect(refused.body).toMatchObject({ code: 'OAUTH.STATE_INVALID' });
      expect((await connectionOf(provider.id)).status).toBe('pending');
      const victimProviders = (await new ProvidersApi(stack.api.url, victim.auth).list().expect(200))
        .body as Page<unknown>;
      expect(victimProviders.total).toBe(0);

      const done = await complete({ state, code }, owner.auth).expect(200);
      expect(done.body).toMatchObject({ provider_id: provider.id, alias: 'Phished', status: 'active' });
      expect(done.body.account).toMatch(/^.\*\*\*@example\.test$/);
      await complete({ state, code }, owner.auth).expect(400);
    });

    it('needs a bearer token', async () => {
      await request(stack.api.url).post('/api/v1/oauth/completions').send({ state: 'x', code: 'y' }).expect(401);
    });
  });

  it('in forward mode the callback-app route is off: only the signed-in user completes', async () => {
    const forward = await createTestApp({
      config: {
        callback: {
          mode: 'forward',
          redirectUrl: 'http://localhost:3000/connections/complete',
          secret: stack.callbackSecret,
        },
      },
    });
    try {
      const provider = await api.created('Forward only');
      const { state, code } = await approved(provider.id);
      const res = await deliverCallback(forward.url, { state, code }, stack.callbackSecret).expect(404);
      expect(res.body).toMatchObject({ code: 'ROUTE.NOT_FOUND' });
      await deliver({ state, code }).expect(200);
    } finally {
      await forward.close();
    }
  });

  it('unknown, malformed and tampered states are refused; the genuine one still works afterwards', async () => {
    const provider = await api.created('Tampered');
    const { state, code } = await approved(provider.id);
    const flipped = `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`;
    for (const forged of [flipped, randomBytes(32).toString('base64url'), 'short', `${state}x`]) {
      const res = await deliver({ state: forged, code }).expect(400);
      expect(res.body.code).toBe('OAUTH.STATE_INVALID');
    }
    expect((await connectionOf(provider.id)).status).toBe('pending');
    await deliver({ state, code }).expect(200);
  });

  it('an expired state (Redis TTL) is refused and changes nothing', async () => {
    const provider = await api.created('Expired');
    const { state, code } = await approved(provider.id);
    expect(await stack.redis.pexpire(stateKey(state), 1)).toBe(1);
    await waitFor('Redis to expire the state', async () => (await stack.redis.exists(stateKey(state))) === 0);
    const res = await deliver({ state, code }).expect(400);
    expect(res.body.code).toBe('OAUTH.STATE_INVALID');
    expect(await connectionOf(provider.id)).toMatchObject({ status: 'pending', tokens: 0 });
    expect(await auditActions(provider.id)).toEqual(['connection_initiated', 'provider_created']);
  });

  it('a state bound to another user, or to a provider deleted since, is refused (foreign state)', async () => {
    const victim = await api.created('Victim');
    const attacker = await createSignedInUser(stack.api);
    // A record a forger managed to plant: the attacker's user id bound to the victim's provider.
    const forged = randomBytes(32).toString('base64url');
    const now = Date.now();
    await stack.redis.set(
      stateKey(forged),
      JSON.stringify({
        userId: attacker.user.id,
        providerId: victim.id,
        providerKey: 'sandbox',
        redirectUri: stack.redirectUri,
        codeVerifier: null,
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(now + 600_000).toISOString(),
      }),
      'PX',
      600_000,
    );
    const { code } = await approved(victim.id);
    const res = await deliver({ state: forged, code }).expect(400);
    expect(res.body.code).toBe('OAUTH.STATE_INVALID');
    expect(await connectionOf(victim.id)).toMatchObject({ status: 'pending', tokens: 0 });

    const doomed = await api.created('Deleted mid-flow');
    const flow = await approved(doomed.id);
    await api.remove(doomed.id).expect(204);
    const late = await deliver(flow).expect(400);
    expect(late.body.code).toBe('OAUTH.STATE_INVALID');
  });

  it('a missing or wrong callback secret is 401 and consumes nothing', async () => {
    const provider = await api.created('Secret');
    const flow = await approved(provider.id);
    for (const secret of [null, '', 'wrong', `${stack.callbackSecret}x`, stack.callbackSecret.slice(0, -1)]) {
      const res = await deliver(flow, secret).expect(401);
      expect(res.body).toMatchObject({ status: 401, code: 'OAUTH.CALLBACK_UNAUTHORIZED' });
    }
    // A user's access token is not a callback secret either.
    const withBearer = await deliverCallback(stack.api.url, flow, null).set(owner.auth).expect(401);
    expect(withBearer.body.code).toBe('OAUTH.CALLBACK_UNAUTHORIZED');
    expect(await stack.redis.exists(stateKey(flow.state))).toBe(1);
    await deliver(flow).expect(200);
  });

  it('a body without code or error is a 400 and leaves the state usable', async () => {
    const provider = await api.created('Incomplete');
    const flow = await approved(provider.id);
    const res = await deliver({ state: flow.state }).expect(400);
    expect(res.body.code).toBe('VALIDATION.FAILED');
    await deliver({ ...flow, extra: 'field' }).expect(400);
    await deliver(flow).expect(200);
  });

  it('of several concurrent deliveries of one state exactly one succeeds', async () => {
    const provider = await api.created('Concurrent');
    const flow = await approved(provider.id);
    const before = await stack.controls.counters();
    const answers = await Promise.all(Array.from({ length: 6 }, () => deliver(flow)));
    expect(answers.map((res) => res.status).sort()).toEqual([200, 400, 400, 400, 400, 400]);
    for (const res of answers.filter((r) => r.status === 400)) expect(res.body.code).toBe('OAUTH.STATE_INVALID');
    const after = await stack.controls.counters();
    expect(after.token_grants.authorization_code - before.token_grants.authorization_code).toBe(1);
    expect((await auditActions(provider.id)).filter((action) => action === 'token_created')).toHaveLength(1);
  });

  it('institution failures on the code exchange: 5xx/timeout → 502, refused code → 400; no upstream text', async () => {
    const provider = await api.created('Exchange failures');

    for (const mode of ['5xx', 'timeout'] as const) {
      const flow = await approved(provider.id);
      await stack.controls.fault({ endpoint: 'token', mode });
      const res = await deliver(flow).expect(502);
      expect(res.body).toMatchObject({
        status: 502,
        code: 'PROVIDER.UNAVAILABLE',
        detail: 'The institution could not be reached; start the connection again',
      });
      expect(res.headers['retry-after']).toBeUndefined();
      expect(JSON.stringify(res.body)).not.toMatch(/sandbox|server_error|HTTP 5/i);
    }
    const refused = await approved(provider.id);
    await stack.controls.fault({ endpoint: 'token', mode: 'invalid_grant' });
    const res = await deliver(refused).expect(400);
    expect(res.body).toMatchObject({
      status: 400,
      code: 'OAUTH.AUTHORIZATION_FAILED',
      detail: 'The institution refused the authorization code',
    });

    expect(await connectionOf(provider.id)).toMatchObject({ status: 'pending', tokens: 0 });
    const audit = ((await api.auditLogs(provider.id).expect(200)).body as Page<AuditLogBody>).items;
    expect(audit.filter((row) => row.action === 'connection_error').map((row) => row.details)).toEqual([
      expect.objectContaining({ stage: 'code_exchange', classification: 'permanent', oauth_error: 'invalid_grant' }),
      expect.objectContaining({ stage: 'code_exchange', classification: 'transient' }),
      expect.objectContaining({ stage: 'code_exchange', classification: 'transient' }),
    ]);
  });

  it('starting a flow for a provider whose institution is not configured is a 400', async () => {
    const [row] = (await stack.api.dataSource.query(
      `WITH p AS (INSERT INTO providers (user_id, provider_key, alias) VALUES ($1, 'schwab', $2) RETURNING id)
       INSERT INTO provider_connections (provider_id) SELECT id FROM p RETURNING provider_id AS id`,
      [owner.user.id, `Schwab ${randomUUID()}`],
    )) as Array<{ id: string }>;
    const res = await api.authorize(row.id).expect(400);
    expect(res.body).toMatchObject({
      status: 400,
      code: 'PROVIDER.NOT_CONFIGURED',
      detail: 'This provider type is not available on this server',
    });
    expect(await auditActions(row.id)).toEqual([]);
  });

  it('audit rows of a linked, failed and re-linked provider hold no token, code or state', async () => {
    const user = await createSignedInUser(stack.api);
    const mine = new ProvidersApi(stack.api.url, user.auth);
    const provider = await mine.created('Audit secrets');
    const started = await mine.authorize(provider.id).expect(201);
    const denied = await consentAtSandbox(started.body.authorization_url as string, 'deny');
    expect((await browserGet(denied.toString())).status).toBe(400);
    expect((await linkThroughBrowser(stack, mine, provider.id)).status).toBe(200);
    expect((await linkThroughBrowser(stack, mine, provider.id)).status).toBe(200);

    const rows = (await stack.api.dataSource.query(
      `SELECT action, details::text AS details FROM provider_audit_logs WHERE user_id = $1`,
      [user.user.id],
    )) as Array<{ action: string; details: string }>;
    expect(rows.map((row) => row.action).sort()).toEqual([
      'connection_error',
      'connection_initiated',
      'connection_initiated',
      'connection_initiated',
      'provider_created',
      'token_created',
      'token_created',
    ]);
    const text = rows.map((row) => row.details).join('\n');
    for (const token of await stack.controls.issuedTokens()) expect(text).not.toContain(token.value);
    const states = [started.body.authorization_url as string].map((u) => new URL(u).searchParams.get('state')!);
    for (const state of states) expect(text).not.toContain(state);
    expect(text).not.toMatch(/verifier|"state"|"code"/);
  });
});

/** Everything stored about a provider (its rows in every provider table) as one text blob. */
async function dumpProviderTables(stack: LinkingStack, providerId: string): Promise<string> {
  const rows = (await stack.api.dataSource.query(
    `SELECT row_to_json(p)::text || row_to_json(c)::text ||
            COALESCE((SELECT string_agg(row_to_json(t)::text, '') FROM provider_tokens t WHERE t.connection_id = c.id), '') ||
            COALESCE((SELECT string_agg(row_to_json(a)::text, '') FROM provider_audit_logs a WHERE a.provider_id = p.id), '') AS dump
       FROM providers p JOIN provider_connections c ON c.provider_id = p.id WHERE p.id = $1`,
    [providerId],
  )) as Array<{ dump: string }>;
  return rows[0].dump;
}
