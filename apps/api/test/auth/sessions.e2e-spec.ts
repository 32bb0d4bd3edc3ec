import { randomUUID } from 'node:crypto';

import { JwtService } from '@nestjs/jwt';

import { getConfig } from '@dashtam/config';
import { AuthSessionEntity, RefreshTokenEntity, SecurityEventEntity } from '@dashtam/database';
import {
  AuthApi,
  createSignedInUser,
  createTestApp,
  type SignedInUser,
  type TestApp,
  type TokenBody,
  waitFor,
} from '@dashtam/testing';

// SPEC §8: a revoked session's access tokens fail within 5 seconds on every instance.
const SPEC_REVOCATION_BOUND_MS = 5_000;

const sessionIdOf = (accessToken: string): string =>
  JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()).sid as string;

describe('sessions: refresh rotation, reuse detection, logout, listing and revocation', () => {
  let t: TestApp;
  let api: AuthApi;

  beforeAll(async () => {
    t = await createTestApp();
    api = new AuthApi(t.url);
  });
  afterAll(async () => {
    await t.close();
  });

  const sessionRow = (id: string) => t.dataSource.getRepository(AuthSessionEntity).findOneByOrFail({ id });

  describe('POST /api/v1/auth/refresh', () => {
    it('rotates: a new refresh token every time, the session stays the same', async () => {
      const me = await createSignedInUser(t);
      const first = (await api.refresh(me.refreshToken, { 'user-agent': 'Phone/2' }).expect(200)).body as TokenBody;
      expect(first.refresh_token).not.toBe(me.refreshToken);
      expect(first.user).toEqual(me.login.user);
      const second = (await api.refresh(first.refresh_token).expect(200)).body as TokenBody;
      expect(new Set([me.refreshToken, first.refresh_token, second.refresh_token]).size).toBe(3);
      expect(sessionIdOf(second.access_token)).toBe(sessionIdOf(me.accessToken));
      await api.me(second.access_token).expect(200);

      const tokens = await t.dataSource
        .getRepository(RefreshTokenEntity)
        .find({ where: { sessionId: sessionIdOf(me.accessToken) }, order: { createdAt: 'ASC' } });
      expect(tokens).toHaveLength(3);
      expect(tokens.map((r) => r.usedAt === null)).toEqual([false, false, true]);
      const session = await sessionRow(sessionIdOf(me.accessToken));
      expect(session.userAgent).toBe('Phone/2');
    });

    it('reuse of a rotated token → 401 AUTH.REFRESH_TOKEN_REUSED and revokes that session only', async () => {
      const me = await createSignedInUser(t);
      const laptop = (await api.login(me.email, me.password).expect(200)).body as TokenBody;
      const rotated = (await api.refresh(me.refreshToken).expect(200)).body as TokenBody;

      const reuse = await api.refresh(me.refreshToken).expect(401);
      expect(reuse.body).toMatchObject({ code: 'AUTH.REFRESH_TOKEN_REUSED', status: 401 });

      const session = await sessionRow(sessionIdOf(me.accessToken));
      expect(session.revokedAt).toBeInstanceOf(Date);
      expect(session.revokedReason).toBe('refresh_reuse');
      // The thief's and the owner's copies both die with the session, at once.
      expect((await api.refresh(rotated.refresh_token).expect(401)).body.code).toBe('AUTH.REFRESH_TOKEN_INVALID');
      expect((await api.me(rotated.access_token).expect(401)).body.code).toBe('AUTH.SESSION_REVOKED');
      // The user's other session is untouched.
      await api.me(laptop.access_token).expect(200);
      await api.refresh(laptop.refresh_token).expect(200);

      const events = await t.dataSource.getRepository(SecurityEventEntity).findBy({ userId: me.user.id });
      expect(events.filter((e) => e.event === 'refresh_token_reused')).toEqual([
        expect.objectContaining({ sessionId: session.id, requestId: reuse.body.request_id }),
      ]);
    });

    it('two concurrent refreshes with one token: one wins, the other is reuse (no grace period)', async () => {
      const me = await createSignedInUser(t);
      const results = await Promise.all([api.refresh(me.refreshToken), api.refresh(me.refreshToken)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
      expect(results.find((r) => r.status === 401)!.body.code).toBe('AUTH.REFRESH_TOKEN_REUSED');
      expect((await sessionRow(sessionIdOf(me.accessToken))).revokedReason).toBe('refresh_reuse');
    });

    it('refuses malformed, unknown and wrong-secret tokens (401) without ending the session', async () => {
      const me = await createSignedInUser(t);
      const [id] = me.refreshToken.split('.');
      const candidates = ['garbage', `${randomUUID()}.${'A'.repeat(43)}`, `${id}.${'B'.repeat(43)}`];
      for (const token of candidates) {
        const res = await api.refresh(token).expect(401);
        expect(res.body.code).toBe('AUTH.REFRESH_TOKEN_INVALID');
      }
      expect((await sessionRow(sessionIdOf(me.accessToken))).revokedAt).toBeNull();
      await api.refresh(me.refreshToken).expect(200);
    });

    it('refuses an expired refresh token', async () => {
      const me = await createSignedInUser(t);
      const [id] = me.refreshToken.split('.');
      await t.dataSource.getRepository(RefreshTokenEntity).update({ id }, { expiresAt: new Date(Date.now() - 1_000) });
      expect((await api.refresh(me.refreshToken).expect(401)).body.code).toBe('AUTH.REFRESH_TOKEN_INVALID');
    });

    it('needs the token in the body', async () => {
      const res = await api.refresh(undefined as unknown as string).expect(400);
      expect(res.body.errors[0].field).toBe('refresh_token');
    });
  });

  describe('POST /api/v1/auth/logout', () => {
    it("ends the refresh token's session: 204, then its tokens stop working", async () => {
      const me = await createSignedInUser(t);
      await api.logout(me.accessToken, me.refreshToken).expect(204);
      expect((await api.me(me.accessToken).expect(401)).body.code).toBe('AUTH.SESSION_REVOKED');
      await api.refresh(me.refreshToken).expect(401);
      expect((await sessionRow(sessionIdOf(me.accessToken))).revokedReason).toBe('logout');
    });

    it("never ends another user's session", async () => {
      const me = await createSignedInUser(t);
      const victim = await createSignedInUser(t);
      await api.logout(me.accessToken, victim.refreshToken).expect(204);
      await api.me(victim.accessToken).expect(200);
      await api.refresh(victim.refreshToken).expect(200);
    });

    it('needs an access token', async () => {
      const me = await createSignedInUser(t);
      await api.logout('', me.refreshToken).expect(401);
      await api.refresh(me.refreshToken).expect(200);
    });
  });

  describe('GET /api/v1/auth/sessions', () => {
    it("lists the caller's live sessions with `current` and nobody else's", async () => {
      const me = await createSignedInUser(t, { userAgent: 'Desktop/1' });
      const phone = (await api.login(me.email, me.password, { 'user-agent': 'Phone/1' }).expect(200)).body as TokenBody;
      const ended = (await api.login(me.email, me.password).expect(200)).body as TokenBody;
      await api.logout(ended.access_token, ended.refresh_token).expect(204);
      await createSignedInUser(t);

      const res = await api.sessions(phone.access_token).expect(200);
      expect(Object.keys(res.body)).toEqual(['items']);
      expect(res.body.items).toHaveLength(2);
      for (const item of res.body.items) {
        expect(Object.keys(item).sort()).toEqual([
          'created_at',
          'current',
          'id',
          'ip_address',
          'last_used_at',
          'user_agent',
        ]);
      }
      const byId = Object.fromEntries(res.body.items.map((i: { id: string }) => [i.id, i]));
      expect(byId[sessionIdOf(phone.access_token)]).toMatchObject({
        user_agent: 'Phone/1',
        current: true,
        ip_address: '127.0.0.1',
      });
      expect(byId[sessionIdOf(me.accessToken)]).toMatchObject({ user_agent: 'Desktop/1', current: false });
    });
  });

  describe('DELETE /api/v1/auth/sessions/{id}', () => {
    let me: SignedInUser;
    let other: TokenBody;

    beforeEach(async () => {
      me = await createSignedInUser(t);
      other = (await api.login(me.email, me.password).expect(200)).body as TokenBody;
    });

    it('ends one of your sessions; its access token is refused at once', async () => {
      await api.me(other.access_token).expect(200);
      await api.revokeSession(me.accessToken, sessionIdOf(other.access_token)).expect(204);
      expect((await api.me(other.access_token).expect(401)).body.code).toBe('AUTH.SESSION_REVOKED');
      await api.refresh(other.refresh_token).expect(401);
      await api.me(me.accessToken).expect(200);
      const events = await t.dataSource
        .getRepository(SecurityEventEntity)
        .findBy({ userId: me.user.id, event: 'session_revoked' });
      expect(events.map((e) => e.sessionId)).toEqual([sessionIdOf(other.access_token)]);
    });

    it("answers 404 for another user's session and leaves it alone", async () => {
      const stranger = await createSignedInUser(t);
      const res = await api.revokeSession(me.accessToken, sessionIdOf(stranger.accessToken)).expect(404);
      expect(res.body).toMatchObject({ code: 'AUTH.SESSION_NOT_FOUND', status: 404 });
      await api.me(stranger.accessToken).expect(200);
    });

    it('answers 404 for an unknown or already ended session, 400 for a non-UUID', async () => {
      await api.revokeSession(me.accessToken, randomUUID()).expect(404);
      await api.revokeSession(me.accessToken, sessionIdOf(other.access_token)).expect(204);
      await api.revokeSession(me.accessToken, sessionIdOf(other.access_token)).expect(404);
      const bad = await api.revokeSession(me.accessToken, 'not-a-uuid').expect(400);
      expect(bad.body).toMatchObject({
        code: 'VALIDATION.FAILED',
        errors: [{ field: 'id', code: 'isUuid', message: 'id must be a UUID' }],
      });
    });
  });

  describe('the access token check on every protected route', () => {
    const jwt = new JwtService();
    const secret = getConfig().auth.jwtSecret;
    const sign = (payload: object, options: object) =>
      jwt.sign(payload, { secret, issuer: 'dashtam', audience: 'dashtam-api', algorithm: 'HS256', ...options });

    it('missing → 401 AUTH.UNAUTHORIZED with a Bearer challenge', async () => {
      const res = await api.me('').expect(401);
      expect(res.body).toMatchObject({ code: 'AUTH.UNAUTHORIZED', status: 401 });
      expect(res.headers['www-authenticate']).toBe('Bearer realm="dashtam"');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('malformed, forged, unsigned or foreign-audience tokens → 401 AUTH.TOKEN_INVALID', async () => {
      const me = await createSignedInUser(t);
      const sid = sessionIdOf(me.accessToken);
      const [h, p] = me.accessToken.split('.');
      const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
      const tokens = [
        'not-a-jwt',
        `${h}.${p}.${'x'.repeat(43)}`,
        unsigned,
        jwt.sign(
          { sid },
          { secret: 'another-secret-that-is-long-enough-0123456789', subject: me.user.id, expiresIn: 60 },
        ),
        sign({ sid }, { subject: me.user.id, expiresIn: 60, audience: 'someone-else' }),
      ];
      for (const token of tokens) {
        const res = await api.me(token).expect(401);
        expect(res.body.code).toBe('AUTH.TOKEN_INVALID');
        expect(res.headers['www-authenticate']).toBe('Bearer realm="dashtam", error="invalid_token"');
      }
    });

    it('expired → 401 AUTH.TOKEN_EXPIRED', async () => {
      const me = await createSignedInUser(t);
      const expired = sign(
        { sid: sessionIdOf(me.accessToken), exp: Math.floor(Date.now() / 1000) - 10 },
        { subject: me.user.id },
      );
      expect((await api.me(expired).expect(401)).body.code).toBe('AUTH.TOKEN_EXPIRED');
    });

    it('a well-signed token for an unknown session, or naming another user, → 401 AUTH.SESSION_REVOKED', async () => {
      const me = await createSignedInUser(t);
      const stranger = await createSignedInUser(t);
      const unknownSession = sign({ sid: randomUUID() }, { subject: me.user.id, expiresIn: 60 });
      const borrowed = sign({ sid: sessionIdOf(stranger.accessToken) }, { subject: me.user.id, expiresIn: 60 });
      for (const token of [unknownSession, borrowed]) {
        expect((await api.me(token).expect(401)).body.code).toBe('AUTH.SESSION_REVOKED');
      }
    });
  });

  describe('revocation across instances', () => {
    let second: TestApp;

    beforeAll(async () => {
      second = await createTestApp();
    });
    afterAll(async () => {
      await second.close();
    });

    it('a session revoked on one instance is refused there at once, and by another within its memory tier', async () => {
      const me = await createSignedInUser(t);
      const other = (await api.login(me.email, me.password).expect(200)).body as TokenBody;
      const secondApi = new AuthApi(second.url);
      await secondApi.me(other.access_token).expect(200);
      await api.revokeSession(me.accessToken, sessionIdOf(other.access_token)).expect(204);
      await api.me(other.access_token).expect(401);
      // The shared Redis entry is gone; the second instance's in-process answer lives at most a second.
      const status = await waitFor(
        'the second instance to refuse the revoked session',
        async () => {
          const current = (await secondApi.me(other.access_token)).status;
          return current === 200 ? undefined : current;
        },
        { timeoutMs: SPEC_REVOCATION_BOUND_MS, intervalMs: 50 },
      );
      expect(status).toBe(401);
    });

    it('a session ended behind the cache (directly in the database) is refused within 5 seconds', async () => {
      const me = await createSignedInUser(t);
      await api.me(me.accessToken).expect(200);
      await t.dataSource
        .getRepository(AuthSessionEntity)
        .update({ id: sessionIdOf(me.accessToken) }, { revokedAt: new Date(), revokedReason: 'revoked' });
      const started = Date.now();
      const status = await waitFor(
        'the ended session to be refused',
        async () => {
          const current = (await new AuthApi(second.url).me(me.accessToken)).status;
          return current === 200 ? undefined : current;
        },
        { timeoutMs: 7_000, intervalMs: 100 },
      );
      expect(status).toBe(401);
      expect(Date.now() - started).toBeLessThanOrEqual(5_500);
    });
  });
});
