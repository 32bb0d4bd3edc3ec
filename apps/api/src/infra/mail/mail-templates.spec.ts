import { passwordResetMail, verificationMail } from './mail-templates';

describe('mail templates', () => {
  const link = 'http://localhost:3000/verify-email?token=abc_DEF-123';

  it('puts the link in both parts and says how long it lives', () => {
    const mail = verificationMail('Ada', link, 86_400);
    expect(mail.subject).toBe('Verify your email address');
    expect(mail.text).toContain(`\n${link}\n`);
    expect(mail.text).toContain('expires in 24 hours');
    expect(mail.html).toContain(`href="${link}"`);
    expect(passwordResetMail('Ada', link, 900).text).toContain('expires in 15 minutes');
  });

  it('escapes what a user controls (the name) in HTML', () => {
    const mail = passwordResetMail('<script>alert("x")</script> & co', link, 900);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
  });
});
