import * as argon2 from 'argon2';

import { AuthSessionEntity, RefreshTokenEntity, SecurityEventEntity, UserEntity } from '@dashtam/database';
import {
  AuthApi,
  createSignedInUser,
  createTestApp,
  createUser,
  newPassword,
  type TestApp,
  type TokenBody,
  uniqueEmail,
  waitFor,
} from '@dashtam/testing';

import { hashSecret } from '../../src/auth/tokens/opaque-token';

const decodeJwt = (token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } => {
  const [header, payload] = token
    .split('.')
    .slice(0, 2)
    .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
  return { header, payload };
};

describe('login, /auth/me and password change', () => {
  let t: TestApp;
  let api: AuthApi;

  beforeAll(async () => {
    t = await createTestApp();
    api = new AuthApi(t.url);
  });
  afterAll(async () => {
    await t.close();
  });

  const eventsOf = async (userId: string): Promise<SecurityEventEntity[]> =>
    t.dataSource.getRepository(SecurityEventEntity).find({ where: { userId }, order: { createdAt: 'ASC' } });

  describe('POST /api/v1/auth/login', () => {
    it('issues a Bearer JWT (user id + session id, no PII) and an opaque refresh token stored hashed', async () => {
      const { user, email, password } = await createUser(t, { name: 'Grace' });
      const res = await api.login(email.toUpperCase(), password, { 'user-agent': 'Firefox/128' }).expect(200);
      const body = res.body as TokenBody;
      expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type', 'user']);
      expect(body.token_type).toBe('Bearer');
      expect(body.expires_in).toBe(900);
      expect(body.user).toMatchObject({ id: user.id, email, name: 'Grace', email_verified: true, is_active: true });
      expect(Date.now() - Date.parse(body.user.last_login_at!)).toBeLessThan(10_000);

      const { header, payload } = decodeJwt(body.access_token);
      expect(header.alg).toBe('HS256');
      expect(Object.keys(payload).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'sid', 'sub']);
      expect(payload.sub).toBe(user.id);
      expect(JSON.stringify(payload)).not.toContain(email);
      expect((payload.exp as number) - (payload.iat as number)).toBe(900);

      const session = await t.dataSource
        .getRepository(AuthSessionEntity)
        .findOneByOrFail({ id: payload.sid as string });
      expect(session).toMatchObject({
        userId: user.id,
        userAgent: 'Firefox/128',
        ipAddress: '127.0.0.1',
        revokedAt: null,
      });

      const [id, secret] = body.refresh_token.split('.');
      const stored = await t.dataSource.getRepository(RefreshTokenEntity).findOneByOrFail({ id });
      expect(stored.sessionId).toBe(session.id);
      expect(stored.tokenHash).toBe(hashSecret(secret));
      expect(stored.usedAt).toBeNull();

      const events = await eventsOf(user.id);
      expect(events.map((e) => e.event)).toEqual(['login_succeeded']);
      expect(events[0]).toMatchObject({ sessionId: session.id, userAgent: 'Firefox/128', ipAddress: '127.0.0.1' });
    });

    it('answers an unknown email and a wrong password identically (401 AUTH.INVALID_CREDENTIALS)', async () => {
      const { user, email } = await createUser(t);
      const wrong = await api.login(email, newPassword()).expect(401);
      const unknown = await api.login(uniqueEmail('ghost'), newPassword()).expect(401);
      const strip = (body: Record<string, unknown>) => ({ ...body, request_id: null });
      expect(strip(wrong.body)).toEqual(strip(unknown.body));
      expect(wrong.body).toEqual({
        type: 'about:blank',
        title: 'Invalid credentials',
        status: 401,
        detail: 'The email or password is not correct',
        code: 'AUTH.INVALID_CREDENTIALS',
        request_id: expect.any(String),
      });
      expect((await eventsOf(user.id)).map((e) => [e.event, e.details])).toEqual([
        ['login_failed', { reason: 'wrong_password' }],
      ]);
      const anonymous = await t.dataSource
        .getRepository(SecurityEventEntity)
        .findOneByOrFail({ requestId: unknown.body.request_id });
      expect(anonymous).toMatchObject({ event: 'login_failed', userId: null, details: { reason: 'unknown_email' } });
    });

    it('refuses an unverified email with 403 AUTH.EMAIL_NOT_VERIFIED, but only after a correct password', async () => {
      const { email, password } = await createUser(t, { verified: false });
      await api.login(email, newPassword()).expect(401);
      const res = await api.login(email, password).expect(403);
      expect(res.body.code).toBe('AUTH.EMAIL_NOT_VERIFIED');
    });

    it('refuses a disabled account with 403 AUTH.ACCOUNT_DISABLED', async () => {
      const { email, password } = await createUser(t, { active: false });
      const res = await api.login(email, password).expect(403);
      expect(res.body.code).toBe('AUTH.ACCOUNT_DISABLED');
    });

    it('upgrades a hash made with weaker argon2 parameters on the next login', async () => {
      const { user, email, password } = await createUser(t);
      const weak = await argon2.hash(password, {
        type: argon2.argon2id,
        memoryCost: 2048,
        timeCost: 1,
        parallelism: 1,
      });
      await t.dataSource.getRepository(UserEntity).update({ id: user.id }, { passwordHash: weak });
      await api.login(email, password).expect(200);
      const after = await t.dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id });
      expect(after.passwordHash).toMatch(/^\$argon2id\$v=19\$m=4096,t=1,p=1\$/);
      expect(await argon2.verify(after.passwordHash, password)).toBe(true);
    });

    it('validates the body (400 VALIDATION.FAILED)', async () => {
      const res = await api.login('nobody', '').expect(400);
      expect(res.body.code).toBe('VALIDATION.FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'password']);
    });
  });

  describe('AUTH_REQUIRE_VERIFIED_EMAIL=false', () => {
    let relaxed: TestApp;

    beforeAll(async () => {
      relaxed = await createTestApp({ config: { auth: { requireVerifiedEmail: false } } });
    });
    afterAll(async () => {
      await relaxed.close();
    });

    it('lets an unverified user sign in', async () => {
      const { email, password } = await createUser(relaxed, { verified: false });
      const res = await new AuthApi(relaxed.url).login(email, password).expect(200);
      expect(res.body.user.email_verified).toBe(false);
    });
  });

  describe('GET and PATCH /api/v1/auth/me', () => {
    it('answers the signed-in user', async () => {
      const me = await createSignedInUser(t, { name: 'Margaret' });
      const res = await api.me(me.accessToken).expect(200);
      expect(res.body).toEqual(me.login.user);
    });

    it('changes the name (trimmed) and nothing else', async () => {
      const me = await createSignedInUser(t);
      const res = await api.updateMe(me.accessToken, { name: '  Katherine Johnson ' }).expect(200);
      expect(res.body).toEqual({ ...me.login.user, name: 'Katherine Johnson' });
      expect((await api.me(me.accessToken)).body.name).toBe('Katherine Johnson');
      await api.updateMe(me.accessToken, {}).expect(200);
      expect((await api.me(me.accessToken)).body.name).toBe('Katherine Johnson');
    });

    it('refuses other fields and an empty name (400 VALIDATION.FAILED)', async () => {
      const me = await createSignedInUser(t);
      const res = await api.updateMe(me.accessToken, { name: ' ', email: 'evil@example.test' }).expect(400);
      expect(res.body.code).toBe('VALIDATION.FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'name']);
      expect((await api.me(me.accessToken)).body).toEqual(me.login.user);
    });

    it('stops answering once the user is disabled (within the 5 s session cache)', async () => {
      const me = await createSignedInUser(t);
      await api.me(me.accessToken).expect(200);
      await t.dataSource.getRepository(UserEntity).update({ id: me.user.id }, { isActive: false });
      const started = Date.now();
      const status = await waitFor(
        'the disabled user to be refused',
        async () => {
          const current = (await api.me(me.accessToken)).status;
          return current === 200 ? undefined : current;
        },
        { timeoutMs: 7_000, intervalMs: 100 },
      );
      expect(status).toBe(401);
      expect(Date.now() - started).toBeLessThanOrEqual(5_500);
    });
  });

  describe('POST /api/v1/auth/me/password', () => {
    it('changes the password, keeps this session and ends every other one', async () => {
      const me = await createSignedInUser(t);
      const other = await api.login(me.email, me.password).expect(200);
      const replacement = newPassword();

      await api.changePassword(me.accessToken, me.password, replacement).expect(204);

      await api.me(me.accessToken).expect(200);
      const otherMe = await api.me(other.body.access_token).expect(401);
      expect(otherMe.body.code).toBe('AUTH.SESSION_REVOKED');
      await api.refresh(other.body.refresh_token).expect(401);
      await api.refresh(me.refreshToken).expect(200);

      await api.login(me.email, me.password).expect(401);
      await api.login(me.email, replacement).expect(200);

      const changed = (await eventsOf(me.user.id)).find((e) => e.event === 'password_changed');
      expect(changed).toMatchObject({ details: { sessions_revoked: 1 } });
      expect(JSON.stringify(changed)).not.toContain(replacement);
    });

    it('refuses a wrong current password (400 AUTH.CURRENT_PASSWORD_INVALID) and changes nothing', async () => {
      const me = await createSignedInUser(t);
      const res = await api.changePassword(me.accessToken, newPassword(), newPassword()).expect(400);
      expect(res.body.code).toBe('AUTH.CURRENT_PASSWORD_INVALID');
      await api.login(me.email, me.password).expect(200);
    });

    it('applies the password policy to the new password', async () => {
      const me = await createSignedInUser(t);
      const res = await api.changePassword(me.accessToken, me.password, 'qwerty123456').expect(400);
      expect(res.body).toMatchObject({
        code: 'AUTH.PASSWORD_POLICY',
        errors: [{ field: 'new_password', code: 'password_too_common', message: expect.any(String) }],
      });
    });

    it('needs an access token', async () => {
      const res = await api.changePassword('', 'a', 'b');
      expect(res.status).toBe(401);
    });
  });
});
