import { type SandboxUnderTest, startSandbox, TEST_REDIRECT_URI } from '@dashtam/testing';

describe('Sandbox authorize endpoint and consent page', () => {
  let t: SandboxUnderTest;

  beforeAll(async () => {
    t = await startSandbox();
  });
  afterAll(() => t.sandbox.close());
  beforeEach(() => t.controls.reset());

  it('renders an HTML consent page with Approve and Deny, escaping every value', async () => {
    const { page, requestId } = await t.client.openConsent({
      state: '<script>alert(1)</script>',
      scope: '"><img src=x>',
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.text).toContain('<button type="submit" name="decision" value="approve">Approve</button>');
    expect(page.text).toContain('<button type="submit" name="decision" value="deny">Deny</button>');
    expect(page.text).toContain('<form method="post" action="/v1/oauth/consent">');
    expect(page.text).toContain('&quot;&gt;&lt;img src=x&gt;');
    expect(page.text).not.toContain('<img src=x>');
    // The state never reaches the page: the form carries only the server-side request id.
    expect(page.text).not.toContain('alert(1)');
    expect(requestId).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('Approve redirects to the exact redirect URI with a Schwab-style code (ending in @) and the state', async () => {
    const { requestId } = await t.client.openConsent({ state: 'state with spaces & symbols' });
    const res = await t.client.decide(requestId, 'approve');
    expect(res.status).toBe(302);
    const location = res.headers.get('location')!;
    expect(location.startsWith(`${TEST_REDIRECT_URI}?code=C0.`)).toBe(true);
    // On the wire the trailing @ is URL-encoded, exactly like Schwab's redirect.
    expect(location).toMatch(/code=C0\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}%40&/);
    const query = new URL(location).searchParams;
    expect(query.get('code')).toMatch(/^C0\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}@$/);
    expect(query.get('state')).toBe('state with spaces & symbols');
    expect(query.get('session')).toMatch(/^[0-9a-f-]{36}$/);
    const issued = await t.controls.issuedTokens();
    expect(issued).toEqual([
      expect.objectContaining({
        kind: 'authorization_code',
        value: query.get('code'),
        user: 'sandbox-user',
        status: 'active',
      }),
    ]);
  });

  it('Deny redirects with error=access_denied and the state, and issues nothing', async () => {
    const { requestId } = await t.client.openConsent({ state: 'abc' });
    const res = await t.client.decide(requestId, 'deny');
    expect(res.status).toBe(302);
    const query = new URL(res.headers.get('location')!).searchParams;
    expect(Object.fromEntries(query)).toEqual({
      error: 'access_denied',
      error_description: 'The user denied access',
      state: 'abc',
    });
    expect(await t.controls.issuedTokens()).toEqual([]);
  });

  it('a consent request is single use', async () => {
    const { requestId } = await t.client.openConsent();
    expect((await t.client.decide(requestId, 'approve')).status).toBe(302);
    const again = await t.client.decide(requestId, 'approve');
    expect(again.status).toBe(400);
    expect(again.text).toContain('Request expired');
    expect((await t.client.decide('forged-request-id', 'deny')).status).toBe(400);
  });

  it('a consent request expires after 10 minutes of sandbox time', async () => {
    const { requestId } = await t.client.openConsent();
    await t.controls.advanceClock(601);
    const res = await t.client.decide(requestId, 'approve');
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('an invalid user name or decision re-asks without consuming the request', async () => {
    const { requestId } = await t.client.openConsent();
    const badUser = await t.client.decide(requestId, 'approve', '<b>x</b>');
    expect(badUser.status).toBe(400);
    expect(badUser.text).toContain('Invalid user name');
    expect((await t.client.decide(requestId, 'maybe')).status).toBe(400);
    const ok = await t.client.decide(requestId, 'approve', 'alice');
    expect(ok.status).toBe(302);
    const [code] = await t.controls.issuedTokens();
    expect(code.user).toBe('alice');
  });

  it.each([
    ['an unknown client', { client_id: 'someone-else' }, 'Unknown application'],
    ['a missing client', { client_id: undefined }, 'Unknown application'],
    ['a redirect URI with a trailing slash', { redirect_uri: `${TEST_REDIRECT_URI}/` }, 'Invalid redirect URI'],
    ['another redirect URI', { redirect_uri: 'https://evil.example/callback' }, 'Invalid redirect URI'],
    ['a missing redirect URI', { redirect_uri: undefined }, 'Invalid redirect URI'],
  ])('%s gets an error page, never a redirect', async (_name, params, title) => {
    const res = await t.client.get(t.client.authorizeUrl({ state: 's', ...params }));
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.text).toContain(`<h1>${title}</h1>`);
    expect((await t.controls.counters()).authorize).toBe(1);
  });

  it('a repeated client_id is refused with an error page', async () => {
    const url = `${t.client.authorizeUrl()}&client_id=${t.client.credentials.clientId}`;
    const res = await t.client.get(url);
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it.each([
    [{ response_type: 'token' }, 'unsupported_response_type', 'response_type must be code'],
    [{ response_type: undefined }, 'invalid_request', 'response_type is required'],
    [
      { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' },
      'invalid_request',
      'code_challenge_method must be S256',
    ],
    [
      { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'plain' },
      'invalid_request',
      'code_challenge_method must be S256',
    ],
    [{ code_challenge: 'too-short', code_challenge_method: 'S256' }, 'invalid_request', 'code_challenge is malformed'],
    [{ code_challenge_method: 'S256' }, 'invalid_request', 'code_challenge_method without code_challenge'],
  ])('other problems go back to the client as errors with the state: %j', async (params, error, description) => {
    const res = await t.client.get(t.client.authorizeUrl({ state: 'xyz', ...params }));
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(TEST_REDIRECT_URI);
    expect(Object.fromEntries(location.searchParams)).toEqual({ error, error_description: description, state: 'xyz' });
  });

  it('auto-approve skips the page and approves as the configured test user', async () => {
    await t.controls.settings({ auto_approve: true, user: 'auto-user' });
    const res = await t.client.get(t.client.authorizeUrl({ state: 'auto' }));
    expect(res.status).toBe(302);
    const query = new URL(res.headers.get('location')!).searchParams;
    expect(query.get('code')).toMatch(/@$/);
    expect(query.get('state')).toBe('auto');
    const [code] = await t.controls.issuedTokens();
    expect(code).toEqual(expect.objectContaining({ kind: 'authorization_code', user: 'auto-user' }));
    expect(await t.controls.counters()).toEqual(expect.objectContaining({ authorize: 1, consent: 0 }));
  });

  it('redirect URIs registered at runtime match exactly too', async () => {
    await t.controls.settings({ redirect_uris: ['http://127.0.0.1:9999/cb?x=1'] });
    const res = await t.client.get(t.client.authorizeUrl({ redirect_uri: 'http://127.0.0.1:9999/cb?x=1' }));
    expect(res.status).toBe(200);
    const old = await t.client.get(t.client.authorizeUrl());
    expect(old.status).toBe(400);
  });
});
