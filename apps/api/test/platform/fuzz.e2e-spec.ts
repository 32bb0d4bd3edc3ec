import { randomUUID } from 'node:crypto';

import request from 'supertest';

import {
  createSignedInUser,
  createTestApp,
  registeredRoutes,
  type Route,
  type SignedInUser,
  type TestApp,
} from '@dashtam/testing';

interface HostileBody {
  name: string;
  type: string;
  body: string;
}

const nested = (levels: number): string => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
const json = (value: unknown): string => JSON.stringify(value);
const everyField = (value: unknown): Record<string, unknown> =>
  Object.fromEntries(
    ['email', 'password', 'name', 'alias', 'provider_key', 'token', 'refresh_token', 'state', 'code'].map((k) => [
      k,
      value,
    ]),
  );

const BODIES: HostileBody[] = [
  { name: 'deep nesting', type: 'application/json', body: nested(3_000) },
  { name: 'NUL in every field', type: 'application/json', body: json(everyField('x\u0000y')) },
  { name: 'lone surrogates in every field', type: 'application/json', body: json(everyField('x\ud800y')) },
  { name: 'a huge string', type: 'application/json', body: json(everyField('x'.repeat(200_000))) },
  { name: 'wrong types', type: 'application/json', body: json(everyField([{ $gt: '' }])) },
  { name: 'an array', type: 'application/json', body: '[1,2,3]' },
  { name: 'a bare number', type: 'application/json', body: '42' },
  { name: 'null', type: 'application/json', body: 'null' },
  { name: 'prototype pollution', type: 'application/json', body: '{"__proto__":{"admin":true},"constructor":{}}' },
  { name: 'malformed JSON', type: 'application/json', body: '{"email":' },
  { name: 'a form', type: 'application/x-www-form-urlencoded', body: 'email=a%40b.test&password=x&alias=y' },
  { name: 'XML', type: 'application/xml', body: '<a><email>a@b.test</email></a>' },
  { name: 'plain text', type: 'text/plain', body: 'hello' },
];

const HOSTILE_SEGMENTS = ['%00', '%E0%A4%A', 'x'.repeat(300), '..%2F..%2Fetc', '%F0%9F%98%80', '1%20OR%201=1'];

// Tables a hostile request must never write (security events and the audit trail may record refusals).
const OWNED_TABLES = [
  'users',
  'providers',
  'provider_connections',
  'provider_tokens',
  'auth_sessions',
  'refresh_tokens',
];

/** Hostile bodies and paths on every route, signed in and not: never a 5xx, always problem+json, nothing stored. */
describe('fuzz: every route against hostile input', () => {
  let t: TestApp;
  let user: SignedInUser;
  let routes: Route[];

  beforeAll(async () => {
    t = await createTestApp({
      config: { auth: { rateLimit: { windowSeconds: 60, perIp: 100_000, perAccount: 100_000 } } },
    });
    user = await createSignedInUser(t);
    routes = registeredRoutes(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const counts = async (): Promise<Record<string, number>> =>
    Object.fromEntries(
      await Promise.all(
        OWNED_TABLES.map(async (table) => {
          const [{ n }] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`)) as Array<{ n: number }>;
          return [table, n] as const;
        }),
      ),
    );

  const send = (route: Route, path: string, auth: boolean, payload?: HostileBody) => {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
    let call = request(t.url)[method](path);
    if (auth) call = call.set(user.auth);
    return payload ? call.set('content-type', payload.type).send(payload.body) : call;
  };

  const verdict = (label: string, res: request.Response): string | null => {
    if (res.status >= 500) return `${label} → ${res.status} ${res.body?.code}`;
    if (res.status >= 400 && !/^application\/problem\+json/.test(res.headers['content-type'] ?? '')) {
      return `${label} → ${res.status} without problem+json`;
    }
    return null;
  };

  it('answers every hostile body on every route without a 5xx, in problem+json, storing nothing', async () => {
    const before = await counts();
    const failures: string[] = [];
    const bodyRoutes = routes.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method));
    expect(bodyRoutes.length).toBeGreaterThan(10);
    for (const route of bodyRoutes) {
      const path = route.path.replace(/:[A-Za-z_]+/g, randomUUID());
      for (const payload of BODIES) {
        for (const auth of [true, false]) {
          const res = await send(route, path, auth, payload);
          const failure = verdict(
            `${route.method} ${route.path} with ${payload.name}${auth ? '' : ' (no token)'}`,
            res,
          );
          if (failure) failures.push(failure);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await counts()).toEqual(before);
  }, 120_000);

  it('answers hostile path segments on every route with parameters without a 5xx, in problem+json', async () => {
    const failures: string[] = [];
    const parameterised = routes.filter((r) => r.path.includes(':'));
    expect(parameterised.length).toBeGreaterThan(5);
    for (const route of parameterised) {
      for (const segment of HOSTILE_SEGMENTS) {
        const path = route.path.replace(/:[A-Za-z_]+/g, segment);
        const res = ['POST', 'PUT', 'PATCH'].includes(route.method)
          ? await send(route, path, true).set('content-type', 'application/json').send('{}')
          : await send(route, path, true);
        const failure = verdict(`${route.method} ${route.path} with ${segment.slice(0, 20)}`, res);
        if (failure) failures.push(failure);
      }
    }
    expect(failures).toEqual([]);
  });
});
