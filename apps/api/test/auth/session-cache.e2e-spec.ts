import Redis from 'ioredis';
import request from 'supertest';

import { getConfig } from '@dashtam/config';
import { AuthSessionEntity } from '@dashtam/database';
import { redisKeys } from '@dashtam/platform';
import {
  AuthApi,
  createSignedInUser,
  createTestApp,
  type SignedInUser,
  type TestApp,
  type TcpRelay,
  startTcpRelay,
  type TokenBody,
  waitFor,
} from '@dashtam/testing';

import { MEMORY_TIER_TTL_MS } from '../../src/infra/cache/app-cache.module';

// SPEC §8: a revoked session's access tokens fail within 5 seconds on every instance.
const SPEC_REVOCATION_BOUND_MS = 5_000;

const sessionIdOf = (accessToken: string): string =>
  JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()).sid as string;

// Ends a session behind the api's back: only the cache can still call it live.
const revokeInDatabase = (t: TestApp, sessionId: string) =>
  t.dataSource
    .getRepository(AuthSessionEntity)
    .update({ id: sessionId }, { revokedAt: new Date(), revokedReason: 'revoked' });

/** The Nest cache (Keyv) wraps each value with its expiry. */
const cachedValue = (raw: string | null): unknown =>
  raw === null ? null : (JSON.parse(raw) as { value: unknown }).value;

describe('session validity through the Nest cache', () => {
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(getConfig().redis.url!);
  });
  afterAll(async () => {
    await redis.quit();
  });

  describe('on Redis', () => {
    let t: TestApp;
    let api: AuthApi;

    beforeAll(async () => {
      t = await createTestApp();
      api = new AuthApi(t.url);
    });
    afterAll(async () => {
      await t.close();
    });

    it('answers from memory, then the Redis entry under redisKeys.session, within the TTL in all', async () => {
      const me = await createSignedInUser(t);
      const key = redisKeys.session(sessionIdOf(me.accessToken));
      expect(await redis.exists(key)).toBe(0);

      await api.me(me.accessToken).expect(200);
      expect(cachedValue(await redis.get(key))).toBe(me.user.id);
      // Redis keeps the answer for the budget less the memory tier's share: no answer outlives the TTL.
      const budget = getConfig().auth.sessionCacheTtlSeconds * 1000;
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(budget - Math.min(MEMORY_TIER_TTL_MS, budget / 2));

      // Revoked in the database, yet live for the cache: this request never reached the database.
      await revokeInDatabase(t, sessionIdOf(me.accessToken));
      await api.me(me.accessToken).expect(200);

      // Without the Redis entry the memory tier answers for at most its own TTL, then the database does.
      await redis.del(key);
      const refused = await waitFor(
        'the database to answer once the memory tier forgot',
        async () => {
          const res = await api.me(me.accessToken);
          return res.status === 200 ? undefined : res;
        },
        { timeoutMs: SPEC_REVOCATION_BOUND_MS, intervalMs: 50 },
      );
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('AUTH.SESSION_REVOKED');
      // The refusal is cached too, so a stolen token does not cost a query per request.
      expect(cachedValue(await redis.get(key))).toBe('-');
    });

    it('revoking through the api deletes the entry at once', async () => {
      const me = await createSignedInUser(t);
      const other = (await api.login(me.email, me.password).expect(200)).body as TokenBody;
      const key = redisKeys.session(sessionIdOf(other.access_token));
      await api.me(other.access_token).expect(200);
      expect(await redis.exists(key)).toBe(1);

      await api.revokeSession(me.accessToken, sessionIdOf(other.access_token)).expect(204);
      expect(await redis.exists(key)).toBe(0);
      await api.me(other.access_token).expect(401);
    });
  });

  describe('in memory (REDIS_URL empty: development without Redis)', () => {
    let t: TestApp;
    let api: AuthApi;

    beforeAll(async () => {
      t = await createTestApp({ config: { redis: { url: null } } });
      api = new AuthApi(t.url);
    });
    afterAll(async () => {
      await t.close();
    });

    it('signs in, caches session checks in process memory (nothing in Redis) and forgets revoked ones', async () => {
      const me: SignedInUser = await createSignedInUser(t);
      const other = (await api.login(me.email, me.password).expect(200)).body as TokenBody;
      await api.me(me.accessToken).expect(200);
      await api.me(other.access_token).expect(200);
      expect(await redis.exists(redisKeys.session(sessionIdOf(me.accessToken)))).toBe(0);

      await revokeInDatabase(t, sessionIdOf(me.accessToken));
      await api.me(me.accessToken).expect(200);

      await api.revokeSession(me.accessToken, sessionIdOf(other.access_token)).expect(204);
      await api.me(other.access_token).expect(401);
    });

    it('reports the cache in memory as ready', async () => {
      const ready = await request(t.url).get('/health/ready').expect(200);
      expect(ready.body.info.redis).toEqual({ status: 'up', mode: 'memory' });
    });
  });

  describe('when Redis fails', () => {
    let proxy: TcpRelay;
    let t: TestApp;
    let api: AuthApi;
    let closed = false;

    beforeEach(async () => {
      proxy = await startTcpRelay(new URL(getConfig().redis.url!));
      t = await createTestApp({ config: { redis: { url: proxy.url } } });
      api = new AuthApi(t.url);
      closed = false;
    });
    afterEach(async () => {
      if (!closed) {
        proxy.restore();
        await t.close();
      }
      await proxy.close();
    });

    it('the database answers every session check, promptly, and sees a revocation within the bound', async () => {
      const me = await createSignedInUser(t);
      await api.me(me.accessToken).expect(200);
      expect(await redis.exists(redisKeys.session(sessionIdOf(me.accessToken)))).toBe(1);

      proxy.cut();
      const started = Date.now();
      await api.me(me.accessToken).expect(200);
      await api.me(me.accessToken).expect(200);
      expect(Date.now() - started).toBeLessThan(2_000);

      // Only the memory tier (≤ MEMORY_TIER_TTL_MS) can hide it: the revocation in the database is seen soon.
      await revokeInDatabase(t, sessionIdOf(me.accessToken));
      const refused = await waitFor(
        'the revocation to be seen without Redis',
        async () => {
          const res = await api.me(me.accessToken);
          return res.status === 200 ? undefined : res;
        },
        { timeoutMs: SPEC_REVOCATION_BOUND_MS, intervalMs: 50 },
      );
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('AUTH.SESSION_REVOKED');
    });

    it('shutdown does not wait for replies an unreachable Redis will never send', async () => {
      const me = await createSignedInUser(t);
      await api.me(me.accessToken).expect(200);
      proxy.cut();
      await api.me(me.accessToken).expect(200);

      const closing = Date.now();
      await t.close();
      closed = true;
      expect(Date.now() - closing).toBeLessThan(5_000);
    });
  });
});
