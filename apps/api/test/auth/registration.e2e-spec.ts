import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { EmailVerificationTokenEntity, SecurityEventEntity, UserEntity } from '@dashtam/database';
import {
  AuthApi,
  createTestApp,
  createUser,
  EmlDirectoryMailbox,
  newPassword,
  type TestApp,
  tokenFromLink,
  uniqueEmail,
  waitForMail,
} from '@dashtam/testing';

import { hashSecret } from '../../src/auth/tokens/opaque-token';

const USER_KEYS = ['created_at', 'email', 'email_verified', 'id', 'is_active', 'last_login_at', 'name'];

describe('registration and email verification (mail as .eml files)', () => {
  let t: TestApp;
  let api: AuthApi;
  let mailbox: EmlDirectoryMailbox;

  beforeAll(async () => {
    mailbox = new EmlDirectoryMailbox(await mkdtemp(join(tmpdir(), 'dashtam-mail-')));
    t = await createTestApp({ config: { mail: { smtpUrl: null, dir: mailbox.dir } } });
    api = new AuthApi(t.url);
  });
  afterAll(async () => {
    await t.close();
  });

  const verificationTokenFor = async (email: string, count = 1): Promise<string> =>
    tokenFromLink(await waitForMail(mailbox, email, count), '/verify-email');

  describe('POST /api/v1/auth/register', () => {
    it('creates the user (201, SPEC user object, email lower-cased) and mails a verification link', async () => {
      const email = uniqueEmail('Reg').replace('reg', 'REG');
      const res = await api.register({ email: `  ${email} `, password: newPassword(), name: ' Ada Lovelace ' });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(USER_KEYS);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: email.toLowerCase(),
        name: 'Ada Lovelace',
        email_verified: false,
        is_active: true,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        last_login_at: null,
      });

      const row = await t.dataSource.getRepository(UserEntity).findOneByOrFail({ id: res.body.id });
      expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=4096,t=1,p=1\$/);
      expect(row.emailVerifiedAt).toBeNull();

      const mail = await waitForMail(mailbox, email.toLowerCase());
      expect(mail.subject).toBe('Verify your email address');
      expect(mail.from).toContain('no-reply@localhost');
      expect(mail.text).toContain('http://localhost:3000/verify-email?token=');
      expect(mail.html).toContain('href="http://localhost:3000/verify-email?token=');
      const token = tokenFromLink(mail, '/verify-email');
      // Only the hash is stored, with a 24-hour expiry.
      const stored = await t.dataSource
        .getRepository(EmailVerificationTokenEntity)
        .findOneByOrFail({ userId: res.body.id });
      expect(stored.tokenHash).toBe(hashSecret(token));
      expect(stored.tokenHash).not.toContain(token);
      const ttl = stored.expiresAt.getTime() - stored.createdAt.getTime();
      expect(Math.abs(ttl - 24 * 3600 * 1000)).toBeLessThan(5_000);

      const events = await t.dataSource.getRepository(SecurityEventEntity).findBy({ userId: res.body.id });
      expect(events.map((e) => e.event)).toEqual(['user_registered']);
      expect(events[0].requestId).toEqual(expect.any(String));
      expect(events[0].ipAddress).toBe('127.0.0.1');
    });

    it('writes owner-only .eml files', async () => {
      const email = uniqueEmail();
      await api.register({ email, password: newPassword(), name: 'Perms' }).expect(201);
      await waitForMail(mailbox, email);
      const names = await readdir(mailbox.dir);
      const modes = await Promise.all(names.map(async (n) => (await stat(join(mailbox.dir, n))).mode & 0o777));
      expect(new Set(modes)).toEqual(new Set([0o600]));
    });

    it('refuses a duplicate email in any case with 409 AUTH.EMAIL_TAKEN', async () => {
      const email = uniqueEmail();
      await api.register({ email, password: newPassword(), name: 'First' }).expect(201);
      const res = await api.register({ email: email.toUpperCase(), password: newPassword(), name: 'Second' });
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toEqual({
        type: 'about:blank',
        title: 'Email already registered',
        status: 409,
        detail: 'An account with this email already exists',
        code: 'AUTH.EMAIL_TAKEN',
        request_id: expect.any(String),
      });
      expect(await t.dataSource.getRepository(UserEntity).countBy({ email })).toBe(1);
    });

    it('answers exactly one 201 when the same email registers twice at once', async () => {
      const email = uniqueEmail();
      const results = await Promise.all(
        [1, 2, 3].map(() => api.register({ email, password: newPassword(), name: 'Racer' })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    });

    it.each([
      ['too short', 'short-pw', ['password_too_short']],
      ['too long', 'x'.repeat(129), ['password_too_long']],
      ['too common', 'Password1234', ['password_too_common']],
    ])('refuses a password that is %s, naming the rule (400 AUTH.PASSWORD_POLICY)', async (_c, password, codes) => {
      const email = uniqueEmail();
      const res = await api.register({ email, password, name: 'Weak' });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('AUTH.PASSWORD_POLICY');
      expect(res.body.errors.map((e: { code: string }) => e.code)).toEqual(codes);
      expect(res.body.errors[0].field).toBe('password');
      expect(await t.dataSource.getRepository(UserEntity).countBy({ email })).toBe(0);
    });

    it('refuses the email as password', async () => {
      const email = `${'long-enough-'}${uniqueEmail()}`;
      const res = await api.register({ email, password: email.toUpperCase(), name: 'Same' });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { field: 'password', code: 'password_equals_email', message: 'must not be your email address' },
      ]);
    });

    it('validates the body strictly (400 VALIDATION.FAILED with field errors)', async () => {
      const res = await api.register({ email: 'not-an-email', password: 7, name: '', admin: true });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION.FAILED');
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(new Set(fields)).toEqual(new Set(['email', 'password', 'name', 'admin']));
    });
  });

  describe('POST /api/v1/auth/verify-email', () => {
    it('verifies with the mailed token once (200 user), then refuses it (400)', async () => {
      const email = uniqueEmail();
      const reg = await api.register({ email, password: newPassword(), name: 'Verify' }).expect(201);
      const token = await verificationTokenFor(email);

      const ok = await api.verifyEmail(token).expect(200);
      expect(ok.body).toMatchObject({ id: reg.body.id, email, email_verified: true });
      const row = await t.dataSource.getRepository(UserEntity).findOneByOrFail({ id: reg.body.id });
      expect(row.emailVerifiedAt).toBeInstanceOf(Date);

      const again = await api.verifyEmail(token).expect(400);
      expect(again.body).toMatchObject({ code: 'AUTH.VERIFICATION_TOKEN_INVALID', status: 400 });
      const events = await t.dataSource.getRepository(SecurityEventEntity).findBy({ userId: reg.body.id });
      expect(events.map((e) => e.event).sort()).toEqual(['email_verified', 'user_registered']);
    });

    it('refuses an unknown or malformed token with 400 AUTH.VERIFICATION_TOKEN_INVALID', async () => {
      for (const token of ['x'.repeat(43), 'short', 'a'.repeat(256)]) {
        const res = await api.verifyEmail(token).expect(400);
        expect(res.body.code).toBe('AUTH.VERIFICATION_TOKEN_INVALID');
      }
    });

    it('refuses an expired token', async () => {
      const email = uniqueEmail();
      const reg = await api.register({ email, password: newPassword(), name: 'Late' }).expect(201);
      const token = await verificationTokenFor(email);
      await t.dataSource
        .getRepository(EmailVerificationTokenEntity)
        .update({ userId: reg.body.id }, { expiresAt: new Date(Date.now() - 1000) });
      const res = await api.verifyEmail(token).expect(400);
      expect(res.body.code).toBe('AUTH.VERIFICATION_TOKEN_INVALID');
    });

    it('needs a token in the body (400 VALIDATION.FAILED)', async () => {
      const res = await api.verifyEmail(undefined as unknown as string).expect(400);
      expect(res.body.code).toBe('VALIDATION.FAILED');
    });
  });

  describe('POST /api/v1/auth/verification-emails', () => {
    it('answers 202 {status: "accepted"} alike for unknown, verified and unverified emails', async () => {
      const unverified = uniqueEmail();
      await api.register({ email: unverified, password: newPassword(), name: 'Un' }).expect(201);
      const verified = await createUser(t);
      const answers = await Promise.all(
        [uniqueEmail('nobody'), verified.email, unverified].map((e) => api.resendVerification(e)),
      );
      for (const res of answers) {
        expect(res.status).toBe(202);
        expect(res.body).toEqual({ status: 'accepted' });
      }
      // Only the unverified account gets mail: the registration one plus this one.
      await waitForMail(mailbox, unverified, 2);
      expect(await mailbox.messagesFor(verified.email)).toHaveLength(0);
    });

    it('answers before the per-account work, so a known address costs the request no more than an unknown one', async () => {
      const email = uniqueEmail();
      await api.register({ email, password: newPassword(), name: 'Held' }).expect(201);
      await verificationTokenFor(email, 1);
      const holder = t.dataSource.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      try {
        await holder.query('LOCK TABLE email_verification_tokens IN ACCESS EXCLUSIVE MODE');
        await api.resendVerification(email).timeout(5_000).expect(202);
        expect(await mailbox.messagesFor(email)).toHaveLength(1);
      } finally {
        await holder.rollbackTransaction();
        await holder.release();
      }
      await verificationTokenFor(email, 2);
    });

    it('validates the email (400 VALIDATION.FAILED)', async () => {
      const res = await api.resendVerification('not an email').expect(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION.FAILED',
        errors: [expect.objectContaining({ field: 'email' })],
      });
    });

    it('issues a new link and retires the older one', async () => {
      const email = uniqueEmail();
      await api.register({ email, password: newPassword(), name: 'Twice' }).expect(201);
      const first = await verificationTokenFor(email, 1);
      await api.resendVerification(email.toUpperCase()).expect(202);
      const second = await verificationTokenFor(email, 2);
      expect(second).not.toBe(first);
      await api.verifyEmail(first).expect(400);
      await api.verifyEmail(second).expect(200);
    });
  });
});
