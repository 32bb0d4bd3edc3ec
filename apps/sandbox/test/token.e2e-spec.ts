import { basicAuth, newPkce, type SandboxUnderTest, startSandbox } from '@dashtam/testing';

const nested = (error: string, description: string) => ({
  error,
  error_description: JSON.stringify({ error, error_description: description }),
});

describe('Sandbox token endpoint: authorization_code grant and client authentication', () => {
  let t: SandboxUnderTest;

  beforeAll(async () => {
    t = await startSandbox();
  });
  afterAll(() => t.sandbox.close());
  beforeEach(() => t.controls.reset());

  it("exchanges a code for Schwab's token response", async () => {
    const code = (await t.client.approve()).get('code')!;
    const res = await t.client.exchange(code);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(res.body)).toEqual([
      'expires_in',
      'token_type',
      'scope',
      'refresh_token',
      'access_token',
      'id_token',
    ]);
    expect(res.body).toEqual({
      expires_in: 1800,
      token_type: 'Bearer',
      scope: 'api',
      refresh_token: expect.stringMatching(/^R0\..+@$/),
      access_token: expect.stringMatching(/^I0\..+@$/),
      id_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
    });
    const claims = JSON.parse(Buffer.from(String(res.body.id_token).split('.')[1], 'base64url').toString());
    expect(claims).toEqual(expect.objectContaining({ sub: 'sandbox-user', aud: t.client.credentials.clientId }));

    const issued = await t.controls.issuedTokens();
    expect(issued.map((i) => [i.kind, i.status])).toEqual([
      ['authorization_code', 'used'],
      ['refresh_token', 'active'],
      ['access_token', 'active'],
      ['id_token', 'active'],
    ]);
    const access = issued.find((i) => i.kind === 'access_token')!;
    const refresh = issued.find((i) => i.kind === 'refresh_token')!;
    expect(Date.parse(access.expires_at) - Date.parse(access.issued_at)).toBe(1800 * 1000);
    expect(Date.parse(refresh.expires_at) - Date.parse(refresh.issued_at)).toBe(7 * 86_400 * 1000);
    expect(await t.controls.counters()).toEqual(
      expect.objectContaining({ token: 1, token_grants: { authorization_code: 1, refresh_token: 0, other: 0 } }),
    );
  });

  it('a code is single use: a replay is invalid_grant (flat) and revokes what the code produced', async () => {
    const code = (await t.client.approve()).get('code')!;
    const first = await t.client.exchange(code);
    expect(first.status).toBe(200);
    const replay = await t.client.exchange(code);
    expect(replay.status).toBe(400);
    expect(replay.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Authorization code has already been used',
    });
    const accounts = await t.client.trader('/trader/v1/accounts/accountNumbers', String(first.body.access_token));
    expect(accounts.status).toBe(401);
    expect((await t.client.refresh(String(first.body.refresh_token))).status).toBe(400);
  });

  it('a code expires after 30 seconds of sandbox time', async () => {
    const code = (await t.client.approve()).get('code')!;
    await t.controls.advanceClock(31);
    const res = await t.client.exchange(code);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'Authorization code has expired' });
  });

  it('a code still works just before it expires', async () => {
    const code = (await t.client.approve()).get('code')!;
    await t.controls.advanceClock(28);
    expect((await t.client.exchange(code)).status).toBe(200);
  });

  it('redirect_uri must equal the one of the authorization request, and the failure burns the code', async () => {
    const code = (await t.client.approve()).get('code')!;
    const res = await t.client.exchange(code, { redirect_uri: `${t.client.credentials.redirectUri}/` });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_grant',
      error_description: 'redirect_uri does not match the authorization request',
    });
    expect((await t.client.exchange(code)).body).toEqual(
      expect.objectContaining({ error_description: 'Authorization code has already been used' }),
    );
  });

  it('an unknown or URL-encoded-twice code is invalid_grant', async () => {
    const code = (await t.client.approve()).get('code')!;
    const res = await t.client.exchange(code.replace(/@$/, '%40'));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'Authorization code is invalid' });
  });

  describe('PKCE S256', () => {
    it('accepts the matching verifier', async () => {
      const pkce = newPkce();
      const code = (await t.client.approve({ code_challenge: pkce.challenge, code_challenge_method: 'S256' })).get(
        'code',
      )!;
      expect((await t.client.exchange(code, { code_verifier: pkce.verifier })).status).toBe(200);
    });

    it.each([
      ['a wrong verifier', () => newPkce().verifier],
      ['no verifier', () => undefined],
    ])('refuses %s', async (_name, verifier) => {
      const pkce = newPkce();
      const code = (await t.client.approve({ code_challenge: pkce.challenge, code_challenge_method: 'S256' })).get(
        'code',
      )!;
      const v = verifier();
      const res = await t.client.exchange(code, v === undefined ? {} : { code_verifier: v });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: 'invalid_grant',
        error_description: 'code_verifier does not match the code_challenge',
      });
    });

    it('refuses a verifier when the request had no challenge', async () => {
      const code = (await t.client.approve()).get('code')!;
      const res = await t.client.exchange(code, { code_verifier: newPkce().verifier });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(expect.objectContaining({ error: 'invalid_grant' }));
    });
  });

  describe('client authentication (HTTP Basic only)', () => {
    it.each([
      ['no Authorization header', null],
      ['a wrong secret', 'WRONG_SECRET'],
      ['an unknown client', 'WRONG_CLIENT'],
      ['a Bearer token', 'Bearer abc'],
    ])('%s is 401 invalid_client in the nested shape', async (_name, header) => {
      const { clientId, clientSecret } = t.client.credentials;
      const authorization =
        header === 'WRONG_SECRET'
          ? basicAuth(clientId, `${clientSecret}x`)
          : header === 'WRONG_CLIENT'
            ? basicAuth('other', clientSecret)
            : header;
      const code = (await t.client.approve()).get('code')!;
      const res = await t.client.token(
        { grant_type: 'authorization_code', code, redirect_uri: t.client.credentials.redirectUri },
        authorization,
      );
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="Sandbox"');
      expect(res.body).toEqual(nested('invalid_client', 'Client authentication failed'));
      expect(res.text).not.toContain(t.client.credentials.clientSecret);
      // The code was not touched: the right client can still exchange it.
      expect((await t.client.exchange(code)).status).toBe(200);
    });

    it('client_secret in the body is not client authentication', async () => {
      const code = (await t.client.approve()).get('code')!;
      const res = await t.client.token(
        {
          grant_type: 'authorization_code',
          code,
          redirect_uri: t.client.credentials.redirectUri,
          client_id: t.client.credentials.clientId,
          client_secret: t.client.credentials.clientSecret,
        },
        null,
      );
      expect(res.status).toBe(401);
    });
  });

  describe('malformed requests (flat shape)', () => {
    it.each([
      [
        { code: 'x', redirect_uri: 'y' },
        400,
        { error: 'invalid_request', error_description: 'grant_type is required' },
      ],
      [
        { grant_type: 'password' },
        400,
        {
          error: 'unsupported_grant_type',
          error_description: 'grant_type must be authorization_code or refresh_token',
        },
      ],
      [
        { grant_type: 'authorization_code', redirect_uri: 'y' },
        400,
        { error: 'invalid_request', error_description: 'code is required' },
      ],
      [
        { grant_type: 'authorization_code', code: 'x' },
        400,
        { error: 'invalid_request', error_description: 'redirect_uri is required' },
      ],
      [
        { grant_type: 'refresh_token' },
        400,
        { error: 'invalid_request', error_description: 'refresh_token is required' },
      ],
    ])('%j', async (form, status, body) => {
      const res = await t.client.token(form as Record<string, string>);
      expect(res.status).toBe(status);
      expect(res.body).toEqual(body);
    });

    it('a repeated parameter is invalid_request', async () => {
      const res = await fetch(`${t.sandbox.url}/v1/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: t.client.basic() },
        body: 'grant_type=refresh_token&refresh_token=a&refresh_token=b',
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'invalid_request',
        error_description: 'refresh_token must not be repeated',
      });
    });

    it('a JSON body is invalid_request', async () => {
      const res = await fetch(`${t.sandbox.url}/v1/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: t.client.basic() },
        body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: 'a' }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'invalid_request',
        error_description: 'The body must be application/x-www-form-urlencoded',
      });
    });
  });
});
