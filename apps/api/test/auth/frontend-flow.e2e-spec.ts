import { randomBytes } from 'node:crypto';

import {
  AuthApi,
  captureProcessOutput,
  createTestApp,
  LoopbackSmtpServer,
  newPassword,
  type TestApp,
  type TokenBody,
  tokenFromLink,
  uniqueEmail,
  waitFor,
  waitForMail,
} from '@dashtam/testing';

describe('a frontend script against the api and a real SMTP server on loopback', () => {
  let smtp: LoopbackSmtpServer;
  let t: TestApp;
  let api: AuthApi;
  let output: ReturnType<typeof captureProcessOutput>;

  beforeAll(async () => {
    smtp = new LoopbackSmtpServer('dashtam-mailer', randomBytes(12).toString('base64url'));
    await smtp.start();
    output = captureProcessOutput();
    t = await createTestApp({ config: { mail: { smtpUrl: smtp.url }, app: { logLevel: 'trace' } } });
    api = new AuthApi(t.url);
  });
  afterAll(async () => {
    await t.close();
    output.restore();
    await smtp.stop();
  });

  it('register → verify from the mail → login → me → refresh → reuse refused → reset from the mail → old sessions gone', async () => {
    const email = uniqueEmail('frontend');
    const password = newPassword();
    const secrets: string[] = [password];

    // 1. Register; the verification mail arrives over SMTP, authenticated with SMTP_URL's credentials.
    const registered = await api.register({ email, password, name: 'Frontend Script' }).expect(201);
    expect(registered.body.email_verified).toBe(false);
    const verificationMail = await waitForMail(smtp, email);
    const delivery = smtp.deliveries.find((d) => d.message === verificationMail)!;
    expect(delivery).toMatchObject({ user: 'dashtam-mailer', envelopeFrom: 'no-reply@localhost', envelopeTo: [email] });
    expect(verificationMail.subject).toBe('Verify your email address');
    const verificationToken = tokenFromLink(verificationMail, '/verify-email');
    secrets.push(verificationToken);

    // Not verified yet: login refused with 403.
    expect((await api.login(email, password).expect(403)).body.code).toBe('AUTH.EMAIL_NOT_VERIFIED');

    // 2. Verify.
    const verified = await api.verifyEmail(verificationToken).expect(200);
    expect(verified.body).toMatchObject({ id: registered.body.id, email_verified: true });

    // 3. Log in (twice: a laptop and a phone), call /auth/me.
    const laptop = (await api.login(email, password, { 'user-agent': 'Laptop' }).expect(200)).body as TokenBody;
    const phone = (await api.login(email, password, { 'user-agent': 'Phone' }).expect(200)).body as TokenBody;
    secrets.push(laptop.access_token, laptop.refresh_token, phone.access_token, phone.refresh_token);
    const me = await api.me(laptop.access_token).expect(200);
    expect(me.body).toMatchObject({ id: registered.body.id, email, name: 'Frontend Script', email_verified: true });

    // 4. Refresh: a new refresh token.
    const refreshed = (await api.refresh(laptop.refresh_token).expect(200)).body as TokenBody;
    secrets.push(refreshed.access_token, refreshed.refresh_token);
    expect(refreshed.refresh_token).not.toBe(laptop.refresh_token);
    await api.me(refreshed.access_token).expect(200);

    // 5. The old refresh token is refused and its session is revoked (the phone's is not).
    expect((await api.refresh(laptop.refresh_token).expect(401)).body.code).toBe('AUTH.REFRESH_TOKEN_REUSED');
    await api.me(refreshed.access_token).expect(401);
    await api.refresh(refreshed.refresh_token).expect(401);
    const sessions = await api.sessions(phone.access_token).expect(200);
    expect(sessions.body.items.map((s: { user_agent: string }) => s.user_agent)).toEqual(['Phone']);

    // 6. Reset the password from the mail.
    await api.requestPasswordReset(email).expect(202);
    const resetMail = await waitForMail(smtp, email, 2);
    expect(resetMail.subject).toBe('Reset your password');
    const resetToken = tokenFromLink(resetMail, '/reset-password');
    secrets.push(resetToken);
    const status = await api.verifyPasswordReset(resetToken).expect(200);
    expect(status.body.valid).toBe(true);
    const replacement = newPassword();
    secrets.push(replacement);
    await api.completePasswordReset(resetToken, replacement).expect(204);

    // 7. Every old session is gone; only the new password works.
    await api.me(phone.access_token).expect(401);
    await api.refresh(phone.refresh_token).expect(401);
    await api.login(email, password).expect(401);
    const fresh = (await api.login(email, replacement, { 'user-agent': 'New laptop' }).expect(200)).body as TokenBody;
    secrets.push(fresh.access_token, fresh.refresh_token);
    const after = await api.sessions(fresh.access_token).expect(200);
    expect(after.body.items).toEqual([expect.objectContaining({ user_agent: 'New laptop', current: true })]);

    // 8. Logs saw the whole flow (requests, mail sends) and not one secret or link.
    const lastRequest = String(after.headers['x-request-id']);
    await waitFor('the last request in the log', () =>
      output.lines.some((line) => line.includes(lastRequest) && line.includes('request completed')),
    );
    const logs = output.lines.join('');
    expect(logs).toContain('"msg":"mail sent"');
    expect(logs).toContain('/api/v1/auth/verify-email');
    for (const secret of secrets) expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(/(verify-email|reset-password)\?token=/);
  });

  it('a failing mail server never fails the request nor leaks the link into the log', async () => {
    const broken = await createTestApp({
      config: { mail: { smtpUrl: smtp.url.replace(/:[^:@]+@/, ':wrong-password@') }, app: { logLevel: 'trace' } },
    });
    try {
      const email = uniqueEmail('nomail');
      await new AuthApi(broken.url).register({ email, password: newPassword(), name: 'No Mail' }).expect(201);
      await waitFor('the failed delivery in the log', () => output.lines.join('').includes('mail delivery failed'), {
        timeoutMs: 5_000,
      });
      const logs = output.lines.join('');
      expect(logs).toMatch(/"code":"EAUTH".*"msg":"mail delivery failed"/);
      expect(logs).not.toMatch(/(verify-email|reset-password)\?token=/);
      expect(await smtp.messagesFor(email)).toHaveLength(0);
    } finally {
      await broken.close();
    }
  });
});
