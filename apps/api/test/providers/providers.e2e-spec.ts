import { randomUUID } from 'node:crypto';

import request from 'supertest';

import {
  type AuditLogBody,
  createSignedInUser,
  createTestApp,
  type Page,
  type ProviderBody,
  ProvidersApi,
  type SignedInUser,
  type TestApp,
} from '@dashtam/testing';

/**
 * Provider catalog and providers CRUD over real PostgreSQL and Redis. The Sandbox is configured (a
 * loopback base URL) but never called here; Schwab is left without credentials, so "unconfigured" is real.
 */
describe('providers: catalog and CRUD', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let api: ProvidersApi;

  beforeAll(async () => {
    t = await createTestApp({ config: { providers: { schwab: { clientId: null, clientSecret: null } } } });
    owner = await createSignedInUser(t);
    api = new ProvidersApi(t.url, owner.auth);
  });
  afterAll(async () => {
    await t.close();
  });

  const auditOf = async (id: string): Promise<AuditLogBody[]> =>
    ((await api.auditLogs(id, { per_page: 100 }).expect(200)).body as Page<AuditLogBody>).items;

  describe('GET /provider-types (public)', () => {
    it('lists the catalog without a token, configured computed from config', async () => {
      const res = await api.types().expect(200);
      // Like every list: an object with `items`.
      expect(Object.keys(res.body as object)).toEqual(['items']);
      const byKey = Object.fromEntries((res.body.items as Array<{ key: string }>).map((type) => [type.key, type]));
      expect(Object.keys(byKey).sort()).toEqual(['alpaca', 'file', 'sandbox', 'schwab', 'simplefin']);
      expect(byKey.sandbox).toEqual({
        key: 'sandbox',
        name: 'Sandbox Brokerage',
        provider_type: 'brokerage',
        description: expect.any(String),
        auth_type: 'oauth2',
        is_configured: true,
        supported_features: expect.arrayContaining(['accounts', 'transactions', 'token_refresh', 'revocation']),
      });
      expect(byKey.schwab).toMatchObject({ key: 'schwab', name: 'Charles Schwab', is_configured: false });
      expect(byKey.simplefin).toEqual({
        key: 'simplefin',
        name: 'SimpleFIN Bridge',
        provider_type: 'aggregator',
        description: expect.any(String),
        auth_type: 'setup_token',
        // The Sandbox's Bridge is on the testing allow-list.
        is_configured: true,
        supported_features: ['accounts', 'balances', 'positions', 'transactions'],
      });
      // ALPACA_BASE_URL is the Sandbox's loopback URL in testing.
      expect(byKey.alpaca).toMatchObject({ auth_type: 'api_key', provider_type: 'brokerage', is_configured: true });
      expect(byKey.file).toMatchObject({ auth_type: 'file', provider_type: 'import', is_configured: true });
    });

    it('filters by configured=true|false and refuses other values', async () => {
      const configured = await api.types({ configured: 'true' }).expect(200);
      expect((configured.body.items as Array<{ key: string }>).map((type) => type.key)).toEqual([
        'sandbox',
        'simplefin',
        'alpaca',
        'file',
      ]);
      const unconfigured = await api.types({ configured: 'false' }).expect(200);
      expect((unconfigured.body.items as Array<{ key: string }>).map((type) => type.key)).toEqual(['schwab']);
      const bad = await api.types({ configured: 'yes' }).expect(400);
      expect(bad.body.code).toBe('VALIDATION.FAILED');
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'configured' })]);
    });

    it('OpenAPI describes the list as an object with items', async () => {
      const doc = (await request(t.url).get('/docs-json').expect(200)).body as {
        paths: Record<string, Record<string, { responses: Record<string, { content: unknown }> }>>;
        components: { schemas: Record<string, unknown> };
      };
      expect(doc.paths['/api/v1/provider-types'].get.responses['200'].content).toEqual({
        'application/json': { schema: { $ref: '#/components/schemas/ProviderTypeListResponseDto' } },
      });
      expect(doc.components.schemas.ProviderTypeListResponseDto).toEqual({
        type: 'object',
        properties: { items: { type: 'array', items: { $ref: '#/components/schemas/ProviderTypeResponseDto' } } },
        required: ['items'],
      });
    });

    it('answers one type by key, 404 for an unknown key', async () => {
      const res = await api.type('schwab').expect(200);
      expect(res.body).toMatchObject({ key: 'schwab', auth_type: 'oauth2', is_configured: false });
      const missing = await api.type('fidelity').expect(404);
      expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(missing.body).toMatchObject({ status: 404, code: 'PROVIDER_TYPE.NOT_FOUND' });
    });
  });

  describe('POST /providers', () => {
    it('creates a pending provider with every field present and audits provider_created', async () => {
      const res = await api
        .create(
          { provider_key: 'sandbox', alias: '  My Sandbox  ' },
          { 'user-agent': 'ua-create', 'x-request-id': 'rid-create-1' },
        )
        .expect(201);
      const body = res.body as ProviderBody;
      expect(body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        provider_key: 'sandbox',
        alias: 'My Sandbox',
        status: 'pending',
        is_connected: false,
        needs_reconnection: false,
        connected_at: null,
        last_sync_at: null,
        next_sync_at: null,
        accounts_count: 0,
        error_message: null,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      const [connection] = (await t.dataSource.query(
        `SELECT c.status FROM provider_connections c WHERE c.provider_id = $1`,
        [body.id],
      )) as Array<{ status: string }>;
      expect(connection.status).toBe('pending');
      const audit = await auditOf(body.id);
      expect(audit).toEqual([
        {
          id: expect.any(String),
          action: 'provider_created',
          details: { provider_key: 'sandbox', alias: 'My Sandbox' },
          ip_address: '127.0.0.1',
          user_agent: 'ua-create',
          request_id: 'rid-create-1',
          created_at: expect.any(String),
        },
      ]);
    });

    it('refuses an unknown key and an unconfigured key with 400 and writes nothing', async () => {
      const before = await countProviders(t, owner.user.id);
      const unknown = await api.create({ provider_key: 'fidelity', alias: 'F' }).expect(400);
      expect(unknown.body).toMatchObject({ code: 'PROVIDER.UNKNOWN_KEY' });
      expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'provider_key' })]);
      const unconfigured = await api.create({ provider_key: 'schwab', alias: 'S' }).expect(400);
      expect(unconfigured.body).toMatchObject({ code: 'PROVIDER.NOT_CONFIGURED' });
      expect(await countProviders(t, owner.user.id)).toBe(before);
    });

    it('validates the body strictly', async () => {
      const res = await api.create({ provider_key: 'sandbox', alias: '   ', extra: 1 }).expect(400);
      expect(res.body.code).toBe('VALIDATION.FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['alias', 'extra']);
      await api.create({ provider_key: 'sandbox', alias: 'x'.repeat(101) }).expect(400);
      await api.create({ alias: 'no key' }).expect(400);
    });

    it('an alias taken by the same user is a 409 (also under a race); another user may use it', async () => {
      await api.created('Taken');
      const again = await api.create({ provider_key: 'sandbox', alias: 'Taken' }).expect(409);
      expect(again.body).toMatchObject({ code: 'PROVIDER.ALIAS_TAKEN', status: 409 });

      const racing = await Promise.all([1, 2, 3, 4].map(() => api.create({ provider_key: 'sandbox', alias: 'Race' })));
      expect(racing.map((res) => res.status).sort()).toEqual([201, 409, 409, 409]);
      expect(await countAudit(t, owner.user.id, 'provider_created', 'Race')).toBe(1);

      const other = await createSignedInUser(t);
      await new ProvidersApi(t.url, other.auth).create({ provider_key: 'sandbox', alias: 'Taken' }).expect(201);
    });

    it('needs an access token', async () => {
      const res = await new ProvidersApi(t.url, {}).create({ provider_key: 'sandbox', alias: 'x' }).expect(401);
      expect(res.body.code).toBe('AUTH.UNAUTHORIZED');
    });
  });

  describe('GET /providers', () => {
    let user: SignedInUser;
    let mine: ProvidersApi;

    beforeAll(async () => {
      user = await createSignedInUser(t);
      mine = new ProvidersApi(t.url, user.auth);
      for (const alias of ['Echo', 'Alpha', 'Delta', 'Charlie', 'Bravo']) await mine.created(alias);
    });

    it('pages with defaults and the full envelope', async () => {
      const res = await mine.list().expect(200);
      expect(res.body).toMatchObject({ total: 5, page: 1, per_page: 50, pages: 1, has_next: false, has_prev: false });
      // Newest first by default.
      expect((res.body as Page<ProviderBody>).items.map((p) => p.alias)).toEqual([
        'Bravo',
        'Charlie',
        'Delta',
        'Alpha',
        'Echo',
      ]);
    });

    it('walks pages without overlap', async () => {
      const first = (await mine.list({ per_page: 2, sort: 'alias', order: 'asc' }).expect(200))
        .body as Page<ProviderBody>;
      expect(first).toMatchObject({ total: 5, page: 1, per_page: 2, pages: 3, has_next: true, has_prev: false });
      expect(first.items.map((p) => p.alias)).toEqual(['Alpha', 'Bravo']);
      const last = (await mine.list({ per_page: 2, page: 3, sort: 'alias', order: 'asc' }).expect(200))
        .body as Page<ProviderBody>;
      expect(last).toMatchObject({ page: 3, pages: 3, has_next: false, has_prev: true });
      expect(last.items.map((p) => p.alias)).toEqual(['Echo']);
      const beyond = (await mine.list({ per_page: 2, page: 9 }).expect(200)).body as Page<ProviderBody>;
      expect(beyond).toMatchObject({ items: [], total: 5, page: 9, pages: 3, has_next: false, has_prev: true });
    });

    it('filters by status and provider_key, sorts descending by alias', async () => {
      const pending = (await mine.list({ status: 'pending', sort: 'alias', order: 'desc' }).expect(200))
        .body as Page<ProviderBody>;
      expect(pending.items.map((p) => p.alias)).toEqual(['Echo', 'Delta', 'Charlie', 'Bravo', 'Alpha']);
      const active = (await mine.list({ status: 'active' }).expect(200)).body as Page<ProviderBody>;
      expect(active).toMatchObject({ items: [], total: 0, pages: 0 });
      const schwab = (await mine.list({ provider_key: 'schwab' }).expect(200)).body as Page<ProviderBody>;
      expect(schwab.total).toBe(0);
    });

    it.each([
      [{ per_page: 0 }, 'per_page'],
      [{ per_page: 101 }, 'per_page'],
      [{ per_page: 'ten' }, 'per_page'],
      [{ page: 0 }, 'page'],
      [{ page: 1.5 }, 'page'],
      [{ status: 'gone' }, 'status'],
      [{ provider_key: 'fidelity' }, 'provider_key'],
      [{ sort: 'password' }, 'sort'],
      [{ order: 'up' }, 'order'],
      [{ unknown: 'x' }, 'unknown'],
    ])('refuses %p with 400 on %s', async (query, field) => {
      const res = await mine.list(query as Record<string, string | number>).expect(400);
      expect(res.body.code).toBe('VALIDATION.FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('accepts the bounds per_page=1 and per_page=100', async () => {
      expect((await mine.list({ per_page: 1 }).expect(200)).body).toMatchObject({ per_page: 1, pages: 5 });
      expect((await mine.list({ per_page: 100 }).expect(200)).body).toMatchObject({ per_page: 100, pages: 1 });
    });

    it("shows only the caller's providers", async () => {
      const stranger = await createSignedInUser(t);
      const res = await new ProvidersApi(t.url, stranger.auth).list().expect(200);
      expect(res.body).toMatchObject({ items: [], total: 0 });
    });
  });

  describe('GET / PATCH / DELETE /providers/{id}', () => {
    it('reads one provider', async () => {
      const created = await api.created('Readable');
      const res = await api.get(created.id).expect(200);
      expect(res.body).toEqual(created);
    });

    it('renames, audits provider_updated, and answers 409 for a taken alias', async () => {
      const created = await api.created('Old name');
      await api.created('Occupied');
      const renamed = await api.update(created.id, { alias: 'New name' }, { 'x-request-id': 'rid-rename' }).expect(200);
      expect(renamed.body).toMatchObject({ id: created.id, alias: 'New name', status: 'pending' });
      const clash = await api.update(created.id, { alias: 'Occupied' }).expect(409);
      expect(clash.body.code).toBe('PROVIDER.ALIAS_TAKEN');
      await api.update(created.id, { alias: 'New name' }).expect(200);
      const audit = await auditOf(created.id);
      expect(audit.map((row) => row.action)).toEqual(['provider_updated', 'provider_created']);
      expect(audit[0]).toMatchObject({
        details: { previous_alias: 'Old name', alias: 'New name' },
        request_id: 'rid-rename',
      });
      await api.update(created.id, { alias: 'x', status: 'active' }).expect(400);
    });

    it('deletes a never-linked provider: 204, gone, alias free, audit trail kept', async () => {
      const created = await api.created('Short-lived');
      await api.remove(created.id, { 'x-request-id': 'rid-delete' }).expect(204);
      await api.get(created.id).expect(404);
      await api.remove(created.id).expect(404);
      await api.created('Short-lived');
      const rows = (await t.dataSource.query(
        `SELECT action, request_id AS "requestId" FROM provider_audit_logs WHERE provider_id = $1 ORDER BY created_at`,
        [created.id],
      )) as Array<{ action: string; requestId: string }>;
      // Nothing to disconnect: no connection_revoked row.
      expect(rows).toEqual([
        { action: 'provider_created', requestId: expect.any(String) },
        { action: 'provider_deleted', requestId: 'rid-delete' },
      ]);
    });

    it('validates ids before they reach the database: a malformed id is 400', async () => {
      for (const res of [
        await api.get('not-a-uuid'),
        await api.update('123', { alias: 'x' }),
        await api.remove('123'),
        await api.authorize('123'),
        await api.tokenStatus('123'),
        await api.refresh('123'),
        await api.disconnect('123'),
        await api.auditLogs('123'),
      ]) {
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION.FAILED');
        expect(res.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
      }
    });

    it('an unknown id is 404 PROVIDER.NOT_FOUND on every route', async () => {
      const id = randomUUID();
      for (const res of [
        await api.get(id),
        await api.update(id, { alias: 'x' }),
        await api.remove(id),
        await api.authorize(id),
        await api.tokenStatus(id),
        await api.refresh(id),
        await api.disconnect(id),
        await api.auditLogs(id),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('PROVIDER.NOT_FOUND');
      }
    });

    it("another user's provider is indistinguishable from a missing one on every route", async () => {
      const victim = await api.created('Victim');
      const intruder = new ProvidersApi(t.url, (await createSignedInUser(t)).auth);
      const missing = await intruder.get(randomUUID());
      for (const res of [
        await intruder.get(victim.id),
        await intruder.update(victim.id, { alias: 'Mine now' }),
        await intruder.remove(victim.id),
        await intruder.authorize(victim.id),
        await intruder.tokenStatus(victim.id),
        await intruder.refresh(victim.id),
        await intruder.disconnect(victim.id),
        await intruder.auditLogs(victim.id),
      ]) {
        expect(res.status).toBe(404);
        expect({ ...res.body, request_id: null }).toEqual({ ...missing.body, request_id: null });
      }
      // Nothing changed for the owner.
      expect((await api.get(victim.id).expect(200)).body).toMatchObject({ alias: 'Victim', status: 'pending' });
      expect((await auditOf(victim.id)).map((row) => row.action)).toEqual(['provider_created']);
    });
  });

  it('OpenAPI documents every provider route, its responses and which routes are public', async () => {
    const doc = (await request(t.url).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
    };
    const expected: Array<[string, string, string[]]> = [
      ['/api/v1/provider-types', 'get', ['200', '400']],
      ['/api/v1/provider-types/{key}', 'get', ['200', '404']],
      ['/api/v1/providers', 'post', ['201', '400', '401', '409']],
      ['/api/v1/providers', 'get', ['200', '400', '401']],
      ['/api/v1/providers/{id}', 'get', ['200', '400', '401', '404']],
      ['/api/v1/providers/{id}', 'patch', ['200', '400', '401', '404', '409']],
      ['/api/v1/providers/{id}', 'delete', ['204', '400', '401', '404']],
      ['/api/v1/providers/{id}/authorization', 'post', ['201', '400', '401', '404']],
      ['/api/v1/providers/{id}/authorization', 'get', ['200', '400', '401', '404']],
      ['/api/v1/providers/{id}/authorization', 'patch', ['200', '401', '404', '409', '502']],
      ['/api/v1/providers/{id}/authorization', 'delete', ['204', '401', '404']],
      ['/api/v1/providers/{id}/audit-logs', 'get', ['200', '400', '401', '404']],
      ['/api/v1/oauth/callbacks', 'post', ['200', '400', '401', '502']],
    ];
    for (const [path, method, statuses] of expected) {
      const operation = doc.paths[path]?.[method];
      expect({ path, method, documented: Boolean(operation) }).toEqual({ path, method, documented: true });
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(statuses));
      const isPublic = path.startsWith('/api/v1/provider-types') || path === '/api/v1/oauth/callbacks';
      expect(operation.security).toEqual(isPublic ? [] : [{ bearer: [] }]);
    }
  });

  describe('GET /providers/{id}/audit-logs', () => {
    it('pages newest first and refuses out-of-range paging', async () => {
      const created = await api.created('Audited');
      for (const alias of ['Audited 2', 'Audited 3', 'Audited 4']) await api.update(created.id, { alias }).expect(200);
      const first = (await api.auditLogs(created.id, { per_page: 3 }).expect(200)).body as Page<AuditLogBody>;
      expect(first).toMatchObject({ total: 4, page: 1, per_page: 3, pages: 2, has_next: true, has_prev: false });
      expect(first.items.map((row) => row.details.alias)).toEqual(['Audited 4', 'Audited 3', 'Audited 2']);
      const second = (await api.auditLogs(created.id, { per_page: 3, page: 2 }).expect(200)).body as Page<AuditLogBody>;
      expect(second.items.map((row) => row.action)).toEqual(['provider_created']);
      await api.auditLogs(created.id, { per_page: 101 }).expect(400);
      await api.auditLogs(created.id, { page: 0 }).expect(400);
    });
  });
});

async function countProviders(t: TestApp, userId: string): Promise<number> {
  const [row] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM providers WHERE user_id = $1`, [
    userId,
  ])) as Array<{ n: number }>;
  return row.n;
}

async function countAudit(t: TestApp, userId: string, action: string, alias: string): Promise<number> {
  const [row] = (await t.dataSource.query(
    `SELECT count(*)::int AS n FROM provider_audit_logs WHERE user_id = $1 AND action = $2 AND details->>'alias' = $3`,
    [userId, action, alias],
  )) as Array<{ n: number }>;
  return row.n;
}
