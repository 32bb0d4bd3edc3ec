import { passwordResetMail, verificationMail } from './mail-templates';

describe('mail templates', () => {
  const link = 'http://localhost:3000/verify-email?token=abc_DEF-123';

  it('puts the link in both parts and says how long it lives', () => {
    const mail = verificationMail(link, 86_400);
    expect(mail.subject).toBe('Verify your email address');
    expect(mail.text).toContain(`\n${link}\n`);
    expect(mail.text).toContain('expires in 24 hours');
    expect(mail.html).toContain(`href="${link}"`);
    expect(passwordResetMail(link, 900).text).toContain('expires in 15 minutes');
  });

  it('holds no user-supplied text, so nothing a user typed can become a link', () => {
    const mail = verificationMail(link, 86_400);
    const linkCount = (text: string): number => text.match(/https?:\/\//g)?.length ?? 0;
    expect(linkCount(mail.text)).toBe(1);
    expect(linkCount(mail.html)).toBe(1);
    expect(mail.text.startsWith('Hello,\n')).toBe(true);
  });
});
