import request from 'supertest';

import { getConfig } from '@dashtam/config';
import {
  AuthApi,
  createSignedInUser,
  createTestApp,
  newPassword,
  type TcpRelay,
  startTcpRelay,
  type TestApp,
  uniqueEmail,
  waitFor,
} from '@dashtam/testing';

/**
 * Redis stops answering under a running api (a TCP relay the test cuts, never the machine's Redis): the
 * routes that need Redis answer 503 problem+json with Retry-After at once, the others keep working from the
 * database, and everything recovers without a restart when Redis is back.
 */
describe('a Redis outage: fast, honest answers and recovery without restart', () => {
  let proxy: TcpRelay;
  let t: TestApp;

  beforeAll(async () => {
    proxy = await startTcpRelay(new URL(getConfig().redis.url!));
    t = await createTestApp({ config: { redis: { url: proxy.url } } });
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
  });

  const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> => {
    const started = Date.now();
    const value = await work();
    return { value, ms: Date.now() - started };
  };

  it('rate-limited routes answer 503 (not 500) within a second; signed-in reads keep working', async () => {
    const me = await createSignedInUser(t);
    const api = new AuthApi(t.url);
    await api.login(me.email, me.password).expect(200);

    proxy.cut();
    for (let i = 0; i < 3; i += 1) {
      const { value: res, ms } = await timed(async () =>
        request(t.url).post('/api/v1/auth/login').send({ email: uniqueEmail(), password: newPassword() }),
      );
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'SERVICE.UNAVAILABLE', status: 503, request_id: expect.any(String) });
      expect(res.headers['retry-after']).toBe('5');
      expect(ms).toBeLessThan(1_000);
    }
    const { value: read, ms } = await timed(async () => api.me(me.accessToken));
    expect(read.status).toBe(200);
    expect(ms).toBeLessThan(1_000);

    proxy.restore();
    await waitFor('sign-in to work again', async () => (await api.login(me.email, me.password)).status === 200, {
      timeoutMs: 10_000,
    });
  });
});

/**
 * PostgreSQL stops answering under a running api (a TCP relay the test cuts, never the machine's
 * PostgreSQL): reads answer 503 problem+json with Retry-After within the connect timeout instead of
 * hanging or answering 500, and the api recovers without a restart.
 */
describe('a PostgreSQL outage: 503 with Retry-After, recovery without restart', () => {
  let proxy: TcpRelay;
  let t: TestApp;

  beforeAll(async () => {
    proxy = await startTcpRelay(new URL(getConfig().database.url));
    t = await createTestApp({ config: { database: { url: proxy.url } } });
  });
  afterAll(async () => {
    proxy?.restore();
    await t?.close();
    await proxy?.close();
  });

  it('a signed-in read answers 503 (not 500, not a hang) while the database is gone, and works again after', async () => {
    const me = await createSignedInUser(t);
    const auth = { authorization: `Bearer ${me.accessToken}` };
    await request(t.url).get('/api/v1/providers').set(auth).expect(200);

    proxy.cut();
    const started = Date.now();
    const res = await request(t.url).get('/api/v1/providers').set(auth);
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'SERVICE.UNAVAILABLE', request_id: expect.any(String) });
    expect(res.headers['retry-after']).toBe('5');
    expect(Date.now() - started).toBeLessThan(5_000);

    proxy.restore();
    await waitFor(
      'reads to work again',
      async () => (await request(t.url).get('/api/v1/providers').set(auth)).status === 200,
      { timeoutMs: 15_000 },
    );
  }, 30_000);
});
