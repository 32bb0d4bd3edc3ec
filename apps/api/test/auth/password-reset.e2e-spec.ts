import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { AuthSessionEntity, PasswordResetTokenEntity, SecurityEventEntity, UserEntity } from '@dashtam/database';
import {
  AuthApi,
  createSignedInUser,
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

describe('password reset', () => {
  let t: TestApp;
  let api: AuthApi;
  let mailbox: EmlDirectoryMailbox;

  beforeAll(async () => {
    mailbox = new EmlDirectoryMailbox(await mkdtemp(join(tmpdir(), 'dashtam-reset-mail-')));
    t = await createTestApp({ config: { mail: { smtpUrl: null, dir: mailbox.dir } } });
    api = new AuthApi(t.url);
  });
  afterAll(async () => {
    await t.close();
  });

  const resetTokenFor = async (email: string, count = 1): Promise<string> =>
    tokenFromLink(await waitForMail(mailbox, email, count), '/reset-password');

  describe('POST /api/v1/password-resets', () => {
    it('answers 202 {status: "accepted"} with the same shape for known and unknown emails', async () => {
      const known = await createUser(t);
      const unknownEmail = uniqueEmail('nobody');
      const a = await api.requestPasswordReset(known.email).expect(202);
      const b = await api.requestPasswordReset(unknownEmail).expect(202);
      expect(a.body).toEqual({ status: 'accepted' });
      expect(b.body).toEqual(a.body);
      expect(Object.keys(b.headers).sort()).toEqual(Object.keys(a.headers).sort());

      const mail = await waitForMail(mailbox, known.email);
      expect(mail.subject).toBe('Reset your password');
      expect(mail.text).toContain('http://localhost:3000/reset-password?token=');
      expect(mail.text).toContain('expires in 15 minutes');
      expect(await mailbox.messagesFor(unknownEmail)).toHaveLength(0);

      const token = tokenFromLink(mail, '/reset-password');
      const row = await t.dataSource.getRepository(PasswordResetTokenEntity).findOneByOrFail({ userId: known.user.id });
      expect(row.tokenHash).toBe(hashSecret(token));
      expect(Math.abs(row.expiresAt.getTime() - row.createdAt.getTime() - 15 * 60 * 1000)).toBeLessThan(5_000);
      const events = await t.dataSource.getRepository(SecurityEventEntity).findBy({ userId: known.user.id });
      expect(events.map((e) => e.event)).toEqual(['password_reset_requested']);
    });

    it('answers before the per-account work, so a known address costs the request no more than an unknown one', async () => {
      const known = await createUser(t);
      // Hold the reset-token table: per-account work blocks on it, the answer must not.
      const holder = t.dataSource.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      try {
        await holder.query('LOCK TABLE password_reset_tokens IN ACCESS EXCLUSIVE MODE');
        await api.requestPasswordReset(known.email).timeout(5_000).expect(202);
        expect(await mailbox.messagesFor(known.email)).toHaveLength(0);
      } finally {
        await holder.rollbackTransaction();
        await holder.release();
      }
      const mail = await waitForMail(mailbox, known.email);
      expect(mail.subject).toBe('Reset your password');
    });

    it('a new request retires the older link', async () => {
      const { email } = await createUser(t);
      await api.requestPasswordReset(email).expect(202);
      const first = await resetTokenFor(email, 1);
      await api.requestPasswordReset(email).expect(202);
      const second = await resetTokenFor(email, 2);
      expect((await api.verifyPasswordReset(first).expect(200)).body).toEqual({ valid: false, expires_at: null });
      expect((await api.verifyPasswordReset(second).expect(200)).body.valid).toBe(true);
      const res = await api.completePasswordReset(first, newPassword()).expect(400);
      expect(res.body.code).toBe('AUTH.RESET_TOKEN_INVALID');
    });

    it('validates the email (400 VALIDATION.FAILED)', async () => {
      const res = await api.requestPasswordReset('@nope').expect(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION.FAILED',
        errors: [expect.objectContaining({ field: 'email' })],
      });
    });

    it('sends nothing for a disabled account', async () => {
      const { email } = await createUser(t, { active: false });
      await api.requestPasswordReset(email).expect(202);
      // A reset asked for afterwards arrives: one transport, in order, so the first would be in by now.
      const { email: later } = await createUser(t);
      await api.requestPasswordReset(later).expect(202);
      await waitForMail(mailbox, later);
      expect(await mailbox.messagesFor(email)).toHaveLength(0);
    });
  });

  describe('POST /api/v1/password-resets/verify', () => {
    it('reports a usable token and its expiry without consuming it', async () => {
      const { user, email } = await createUser(t);
      await api.requestPasswordReset(email).expect(202);
      const token = await resetTokenFor(email);
      const row = await t.dataSource.getRepository(PasswordResetTokenEntity).findOneByOrFail({ userId: user.id });
      for (let i = 0; i < 2; i += 1) {
        const res = await api.verifyPasswordReset(token).expect(200);
        expect(res.body).toEqual({ valid: true, expires_at: row.expiresAt.toISOString() });
      }
    });

    it('answers {valid: false, expires_at: null} for unknown, malformed and expired tokens', async () => {
      const { user, email } = await createUser(t);
      await api.requestPasswordReset(email).expect(202);
      const token = await resetTokenFor(email);
      await t.dataSource
        .getRepository(PasswordResetTokenEntity)
        .update({ userId: user.id }, { expiresAt: new Date(Date.now() - 1_000) });
      for (const candidate of [token, 'A'.repeat(43), 'nope']) {
        expect((await api.verifyPasswordReset(candidate).expect(200)).body).toEqual({ valid: false, expires_at: null });
      }
    });
  });

  describe('POST /api/v1/password-resets/complete', () => {
    it('sets the new password (204), ends every session, and works once', async () => {
      const me = await createSignedInUser(t);
      const second = await api.login(me.email, me.password).expect(200);
      await api.requestPasswordReset(me.email).expect(202);
      const token = await resetTokenFor(me.email);
      const replacement = newPassword();

      await api.completePasswordReset(token, replacement).expect(204);

      for (const access of [me.accessToken, second.body.access_token as string]) {
        expect((await api.me(access).expect(401)).body.code).toBe('AUTH.SESSION_REVOKED');
      }
      await api.refresh(me.refreshToken).expect(401);
      await api.refresh(second.body.refresh_token).expect(401);
      const live = await t.dataSource
        .getRepository(AuthSessionEntity)
        .createQueryBuilder('s')
        .where('s.userId = :id AND s.revokedAt IS NULL', { id: me.user.id })
        .getCount();
      expect(live).toBe(0);

      await api.login(me.email, me.password).expect(401);
      await api.login(me.email, replacement).expect(200);
      expect((await api.completePasswordReset(token, newPassword()).expect(400)).body.code).toBe(
        'AUTH.RESET_TOKEN_INVALID',
      );
      const completed = await t.dataSource
        .getRepository(SecurityEventEntity)
        .findOneByOrFail({ userId: me.user.id, event: 'password_reset_completed' });
      expect(completed.details).toEqual({ sessions_revoked: 2 });
    });

    it('refuses a password that breaks the policy and leaves the link usable', async () => {
      const { email } = await createUser(t);
      await api.requestPasswordReset(email).expect(202);
      const token = await resetTokenFor(email);
      const res = await api.completePasswordReset(token, email).expect(400);
      expect(res.body).toMatchObject({ code: 'AUTH.PASSWORD_POLICY' });
      expect(res.body.errors.map((e: { code: string }) => e.code)).toContain('password_equals_email');
      expect((await api.verifyPasswordReset(token).expect(200)).body.valid).toBe(true);
      await api.completePasswordReset(token, newPassword()).expect(204);
    });

    it('refuses an expired token (400 AUTH.RESET_TOKEN_INVALID)', async () => {
      const { user, email, password } = await createUser(t);
      await api.requestPasswordReset(email).expect(202);
      const token = await resetTokenFor(email);
      await t.dataSource
        .getRepository(PasswordResetTokenEntity)
        .update({ userId: user.id }, { expiresAt: new Date(Date.now() - 1_000) });
      expect((await api.completePasswordReset(token, newPassword()).expect(400)).body.code).toBe(
        'AUTH.RESET_TOKEN_INVALID',
      );
      await api.login(email, password).expect(200);
    });

    it('clears a lockout and verifies the email it proved', async () => {
      const { user, email } = await createUser(t, { verified: false });
      await t.dataSource
        .getRepository(UserEntity)
        .update({ id: user.id }, { lockedUntil: new Date(Date.now() + 600_000), failedLoginCount: 3 });
      await api.requestPasswordReset(email).expect(202);
      const replacement = newPassword();
      await api.completePasswordReset(await resetTokenFor(email), replacement).expect(204);
      const login = await api.login(email, replacement).expect(200);
      expect(login.body.user.email_verified).toBe(true);
    });

    it('validates the body', async () => {
      const res = await api.completePasswordReset('', 12 as unknown as string).expect(400);
      expect(res.body.code).toBe('VALIDATION.FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'new_password',
        'new_password',
        'token',
      ]);
    });
  });
});
