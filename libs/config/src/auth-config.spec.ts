import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigValidationError } from './config-validation.error';
import { loadConfig } from './load-config';

const cwd = mkdtempSync(join(tmpdir(), 'dashtam-auth-config-'));

function problemsOf(source: Record<string, string>): string[] {
  try {
    loadConfig(source, { cwd });
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  return [];
}

describe('auth, rate-limit, mail and proxy configuration', () => {
  it('has strict production defaults and generous development ones', () => {
    const dev = loadConfig({}, { cwd });
    expect(dev.auth).toMatchObject({
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 30 * 24 * 3600,
      sessionCacheTtlSeconds: 5,
      requireVerifiedEmail: true,
      emailVerificationTtlSeconds: 86_400,
      passwordResetTtlSeconds: 900,
      argon2: { memoryKib: 19_456, timeCost: 2, parallelism: 1 },
      lockout: { threshold: 5, windowSeconds: 900, durationSeconds: 900 },
      rateLimit: { windowSeconds: 60, perIp: 600, perAccount: 600 },
    });
    expect(dev.mail).toEqual({ smtpUrl: null, from: 'Dashtam <no-reply@localhost>', dir: join(cwd, '.data/mail') });
    expect(dev.app.trustProxy).toBe(false);
    const test = loadConfig({ ENVIRONMENT: 'testing' }, { cwd });
    expect(test.auth.requireVerifiedEmail).toBe(true);
    expect(test.auth.rateLimit.perIp).toBeGreaterThanOrEqual(300);
  });

  it('reads TRUST_PROXY as a list and SMTP_URL as given', () => {
    const config = loadConfig(
      { TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,loopback', SMTP_URL: 'smtps://mailer:pw@smtp.example.com:465' },
      { cwd },
    );
    expect(config.app.trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1', 'loopback']);
    expect(config.mail.smtpUrl).toBe('smtps://mailer:pw@smtp.example.com:465');
  });

  it('refuses a session cache longer than the 5 s revocation promise, and bad values, naming the variable only', () => {
    const problems = problemsOf({
      AUTH_SESSION_CACHE_TTL_SECONDS: '6',
      SMTP_URL: 'http://smtp.example.com',
      TRUST_PROXY: 'a b; evil-value',
      AUTH_LOCKOUT_THRESHOLD: '0',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('"AUTH_SESSION_CACHE_TTL_SECONDS"'),
        expect.stringContaining('"SMTP_URL"'),
        expect.stringContaining('"TRUST_PROXY"'),
        expect.stringContaining('"AUTH_LOCKOUT_THRESHOLD"'),
      ]),
    );
    expect(problems.join('\n')).not.toContain('evil-value');
  });

  it('production requires email verification and at least OWASP argon2 parameters', () => {
    const problems = problemsOf({
      ENVIRONMENT: 'production',
      AUTH_REQUIRE_VERIFIED_EMAIL: 'false',
      AUTH_ARGON2_MEMORY_KIB: '4096',
      AUTH_ARGON2_TIME_COST: '1',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        '"AUTH_REQUIRE_VERIFIED_EMAIL" must be true in production',
        expect.stringContaining('"AUTH_ARGON2_MEMORY_KIB"'),
        expect.stringContaining('"AUTH_ARGON2_TIME_COST"'),
      ]),
    );
    const strictDefaults = problemsOf({ ENVIRONMENT: 'production' });
    expect(strictDefaults.join('\n')).not.toMatch(/AUTH_|SMTP_URL|MAIL_|TRUST_PROXY/);
  });
});
