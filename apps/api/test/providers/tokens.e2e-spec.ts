import {
  type AuditLogBody,
  createSignedInUser,
  type LinkingStack,
  linkThroughBrowser,
  type Page,
  type ProviderBody,
  ProvidersApi,
  startLinkingStack,
  type TokenStatusBody,
} from '@dashtam/testing';

const NO_TOKENS = {
  expires_at: null,
  has_refresh_token: null,
  scope: null,
  last_refreshed_at: null,
  refresh_count: null,
  refresh_token_expires_at: null,
};

/**
 * Token status, refresh on demand, disconnect, reconnect and delete, against the Sandbox with its
 * fault controls. Real PostgreSQL and Redis; each test links its own provider.
 */
describe('providers: tokens (status, refresh, disconnect, delete)', () => {
  let stack: LinkingStack;
  let api: ProvidersApi;

  beforeAll(async () => {
    stack = await startLinkingStack();
    api = new ProvidersApi(stack.api.url, (await createSignedInUser(stack.api)).auth);
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function linked(alias: string): Promise<ProviderBody> {
    const provider = await api.created(alias);
    const page = await linkThroughBrowser(stack, api, provider.id);
    if (page.status !== 200) throw new Error(`linking ${alias} answered ${page.status}`);
    return provider;
  }

  const tokenRow = async (providerId: string) =>
    (
      (await stack.api.dataSource.query(
        `SELECT t.version, t.access_token_encrypted AS access, t.refresh_token_encrypted AS refresh
           FROM provider_tokens t JOIN provider_connections c ON c.id = t.connection_id
          WHERE c.provider_id = $1`,
        [providerId],
      )) as Array<{ version: number; access: string; refresh: string }>
    )[0];

  const audit = async (providerId: string): Promise<AuditLogBody[]> =>
    ((await api.auditLogs(providerId, { per_page: 100 }).expect(200)).body as Page<AuditLogBody>).items;

  describe('GET …/authorization', () => {
    it('a never-linked provider answers its status with every token field null', async () => {
      const provider = await api.created('Never linked');
      expect((await api.tokenStatus(provider.id).expect(200)).body).toEqual({ status: 'pending', ...NO_TOKENS });
    });
  });

  describe('PATCH …/authorization (refresh now)', () => {
    it('stored tokens that fail authentication (copied from another connection) → 409, connection error, audited once', async () => {
      const victim = await linked('Tampered');
      const donor = await linked('Donor');
      await stack.api.dataSource.query(
        `UPDATE provider_tokens t
            SET access_token_encrypted = d.access_token_encrypted, refresh_token_encrypted = d.refresh_token_encrypted
           FROM provider_tokens d
           JOIN provider_connections dc ON dc.id = d.connection_id AND dc.provider_id = $2
          WHERE t.connection_id = (SELECT id FROM provider_connections WHERE provider_id = $1)`,
        [victim.id, donor.id],
      );
      const before = await stack.controls.counters();
      for (let i = 0; i < 2; i += 1) {
        const res = await api.refresh(victim.id).expect(409);
        expect(res.body).toMatchObject({
          code: 'PROVIDER.TOKENS_UNREADABLE',
          detail: 'The stored authorization cannot be read; link the provider again',
        });
      }
      expect((await stack.controls.counters()).token).toBe(before.token);
      const provider = (await api.get(victim.id).expect(200)).body as ProviderBody;
      expect(provider.status).toBe('error');
      expect(provider.error_message).toBe('The stored authorization cannot be read; link the provider again');
      const errors = (await audit(victim.id)).filter((row) => row.action === 'connection_error');
      expect(errors).toHaveLength(1);
      expect(errors[0].details).toMatchObject({ reason: 'tokens_unreadable', previous_status: 'active' });
      // The donor's own row still works: nothing about it changed.
      await api.refresh(donor.id).expect(200);
    });

    it('without tokens → 409 PROVIDER.NOT_CONNECTED', async () => {
      const provider = await api.created('Nothing to refresh');
      const res = await api.refresh(provider.id).expect(409);
      expect(res.body).toEqual({
        type: 'about:blank',
        title: 'Provider not connected',
        status: 409,
        detail: 'This provider holds no tokens; link it first',
        code: 'PROVIDER.NOT_CONNECTED',
        request_id: expect.any(String),
      });
    });

    it('refreshes: new status, rotated refresh token stored encrypted, one token call, audit token_refreshed', async () => {
      const provider = await linked('Refreshable');
      const before = await tokenRow(provider.id);
      const calls = (await stack.controls.counters()).token_grants.refresh_token;

      const res = await api.refresh(provider.id, { 'x-request-id': 'rid-refresh' }).expect(200);
      const status = res.body as TokenStatusBody;
      expect(status).toEqual({
        status: 'active',
        expires_at: expect.any(String),
        has_refresh_token: true,
        scope: expect.any(String),
        last_refreshed_at: expect.any(String),
        refresh_count: 1,
        refresh_token_expires_at: expect.any(String),
      });
      expect((await stack.controls.counters()).token_grants.refresh_token).toBe(calls + 1);
      const after = await tokenRow(provider.id);
      expect(after.version).toBe(before.version + 1);
      expect(after.access).not.toBe(before.access);
      // The Sandbox rotates: the stored refresh token is the new one (the old one is now `rotated`).
      const issued = await stack.controls.issuedTokens();
      expect(
        issued.filter((token) => token.kind === 'refresh_token' && token.status === 'rotated').length,
      ).toBeGreaterThan(0);
      for (const token of issued) expect(JSON.stringify(after)).not.toContain(token.value);
      expect((await api.tokenStatus(provider.id).expect(200)).body).toEqual(status);
      const [latest] = await audit(provider.id);
      expect(latest).toMatchObject({
        action: 'token_refreshed',
        request_id: 'rid-refresh',
        details: { rotated: true },
      });
    });

    it('concurrent refreshes wait for the running one: one token call, everyone gets its result', async () => {
      const provider = await linked('Concurrent refresh');
      const calls = (await stack.controls.counters()).token_grants.refresh_token;
      await stack.controls.fault({ endpoint: 'token', mode: 'latency', ms: 400 });
      const answers = await Promise.all(Array.from({ length: 5 }, () => api.refresh(provider.id)));
      expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);
      expect(new Set(answers.map((res) => JSON.stringify(res.body))).size).toBe(1);
      expect(answers[0].body.refresh_count).toBe(1);
      expect((await stack.controls.counters()).token_grants.refresh_token).toBe(calls + 1);
    });

    it.each(['5xx', '429', 'timeout'] as const)(
      'the institution failing transiently (%s) → 502 PROVIDER.UNAVAILABLE, tokens kept, still active',
      async (mode) => {
        const provider = await linked(`Transient ${mode}`);
        const before = await tokenRow(provider.id);
        const auditBefore = (await audit(provider.id)).length;
        await stack.controls.fault({ endpoint: 'token', mode });
        const res = await api.refresh(provider.id).expect(502);
        expect(res.body).toEqual({
          type: 'about:blank',
          title: 'Institution unavailable',
          status: 502,
          detail: 'The institution could not be reached; your tokens are unchanged',
          code: 'PROVIDER.UNAVAILABLE',
          request_id: expect.any(String),
        });
        if (mode !== '429') expect(res.headers['retry-after']).toBeUndefined();
        expect(JSON.stringify(res.body)).not.toMatch(/server_error|temporarily|HTTP/);
        expect(await tokenRow(provider.id)).toEqual(before);
        expect((await api.get(provider.id).expect(200)).body).toMatchObject({ status: 'active', is_connected: true });
        expect(await audit(provider.id)).toHaveLength(auditBefore);
        // Once the institution is back, the same tokens refresh fine.
        await api.refresh(provider.id).expect(200);
      },
    );

    it("passes the institution's Retry-After on through a 429", async () => {
      const provider = await linked('Rate limited');
      await stack.controls.fault({ endpoint: 'token', mode: '429', ms: 3_000 });
      const res = await api.refresh(provider.id).expect(502);
      expect(res.body.code).toBe('PROVIDER.UNAVAILABLE');
      expect(res.headers['retry-after']).toBe('3');
    });

    it('the institution refusing the grant (invalid_grant) → 409 PROVIDER.REAUTH_REQUIRED, status requires_reauth', async () => {
      const provider = await linked('Refused');
      await stack.controls.fault({ endpoint: 'token', mode: 'invalid_grant' });
      const res = await api.refresh(provider.id).expect(409);
      expect(res.body).toEqual({
        type: 'about:blank',
        title: 'Provider needs to be linked again',
        status: 409,
        detail: 'The institution no longer accepts this authorization; link the provider again',
        code: 'PROVIDER.REAUTH_REQUIRED',
        request_id: expect.any(String),
      });
      expect((await api.get(provider.id).expect(200)).body).toMatchObject({
        status: 'requires_reauth',
        is_connected: false,
        needs_reconnection: true,
        error_message: expect.any(String),
      });
      expect((await api.tokenStatus(provider.id).expect(200)).body.status).toBe('requires_reauth');
      const [latest] = await audit(provider.id);
      expect(latest).toMatchObject({
        action: 'token_refresh_failed',
        details: { classification: 'permanent', oauth_error: 'invalid_grant', status: 'requires_reauth' },
      });
      // No second call to the institution while the connection needs re-linking.
      const calls = (await stack.controls.counters()).token;
      await api.refresh(provider.id).expect(409);
      expect((await stack.controls.counters()).token).toBe(calls);

      // Linking again in place brings it back.
      expect((await linkThroughBrowser(stack, api, provider.id)).status).toBe(200);
      expect((await api.get(provider.id).expect(200)).body).toMatchObject({
        status: 'active',
        needs_reconnection: false,
      });
    });
  });

  describe('DELETE …/authorization (disconnect)', () => {
    it('revokes at the institution, deletes the tokens, keeps the provider; reconnecting works in place', async () => {
      const provider = await linked('Disconnected');
      const revokes = (await stack.controls.counters()).revoke;
      const connectionId = await connectionIdOf(stack, provider.id);

      await api.disconnect(provider.id, { 'x-request-id': 'rid-disconnect' }).expect(204);
      expect((await stack.controls.counters()).revoke).toBe(revokes + 1);
      expect(await tokenRow(provider.id)).toBeUndefined();
      // RFC 7009: the refresh token revoked its whole grant at the Sandbox.
      const issued = await stack.controls.issuedTokens();
      expect(issued.some((token) => token.kind === 'refresh_token' && token.status === 'revoked')).toBe(true);
      expect((await api.tokenStatus(provider.id).expect(200)).body).toEqual({ status: 'disconnected', ...NO_TOKENS });
      expect((await api.get(provider.id).expect(200)).body).toMatchObject({
        status: 'disconnected',
        is_connected: false,
        connected_at: null,
      });
      const [latest] = await audit(provider.id);
      expect(latest).toMatchObject({
        action: 'connection_revoked',
        request_id: 'rid-disconnect',
        details: { previous_status: 'active', revocation: 'revoked', tokens_deleted: true },
      });
      const refresh = await api.refresh(provider.id).expect(409);
      expect(refresh.body.code).toBe('PROVIDER.NOT_CONNECTED');

      // Disconnecting again changes nothing (and audits nothing).
      const rows = (await audit(provider.id)).length;
      await api.disconnect(provider.id).expect(204);
      expect(await audit(provider.id)).toHaveLength(rows);
      expect((await stack.controls.counters()).revoke).toBe(revokes + 1);

      expect((await linkThroughBrowser(stack, api, provider.id)).status).toBe(200);
      expect((await api.get(provider.id).expect(200)).body).toMatchObject({ id: provider.id, status: 'active' });
      expect(await connectionIdOf(stack, provider.id)).toBe(connectionId);
      expect((await api.tokenStatus(provider.id).expect(200)).body).toMatchObject({
        status: 'active',
        refresh_count: 0,
      });
      expect((await audit(provider.id))[0]).toMatchObject({
        action: 'token_created',
        details: { previous_status: 'disconnected' },
      });
    });

    it('a revocation the institution fails still disconnects, and the audit says so', async () => {
      const provider = await linked('Revocation fails');
      await stack.controls.fault({ endpoint: 'revoke', mode: '5xx' });
      await api.disconnect(provider.id).expect(204);
      expect(await tokenRow(provider.id)).toBeUndefined();
      expect((await audit(provider.id))[0]).toMatchObject({
        action: 'connection_revoked',
        details: { revocation: 'failed', tokens_deleted: true },
      });
    });
  });

  describe('DELETE /providers/{id}', () => {
    it('disconnects first (revocation counted), deletes tokens, keeps the audit trail', async () => {
      const provider = await linked('Deleted while linked');
      const revokes = (await stack.controls.counters()).revoke;
      const connectionId = await connectionIdOf(stack, provider.id);
      await api.remove(provider.id, { 'x-request-id': 'rid-delete-linked' }).expect(204);

      expect((await stack.controls.counters()).revoke).toBe(revokes + 1);
      await api.get(provider.id).expect(404);
      await api.auditLogs(provider.id).expect(404);
      const tokens = (await stack.api.dataSource.query(
        `SELECT count(*)::int AS n FROM provider_tokens WHERE connection_id = $1`,
        [connectionId],
      )) as Array<{ n: number }>;
      expect(tokens[0].n).toBe(0);
      const trail = (await stack.api.dataSource.query(
        `SELECT action, request_id AS "requestId" FROM provider_audit_logs WHERE provider_id = $1
          ORDER BY created_at DESC`,
        [provider.id],
      )) as Array<{ action: string; requestId: string | null }>;
      expect(trail).toEqual([
        { action: 'provider_deleted', requestId: 'rid-delete-linked' },
        { action: 'connection_revoked', requestId: 'rid-delete-linked' },
        { action: 'token_created', requestId: expect.any(String) },
        { action: 'connection_initiated', requestId: expect.any(String) },
        { action: 'provider_created', requestId: expect.any(String) },
      ]);
    });
  });
});

async function connectionIdOf(stack: LinkingStack, providerId: string): Promise<string> {
  const [row] = (await stack.api.dataSource.query(`SELECT id FROM provider_connections WHERE provider_id = $1`, [
    providerId,
  ])) as Array<{ id: string }>;
  return row.id;
}
