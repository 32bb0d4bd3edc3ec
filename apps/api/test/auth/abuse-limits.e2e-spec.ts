import { randomInt } from 'node:crypto';

import type Redis from 'ioredis';

import { SecurityEventEntity, UserEntity } from '@dashtam/database';
import { redisKeys } from '@dashtam/platform';
import { AuthApi, createTestApp, createUser, newPassword, type TestApp, uniqueEmail, waitFor } from '@dashtam/testing';

import { REDIS_CLIENT } from '../../src/infra/redis/redis.tokens';

// A documentation-range address per test, so counters of other tests and suites never mix in.
const clientIp = (): string => `198.51.100.${randomInt(1, 255)}`;
const from = (ip: string): Record<string, string> => ({ 'x-forwarded-for': ip });

describe('rate limits (Redis, shared by instances) and login lockout', () => {
  describe('per address, across two instances sharing Redis', () => {
    let a: TestApp;
    let b: TestApp;

    beforeAll(async () => {
      const config = {
        app: { trustProxy: ['127.0.0.1'] },
        auth: { rateLimit: { windowSeconds: 60, perIp: 3, perAccount: 1000 } },
      };
      [a, b] = await Promise.all([createTestApp({ config }), createTestApp({ config })]);
    });
    afterAll(async () => {
      await Promise.all([a.close(), b.close()]);
    });

    it('counts requests from one address on both instances together; then 429 with Retry-After', async () => {
      const ip = clientIp();
      const statuses: number[] = [];
      for (const t of [a, b, a])
        statuses.push((await new AuthApi(t.url).login(uniqueEmail(), newPassword(), from(ip))).status);
      expect(statuses).toEqual([401, 401, 401]);

      const limited = await new AuthApi(b.url).login(uniqueEmail(), newPassword(), from(ip));
      expect(limited.status).toBe(429);
      expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(limited.body).toEqual({
        type: 'about:blank',
        title: 'Too many requests',
        status: 429,
        detail: 'Too many requests; retry later',
        code: 'RATE_LIMITED',
        request_id: expect.any(String),
      });
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      await new AuthApi(a.url).login(uniqueEmail(), newPassword(), from(ip)).expect(429);
      // Another address is not affected.
      await new AuthApi(a.url).login(uniqueEmail(), newPassword(), from(clientIp())).expect(401);
    });

    it('limits registration, verification and reset requests the same way', async () => {
      const api = new AuthApi(a.url);
      const calls = [
        (ip: string) => api.register({ email: uniqueEmail(), password: newPassword(), name: 'Rate' }, from(ip)),
        (ip: string) => api.resendVerification(uniqueEmail(), from(ip)),
        (ip: string) => api.requestPasswordReset(uniqueEmail(), from(ip)),
      ];
      for (const call of calls) {
        const ip = clientIp();
        const statuses: number[] = [];
        for (let i = 0; i < 4; i += 1) statuses.push((await call(ip)).status);
        expect(statuses.slice(0, 3).every((s) => s < 300)).toBe(true);
        expect(statuses[3]).toBe(429);
      }
    });
  });

  describe('per account', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({
        config: {
          app: { trustProxy: ['127.0.0.1'] },
          auth: { rateLimit: { windowSeconds: 60, perIp: 1000, perAccount: 2 }, lockout: { threshold: 100 } },
        },
      });
    });
    afterAll(async () => {
      await t.close();
    });

    it('limits one email across addresses (any case), whether or not the account exists', async () => {
      const api = new AuthApi(t.url);
      for (const email of [(await createUser(t)).email, uniqueEmail('ghost')]) {
        await api.login(email, newPassword(), from(clientIp())).expect(401);
        await api.login(email.toUpperCase(), newPassword(), from(clientIp())).expect(401);
        const limited = await api.login(` ${email} `, newPassword(), from(clientIp())).expect(429);
        expect(limited.headers['retry-after']).toMatch(/^\d+$/);
        await api.login(uniqueEmail(), newPassword(), from(clientIp())).expect(401);
      }
    });
  });

  describe('X-Forwarded-For is believed only from configured proxies', () => {
    let direct: TestApp;
    let redis: Redis;

    beforeAll(async () => {
      direct = await createTestApp({ config: { app: { trustProxy: false }, auth: { rateLimit: { perIp: 2 } } } });
      redis = direct.app.get(REDIS_CLIENT);
      // This instance counts by the real peer (127.0.0.1), shared with earlier suites: start clean.
      const keys = await redis.keys(redisKeys.throttleCounter('ip', '*'));
      if (keys.length > 0) await redis.del(...keys);
    });
    afterAll(async () => {
      await direct.close();
    });

    it('ignores a spoofed header from an untrusted peer', async () => {
      const api = new AuthApi(direct.url);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1)
        statuses.push((await api.login(uniqueEmail(), newPassword(), from(clientIp()))).status);
      expect(statuses).toEqual([401, 401, 429]);
    });

    it('records the peer address, not the claimed one, in the audit trail', async () => {
      const { user, email } = await createUser(direct);
      const keys = await redis.keys(redisKeys.throttleCounter('ip', '*'));
      if (keys.length > 0) await redis.del(...keys);
      await new AuthApi(direct.url).login(email, newPassword(), from('203.0.113.9')).expect(401);
      const event = await direct.dataSource.getRepository(SecurityEventEntity).findOneByOrFail({ userId: user.id });
      expect(event.ipAddress).toBe('127.0.0.1');
    });

    it('uses the forwarded address behind a trusted proxy', async () => {
      const proxied = await createTestApp({ config: { app: { trustProxy: ['127.0.0.1'] } } });
      try {
        const { user, email } = await createUser(proxied);
        await new AuthApi(proxied.url).login(email, newPassword(), from('203.0.113.9')).expect(401);
        const event = await proxied.dataSource.getRepository(SecurityEventEntity).findOneByOrFail({ userId: user.id });
        expect(event.ipAddress).toBe('203.0.113.9');
      } finally {
        await proxied.close();
      }
    });
  });

  describe('lockout after repeated failed logins', () => {
    let t: TestApp;
    let other: TestApp;
    let api: AuthApi;

    beforeAll(async () => {
      const config = { auth: { lockout: { threshold: 3, windowSeconds: 60, durationSeconds: 2 } } };
      [t, other] = await Promise.all([createTestApp({ config }), createTestApp({ config })]);
      api = new AuthApi(t.url);
    });
    afterAll(async () => {
      await Promise.all([t.close(), other.close()]);
    });

    it('locks the account (423 + Retry-After) even for the right password, then lets it in after expiry', async () => {
      const { user, email, password } = await createUser(t);
      await api.login(email, newPassword()).expect(401);
      await new AuthApi(other.url).login(email, newPassword()).expect(401);
      const locking = await api.login(email, newPassword()).expect(423);
      expect(locking.body).toMatchObject({
        code: 'AUTH.ACCOUNT_LOCKED',
        status: 423,
        title: 'Account temporarily locked',
      });
      expect(locking.headers['retry-after']).toBe('2');

      const right = await new AuthApi(other.url).login(email, password).expect(423);
      expect(Number(right.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      const row = await t.dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id });
      expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now());

      await waitFor('the lock to end', () => row.lockedUntil!.getTime() <= Date.now(), { timeoutMs: 3_000 });
      const ok = await api.login(email, password).expect(200);
      expect(ok.body.user.id).toBe(user.id);
      const after = await t.dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id });
      expect(after).toMatchObject({ failedLoginCount: 0, lockedUntil: null, failedLoginsSince: null });

      const events = await t.dataSource
        .getRepository(SecurityEventEntity)
        .find({ where: { userId: user.id }, order: { createdAt: 'ASC' } });
      expect(events.map((e) => [e.event, e.details])).toEqual([
        ['login_failed', { reason: 'wrong_password' }],
        ['login_failed', { reason: 'wrong_password' }],
        ['login_failed', { reason: 'wrong_password' }],
        ['account_locked', { seconds: 2 }],
        ['login_failed', { reason: 'locked' }],
        ['login_succeeded', {}],
      ]);
    });

    it('reserves each attempt before hashing: 20 parallel guesses check at most the threshold, and the right password is then refused', async () => {
      const { user, email, password } = await createUser(t);
      const guesses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => new AuthApi(i % 2 === 0 ? t.url : other.url).login(email, newPassword())),
      );
      const statuses = guesses.map((res) => res.status).sort();
      // Threshold 3: two plain failures, the third locks, every other attempt is refused unchecked.
      expect(statuses).toEqual([401, 401, ...Array<number>(18).fill(423)]);
      const checked = await t.dataSource
        .getRepository(SecurityEventEntity)
        .find({ where: { userId: user.id, event: 'login_failed' } });
      expect(checked.filter((e) => e.details.reason === 'wrong_password')).toHaveLength(3);

      const right = await api.login(email, password).expect(423);
      expect(right.body.code).toBe('AUTH.ACCOUNT_LOCKED');
    });

    it('answers an unknown email exactly like an existing one (no enumeration through the lockout)', async () => {
      const { email } = await createUser(t);
      const ghost = uniqueEmail('ghost');
      const run = async (address: string) => {
        const out: Array<[number, string, string | undefined]> = [];
        for (let i = 0; i < 4; i += 1) {
          const res = await api.login(address, newPassword());
          out.push([res.status, res.body.code, res.headers['retry-after']]);
        }
        return out;
      };
      const expected = [
        [401, 'AUTH.INVALID_CREDENTIALS', undefined],
        [401, 'AUTH.INVALID_CREDENTIALS', undefined],
        [423, 'AUTH.ACCOUNT_LOCKED', '2'],
        [423, 'AUTH.ACCOUNT_LOCKED', expect.stringMatching(/^[12]$/)],
      ];
      expect(await run(email)).toEqual(expected);
      expect(await run(ghost)).toEqual(expected);
    });

    it('counts only failures inside the window', async () => {
      const windowed = await createTestApp({
        config: { auth: { lockout: { threshold: 2, windowSeconds: 1, durationSeconds: 60 } } },
      });
      try {
        const { user, email, password } = await createUser(windowed);
        const wapi = new AuthApi(windowed.url);
        await wapi.login(email, newPassword()).expect(401);
        await waitFor(
          'the first failure to leave the window',
          async () => {
            const [{ outside }] = (await windowed.dataSource.query(
              `SELECT failed_logins_since <= now() - interval '1 second' AS outside FROM users WHERE id = $1`,
              [user.id],
            )) as Array<{ outside: boolean }>;
            return outside;
          },
          { timeoutMs: 3_000 },
        );
        await wapi.login(email, newPassword()).expect(401);
        await wapi.login(email, password).expect(200);
      } finally {
        await windowed.close();
      }
    });
  });
});
