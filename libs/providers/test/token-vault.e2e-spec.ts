import { getConfig } from '@dashtam/config';
import { codeChallengeS256, createCodeVerifier, ProviderError } from '@dashtam/providers';

import { ProvidersTestKit } from './support/providers-test-kit';

const SEVEN_DAYS_MS = 7 * 24 * 3600 * 1000;
const near = (date: unknown, expectedMs: number, slackMs = 10_000) =>
  Math.abs(new Date(date as string).getTime() - expectedMs) < slackMs;

describe('code exchange and token storage (real PostgreSQL + in-process Sandbox)', () => {
  let kit: ProvidersTestKit;

  beforeAll(async () => {
    kit = await ProvidersTestKit.start();
  });
  afterAll(() => kit.stop());
  beforeEach(() => kit.controls.reset());

  it('exchanges a URL-encoded code ending in %40 exactly once decoded', async () => {
    const raw = await kit.authorize();
    // As Schwab sends it: the trailing @ still percent-encoded.
    expect(raw).toMatch(/%40$/);
    const tokens = await kit.registry.oauthClient('sandbox').exchangeCode({
      code: raw,
      redirectUri: getConfig().callback.redirectUri,
    });
    expect(tokens).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      idToken: expect.any(String),
      tokenType: 'Bearer',
      expiresInSeconds: 1800,
      scope: 'api',
      refreshTokenExpiresInSeconds: null,
    });
    expect((await kit.controls.counters()).token_grants.authorization_code).toBe(1);
  });

  it('sends the PKCE verifier that matches the challenge, and a wrong one is refused for good', async () => {
    const client = kit.registry.oauthClient('sandbox');
    const redirectUri = getConfig().callback.redirectUri;
    const verifier = createCodeVerifier();
    const good = await kit.authorize(codeChallengeS256(verifier));
    await expect(client.exchangeCode({ code: good, redirectUri, codeVerifier: verifier })).resolves.toMatchObject({
      tokenType: 'Bearer',
    });

    const other = await kit.authorize(codeChallengeS256(verifier));
    const error = await client
      .exchangeCode({ code: other, redirectUri, codeVerifier: createCodeVerifier() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ classification: 'permanent', oauthError: 'invalid_grant', status: 400 });
    expect((error as Error).message).not.toContain(other);
  });

  it('a redirect URI that differs from the authorize request is refused', async () => {
    const code = await kit.authorize();
    const error = await kit.registry
      .oauthClient('sandbox')
      .exchangeCode({ code, redirectUri: `${getConfig().callback.redirectUri}/` })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ classification: 'permanent', oauthError: 'invalid_grant' });
  });

  it('stores the tokens encrypted, activates the connection and audits token_created in one go', async () => {
    const { connectionId, userId, providerId, tokens } = await kit.linkedConnection();
    const row = await kit.tokenRow(connectionId);
    const aad = { aad: connectionId };
    expect(kit.cipher.decrypt(String(row.access_token_encrypted), aad)).toBe(tokens.accessToken);
    expect(kit.cipher.decrypt(String(row.refresh_token_encrypted), aad)).toBe(tokens.refreshToken);
    expect(kit.cipher.decrypt(String(row.id_token_encrypted), aad)).toBe(tokens.idToken);
    expect(row).toMatchObject({
      token_type: 'Bearer',
      scope: 'api',
      key_id: kit.cipher.activeKeyId,
      version: 1,
      refresh_count: 0,
      last_refreshed_at: null,
    });
    expect(near(row.expires_at, Date.now() + 1800_000)).toBe(true);
    // Schwab's 7 days run from consent.
    expect(near(row.refresh_token_expires_at, Date.now() + SEVEN_DAYS_MS)).toBe(true);

    const [connection] = (await kit.db.query(
      'SELECT status, connected_at, error_count, error_message FROM provider_connections WHERE id = $1',
      [connectionId],
    )) as Array<Record<string, unknown>>;
    expect(connection).toMatchObject({ status: 'active', error_count: 0, error_message: null });
    expect(near(connection.connected_at, Date.now())).toBe(true);

    const audit = await kit.auditRows(connectionId);
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'token_created',
        user_id: userId,
        provider_id: providerId,
        details: expect.objectContaining({ previous_status: 'pending', reconnect: false, has_refresh_token: true }),
      }),
    ]);
  });

  it('never stores or audits a token in plaintext', async () => {
    const { connectionId } = await kit.linkedConnection();
    await kit.expireAccessToken(connectionId);
    await kit.instances[0].refresher.getValidAccessToken(connectionId);
    const issued = await kit.controls.issuedTokens();
    expect(issued.filter((i) => i.kind === 'refresh_token')).toHaveLength(2);
    const dump = JSON.stringify(
      await kit.db.query(
        `SELECT (SELECT json_agg(t) FROM provider_tokens t WHERE t.connection_id = $1) AS tokens,
                (SELECT json_agg(a) FROM provider_audit_logs a WHERE a.connection_id = $1) AS audit`,
        [connectionId],
      ),
    );
    for (const token of issued) {
      expect(dump).not.toContain(token.value);
      // Codes too, decoded and encoded.
      expect(dump).not.toContain(encodeURIComponent(token.value));
    }
  });

  it('a reconnect replaces the tokens in place, resets the counters and bumps the version', async () => {
    const { connectionId } = await kit.linkedConnection();
    await kit.expireAccessToken(connectionId);
    await kit.instances[0].refresher.getValidAccessToken(connectionId);
    await kit.db.query(`UPDATE provider_connections SET status = 'requires_reauth' WHERE id = $1`, [connectionId]);

    const again = await kit.exchange();
    const status = await kit.instances[0].vault.storeAuthorizedTokens({
      connectionId,
      tokens: again,
      context: { requestId: 'req-reconnect', ipAddress: '203.0.113.9', userAgent: 'e2e' },
    });
    expect(status).toMatchObject({ status: 'active', refreshCount: 0, lastRefreshedAt: null, hasRefreshToken: true });
    const row = await kit.tokenRow(connectionId);
    expect(row).toMatchObject({ version: 3, refresh_count: 0, last_refreshed_at: null });
    expect(await kit.decryptedRefreshToken(connectionId)).toBe(again.refreshToken);
    const created = (await kit.auditRows(connectionId)).filter((a) => a.action === 'token_created');
    expect(created[1]).toMatchObject({
      request_id: 'req-reconnect',
      ip_address: '203.0.113.9',
      user_agent: 'e2e',
      details: expect.objectContaining({ previous_status: 'requires_reauth', reconnect: true }),
    });
  });

  it('reports the token status, with nulls once there are no tokens', async () => {
    const linked = await kit.linkedConnection();
    const status = await kit.instances[0].vault.getTokenStatus(linked.connectionId);
    expect(status).toEqual({
      connectionId: linked.connectionId,
      status: 'active',
      expiresAt: expect.any(Date),
      hasRefreshToken: true,
      scope: 'api',
      lastRefreshedAt: null,
      refreshCount: 0,
      refreshTokenExpiresAt: expect.any(Date),
    });
    const pending = await kit.createConnection();
    expect(await kit.instances[0].vault.getTokenStatus(pending.connectionId)).toEqual({
      connectionId: pending.connectionId,
      status: 'pending',
      expiresAt: null,
      hasRefreshToken: null,
      scope: null,
      lastRefreshedAt: null,
      refreshCount: null,
      refreshTokenExpiresAt: null,
    });
  });
});
