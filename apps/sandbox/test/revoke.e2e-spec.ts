import { type SandboxUnderTest, startSandbox } from '@dashtam/testing';

describe('Sandbox revocation endpoint (RFC 7009)', () => {
  let t: SandboxUnderTest;

  beforeAll(async () => {
    t = await startSandbox();
  });
  afterAll(() => t.sandbox.close());
  beforeEach(() => t.controls.reset());

  const accountNumbers = (accessToken: string) => t.client.trader('/trader/v1/accounts/accountNumbers', accessToken);

  it('revoking a refresh token revokes the grant: refresh fails and its access tokens stop working', async () => {
    const tokens = await t.client.connect();
    const res = await t.client.revoke({ token: tokens.refresh_token, token_type_hint: 'refresh_token' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect((await t.client.refresh(tokens.refresh_token)).status).toBe(400);
    expect((await accountNumbers(tokens.access_token)).status).toBe(401);
    expect(await t.controls.counters()).toEqual(expect.objectContaining({ revoke: 1 }));
  });

  it('revoking an access token revokes only that token', async () => {
    const tokens = await t.client.connect();
    expect((await t.client.revoke({ token: tokens.access_token, token_type_hint: 'access_token' })).status).toBe(200);
    expect((await accountNumbers(tokens.access_token)).status).toBe(401);
    const refreshed = await t.client.refresh(tokens.refresh_token);
    expect(refreshed.status).toBe(200);
    expect((await accountNumbers(String(refreshed.body.access_token))).status).toBe(200);
  });

  it('a wrong hint still finds the token', async () => {
    const tokens = await t.client.connect();
    expect((await t.client.revoke({ token: tokens.refresh_token, token_type_hint: 'access_token' })).status).toBe(200);
    expect((await t.client.refresh(tokens.refresh_token)).status).toBe(400);
  });

  it('unknown and already revoked tokens answer 200', async () => {
    const tokens = await t.client.connect();
    expect((await t.client.revoke({ token: 'no-such-token' })).status).toBe(200);
    expect((await t.client.revoke({ token: tokens.refresh_token })).status).toBe(200);
    expect((await t.client.revoke({ token: tokens.refresh_token })).status).toBe(200);
  });

  it('requires client authentication and a token', async () => {
    const tokens = await t.client.connect();
    const unauthenticated = await t.client.revoke({ token: tokens.refresh_token }, null);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.body).toEqual(expect.objectContaining({ error: 'invalid_client' }));
    expect((await t.client.refresh(tokens.refresh_token)).status).toBe(200);

    const missing = await t.client.revoke({});
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error: 'invalid_request', error_description: 'token is required' });
  });
});
