import { randomUUID } from 'node:crypto';

import request from 'supertest';

import { createTestApp, registeredRoutes, type Route, type TestApp } from '@dashtam/testing';

// SPEC §8: the only routes that answer without an access token. The OAuth callback is guarded by the
// callback app's shared secret instead.
const PUBLIC_ROUTES = new Set([
  'GET /',
  'GET /health',
  'GET /health/ready',
  'GET /api/v1/provider-types',
  'GET /api/v1/provider-types/:key',
  'POST /api/v1/auth/register',
  'POST /api/v1/auth/verify-email',
  'POST /api/v1/auth/verification-emails',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/refresh',
  'POST /api/v1/password-resets',
  'POST /api/v1/password-resets/verify',
  'POST /api/v1/password-resets/complete',
  'POST /api/v1/oauth/callbacks',
]);
describe('deny by default', () => {
  let t: TestApp;
  let routes: Route[];

  beforeAll(async () => {
    t = await createTestApp();
    routes = registeredRoutes(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('finds the registered routes', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'GET /health',
        'POST /api/v1/auth/login',
        'GET /api/v1/auth/me',
        'DELETE /api/v1/auth/sessions/:id',
      ]),
    );
  });

  it('marks public only routes the SPEC makes public', () => {
    const publicRoutes = routes.filter((r) => r.public).map((r) => `${r.method} ${r.path}`);
    expect(publicRoutes.filter((r) => !PUBLIC_ROUTES.has(r))).toEqual([]);
  });

  it('answers 401 problem+json without a token on every other route', async () => {
    const guarded = routes.filter((r) => !PUBLIC_ROUTES.has(`${r.method} ${r.path}`));
    expect(guarded.length).toBeGreaterThan(5);
    const failures: string[] = [];
    for (const route of guarded) {
      const path = route.path.replace(/:[A-Za-z_]+/g, randomUUID());
      const call = request(t.url)[route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete'](path);
      const res = ['POST', 'PUT', 'PATCH'].includes(route.method) ? await call.send({}) : await call;
      const ok =
        res.status === 401 &&
        res.body.code === 'AUTH.UNAUTHORIZED' &&
        /^application\/problem\+json/.test(res.headers['content-type'] ?? '');
      if (!ok) failures.push(`${route.method} ${route.path} → ${res.status} ${res.body?.code}`);
    }
    expect(failures).toEqual([]);
  });

  it('documents the bearer requirement in OpenAPI: on protected operations, not on public ones', async () => {
    const doc = (await request(t.url).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/api/v1/auth/me'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/v1/auth/login'].post.security).toEqual([]);
    expect(doc.paths['/health'].get.security).toEqual([]);
    expect(JSON.stringify(doc)).not.toContain('x-dashtam-public');
  });
});
