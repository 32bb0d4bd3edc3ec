import request from 'supertest';

import { ProviderEntity, UserEntity } from '@dashtam/database';
import {
  createSignedInUser,
  createTestApp,
  newPassword,
  type SignedInUser,
  type TestApp,
  uniqueEmail,
} from '@dashtam/testing';

const PROBLEM = /^application\/problem\+json/;

/** Values PostgreSQL cannot store (NUL) or would store wrongly (a lone surrogate) never reach it. */
describe('hostile input stops at the edge (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let owner: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await createSignedInUser(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const usersWithEmail = (email: string) => t.dataSource.getRepository(UserEntity).countBy({ email });
  const ownersProviders = () => t.dataSource.getRepository(ProviderEntity).countBy({ userId: owner.user.id });

  it('refuses ~3,000 levels of JSON nesting at parse time with a 400, not a 500', async () => {
    const depth = 3000;
    const body = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    const res = await request(t.url)
      .post('/api/v1/auth/register')
      .set('content-type', 'application/json')
      .send(body)
      .expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({
      code: 'REQUEST.MALFORMED',
      detail: 'The request body nests deeper than 32 levels',
    });
    expect(res.body.request_id).toEqual(expect.any(String));
  });

  it.each([
    ['a NUL in the name', { name: 'Ada\u0000Lovelace' }, 'name', 'nul_character'],
    ['a lone surrogate in the name', { name: 'Ada \ud800' }, 'name', 'invalid_unicode'],
    ['a lone surrogate in the email', { email: 'ada\ud800@example.test' }, 'email', 'invalid_unicode'],
    ['a line break in the name', { name: 'Ada\r\nVisit http://evil.example' }, 'name', 'matches'],
  ])('registration with %s is a 400 naming the field, and nothing is stored', async (_label, patch, field, code) => {
    const email = uniqueEmail('hostile');
    const body = { email, password: newPassword(), name: 'Ada Lovelace', ...patch };
    const res = await request(t.url).post('/api/v1/auth/register').send(body).expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.code).toBe('VALIDATION.FAILED');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
    expect(await usersWithEmail(email)).toBe(0);
  });

  it.each([
    ['a NUL', 'My\u0000Schwab', 'nul_character'],
    ['a lone surrogate', 'My \udc00Schwab', 'invalid_unicode'],
    ['a line break', 'My\nSchwab', 'matches'],
  ])('a provider alias with %s is a 400 and no provider is created', async (_label, alias, code) => {
    const res = await request(t.url)
      .post('/api/v1/providers')
      .set(owner.auth)
      .send({ provider_key: 'sandbox', alias })
      .expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'alias', code })]);
    expect(await ownersProviders()).toBe(0);
  });

  it('PATCH /auth/me with a NUL in the name is a 400 and the name stays', async () => {
    const res = await request(t.url).patch('/api/v1/auth/me').set(owner.auth).send({ name: 'x\u0000' }).expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'name', code: 'nul_character' })]);
    const stored = await t.dataSource.getRepository(UserEntity).findOneByOrFail({ id: owner.user.id });
    expect(stored.name).toBe(owner.user.name);
  });

  it('a NUL in a query parameter is a 400, not a database error', async () => {
    const res = await request(t.url).get('/api/v1/providers?provider_key=%00').set(owner.auth).expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'provider_key', code: 'nul_character' })]);
  });

  it.each(['constructor', '__proto__', 'prototype'])('refuses the query parameter %s as unknown (400)', async (key) => {
    const res = await request(t.url).get(`/api/v1/providers?${key}=1`).set(owner.auth).expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: key, code: 'unknown_field' })]);
  });

  it.each([
    ['a form', 'application/x-www-form-urlencoded', 'email=a%40b.test&password=x'],
    ['plain text', 'text/plain', '{"email":"a@b.test","password":"x"}'],
    ['XML', 'application/xml', '<login><email>a@b.test</email></login>'],
  ])('refuses %s body with 415 problem+json (no CORS-free form posts)', async (_label, type, body) => {
    const res = await request(t.url).post('/api/v1/auth/login').set('content-type', type).send(body).expect(415);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', request_id: expect.any(String) });
  });

  it('takes an empty body of any type on a route without a body', async () => {
    const created = await request(t.url)
      .post('/api/v1/providers')
      .set(owner.auth)
      .send({ provider_key: 'sandbox', alias: 'Empty body' })
      .expect(201);
    await request(t.url)
      .post(`/api/v1/providers/${created.body.id}/authorization`)
      .set(owner.auth)
      .set('content-type', 'text/plain')
      .send('')
      .expect(201);
    await t.dataSource.getRepository(ProviderEntity).delete({ id: created.body.id });
  });

  it('answers a badly %-encoded path with 400 problem+json, without echoing it', async () => {
    const res = await request(t.url).get('/api/v1/providers/%E0%A4%A').set(owner.auth).expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ code: 'REQUEST.MALFORMED', request_id: expect.any(String) });
    expect(res.headers['x-request-id']).toBe(res.body.request_id);
    expect(JSON.stringify(res.body)).not.toContain('%E0');
  });

  it('answers an over-long path parameter with 414 problem+json, without echoing it', async () => {
    const long = 'x'.repeat(500);
    const res = await request(t.url).get(`/api/v1/providers/${long}`).set(owner.auth).expect(414);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ code: 'REQUEST.URI_TOO_LONG', status: 414, request_id: expect.any(String) });
    expect(JSON.stringify(res.body)).not.toContain(long);
  });
});
