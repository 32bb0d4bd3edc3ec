import request from 'supertest';

import { createSignedInUser, createTestApp, ProvidersApi, type TestApp } from '@dashtam/testing';

describe('api platform (real PostgreSQL + Redis)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET / answers name and version, and not which environment runs', async () => {
    const res = await request(t.url).get('/').expect(200);
    expect(res.body).toEqual({ name: 'dashtam', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('GET /health is liveness, GET /health/ready checks PostgreSQL and Redis', async () => {
    await request(t.url).get('/health').expect(200, { status: 'ok' });
    const ready = await request(t.url).get('/health/ready').expect(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.details.database.status).toBe('up');
    expect(ready.body.details.redis).toEqual({ status: 'up' });
  });

  it('echoes a sane X-Request-Id and mints one otherwise', async () => {
    const mine = await request(t.url).get('/health').set('X-Request-Id', 'abc-123').expect(200);
    expect(mine.headers['x-request-id']).toBe('abc-123');
    const minted = await request(t.url).get('/health').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(minted.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('unknown routes answer 404 problem+json with the request id', async () => {
    const res = await request(t.url).get('/api/v1/no-such-thing').set('X-Request-Id', 'rid-404').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Not found',
      status: 404,
      detail: 'No such route',
      code: 'ROUTE.NOT_FOUND',
      request_id: 'rid-404',
    });
  });

  it('a known path with the wrong method answers 405 with Allow', async () => {
    const res = await request(t.url).delete('/health').expect(405);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(res.body.code).toBe('ROUTE.METHOD_NOT_ALLOWED');
  });

  it('malformed JSON answers 400 in the same shape', async () => {
    const res = await request(t.url)
      .post('/api/v1/anything')
      .set('content-type', 'application/json')
      .send('{bad')
      .expect(400);
    expect(res.body).toMatchObject({ status: 400, code: 'REQUEST.MALFORMED', request_id: expect.any(String) });
  });

  describe('Content-Type: application/json with an empty body (frontends set the header globally)', () => {
    const json = { 'content-type': 'application/json' };

    it('is accepted by a route that takes no body; a malformed body there is still 400', async () => {
      const owner = await createSignedInUser(t);
      const provider = await new ProvidersApi(t.url, owner.auth).created('Empty body');
      const path = `/api/v1/providers/${provider.id}/authorization`;

      const started = await request(t.url)
        .post(path)
        .set({ ...owner.auth, ...json })
        .send('')
        .expect(201);
      expect(started.body).toEqual({ authorization_url: expect.any(String), expires_at: expect.any(String) });

      const malformed = await request(t.url)
        .post(path)
        .set({ ...owner.auth, ...json })
        .send('{')
        .expect(400);
      expect(malformed.body).toEqual({
        type: 'about:blank',
        title: 'Malformed request',
        status: 400,
        detail: expect.any(String),
        code: 'REQUEST.MALFORMED',
        request_id: expect.any(String),
      });
      // Whitespace is not an empty body: it is not JSON either.
      const blank = await request(t.url)
        .post(path)
        .set({ ...owner.auth, ...json })
        .send('  ')
        .expect(400);
      expect(blank.body.code).toBe('REQUEST.MALFORMED');
    });

    it('is the normal validation 400 on a route that takes a body', async () => {
      const res = await request(t.url).post('/api/v1/auth/login').set(json).send('').expect(400);
      expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION.FAILED' });
      expect(new Set((res.body.errors as Array<{ field: string }>).map((error) => error.field))).toEqual(
        new Set(['email', 'password']),
      );
    });
  });

  it('a body over the limit answers 413 in the same shape', async () => {
    const big = JSON.stringify({ blob: 'x'.repeat(2 * 1024 * 1024) });
    const res = await request(t.url)
      .post('/api/v1/anything')
      .set('content-type', 'application/json')
      .send(big)
      .expect(413);
    expect(res.body).toMatchObject({ status: 413, code: 'REQUEST.TOO_LARGE' });
  });

  it('sets security headers and honours the CORS allow-list', async () => {
    const allowed = await request(t.url).get('/health').set('Origin', 'http://localhost:3000').expect(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(allowed.headers['x-content-type-options']).toBe('nosniff');
    expect(allowed.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const foreign = await request(t.url).get('/health').set('Origin', 'https://evil.example').expect(200);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves the OpenAPI document at /docs outside production', async () => {
    const res = await request(t.url).get('/docs-json').expect(200);
    expect(res.body.info.title).toBe('Dashtam API');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/health', '/health/ready']));
  });
});
