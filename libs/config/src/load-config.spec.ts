import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigValidationError } from './config-validation.error';
import { DEVELOPMENT_SECRETS } from './defaults';
import { loadConfig } from './load-config';

// Generated per run, as an operator would (`openssl rand -base64 32`); never committed.
const PROD_SECRETS = {
  JWT_SECRET: randomBytes(32).toString('base64'),
  TOKEN_ENCRYPTION_KEYS: `k2024:${randomBytes(32).toString('base64')}`,
  CALLBACK_SECRET: randomBytes(32).toString('hex'),
  SANDBOX_CLIENT_SECRET: randomBytes(16).toString('hex'),
  DATABASE_URL: `postgres://dashtam:${randomBytes(12).toString('hex')}@db.internal:5432/dashtam`,
  REDIS_URL: 'redis://cache.internal:6379/0',
  CALLBACK_REDIRECT_URL: 'https://app.example.com/connections/complete',
};

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('loadConfig', () => {
  const empty = mkdtempSync(join(tmpdir(), 'dashtam-config-'));

  it('defaults to development with safe local values', () => {
    const config = loadConfig({}, { cwd: empty });
    expect(config.app.environment).toBe('development');
    expect(config.app.tls).toBe(true);
    expect(config.database.name).toBe('dashtam');
    expect(config.database.migrationsRun).toBe(true);
    expect(config.redis.url).toBeNull();
    expect(config.callback.redirectUri).toBe('https://127.0.0.1:8182/callback');
  });

  it('testing points at a test database and Redis index 1', () => {
    const config = loadConfig({ ENVIRONMENT: 'testing' }, { cwd: empty });
    expect(config.app.testing).toBe(true);
    expect(config.database.name).toContain('test');
    expect(config.redis.url).toMatch(/\/1$/);
    expect(config.app.disableExternalCalls).toBe(true);
  });

  it('ci inherits the testing defaults', () => {
    expect(loadConfig({ ENVIRONMENT: 'ci' }, { cwd: empty }).database.name).toBe('dashtam_test');
  });

  it('reads the env file of the environment, and the process environment wins over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dashtam-config-'));
    writeFileSync(join(dir, '.env'), 'API_PORT=9001\nLOG_LEVEL=debug\n');
    writeFileSync(join(dir, '.env.test'), 'API_PORT=9002\n');
    expect(loadConfig({}, { cwd: dir }).app.port).toBe(9001);
    expect(loadConfig({ LOG_LEVEL: 'warn' }, { cwd: dir }).app.logLevel).toBe('warn');
    expect(loadConfig({ ENVIRONMENT: 'testing' }, { cwd: dir }).app.port).toBe(9002);
    expect(loadConfig({ ENVIRONMENT: 'production', ...PROD_SECRETS }, { cwd: dir }).app.port).toBe(8000);
  });

  it('reports every problem at once, naming each variable and never its value', () => {
    const secretish = 'not-a-url-S3CRET-VALUE';
    const problems = problemsOf(() =>
      loadConfig(
        { API_PORT: 'eighty', DATABASE_URL: secretish, JWT_SECRET: 'short-S3CRET', LOG_LEVEL: 'loud' },
        { cwd: empty },
      ),
    );
    expect(problems).toHaveLength(4);
    for (const name of ['API_PORT', 'DATABASE_URL', 'JWT_SECRET', 'LOG_LEVEL']) {
      expect(problems.some((p) => p.includes(`"${name}"`))).toBe(true);
    }
    const text = problems.join('\n');
    expect(text).not.toContain('S3CRET');
    expect(text).not.toContain('eighty');
    expect(text).not.toContain('loud');
  });

  it('institutions: Schwab credentials come in pairs; the sandbox is off in production', () => {
    expect(problemsOf(() => loadConfig({ SCHWAB_CLIENT_ID: 'app-key' }, { cwd: empty }))).toEqual([
      '"SCHWAB_CLIENT_ID" and "SCHWAB_CLIENT_SECRET" must be set together',
    ]);
    const dev = loadConfig({ SCHWAB_CLIENT_ID: 'app-key', SCHWAB_CLIENT_SECRET: 'app-secret' }, { cwd: empty });
    expect(dev.providers.schwab).toEqual({
      baseUrl: 'https://api.schwabapi.com',
      clientId: 'app-key',
      clientSecret: 'app-secret',
    });
    expect(dev.providers.sandbox.baseUrl).toBe('http://127.0.0.1:8183');
    expect(loadConfig({ ENVIRONMENT: 'production', ...PROD_SECRETS }, { cwd: empty }).providers.sandbox.baseUrl).toBe(
      null,
    );
  });

  it("institutions: ALPACA_BASE_URL is the Sandbox outside production and Alpaca's own hosts (null) there", () => {
    expect(loadConfig({}, { cwd: empty }).providers.alpaca).toEqual({ baseUrl: 'http://127.0.0.1:8183' });
    expect(loadConfig({ ENVIRONMENT: 'testing' }, { cwd: empty }).providers.alpaca.baseUrl).toBe(
      'http://127.0.0.1:8283',
    );
    expect(loadConfig({ ENVIRONMENT: 'production', ...PROD_SECRETS }, { cwd: empty }).providers.alpaca.baseUrl).toBe(
      null,
    );
    expect(loadConfig({ ALPACA_BASE_URL: 'http://127.0.0.1:9999/' }, { cwd: empty }).providers.alpaca.baseUrl).toBe(
      'http://127.0.0.1:9999',
    );
    expect(problemsOf(() => loadConfig({ ALPACA_BASE_URL: 'ftp://x' }, { cwd: empty })).join()).toContain(
      'ALPACA_BASE_URL',
    );
  });

  it('rejects an unknown ENVIRONMENT', () => {
    expect(problemsOf(() => loadConfig({ ENVIRONMENT: 'staging' }, { cwd: empty }))[0]).toMatch(
      /"ENVIRONMENT" must be one of/,
    );
  });

  it('production starts with real secrets', () => {
    const config = loadConfig({ ENVIRONMENT: 'production', ...PROD_SECRETS }, { cwd: empty });
    expect(config.app.docs).toBe(false);
    expect(config.database.ssl).toBe(true);
    expect(config.crypto.activeKeyId).toBe('k2024');
  });

  it.each(Object.keys(DEVELOPMENT_SECRETS))('production refuses the development default of %s', (key) => {
    const dev = DEVELOPMENT_SECRETS[key as keyof typeof DEVELOPMENT_SECRETS];
    const problems = problemsOf(() =>
      loadConfig({ ENVIRONMENT: 'production', ...PROD_SECRETS, [key]: dev }, { cwd: empty }),
    );
    expect(problems).toEqual([`"${key}" is a development value; production needs a real secret`]);
  });

  it('production refuses a key ring that still contains the development key', () => {
    const ring = `${PROD_SECRETS.TOKEN_ENCRYPTION_KEYS},${DEVELOPMENT_SECRETS.TOKEN_ENCRYPTION_KEYS}`;
    const problems = problemsOf(() =>
      loadConfig(
        {
          ENVIRONMENT: 'production',
          ...PROD_SECRETS,
          TOKEN_ENCRYPTION_KEYS: ring,
          TOKEN_ENCRYPTION_ACTIVE_KEY_ID: 'k2024',
        },
        { cwd: empty },
      ),
    );
    expect(problems).toEqual(['"TOKEN_ENCRYPTION_KEYS" key "dev1" is the development key; production needs its own']);
  });

  describe('production refuses weak secrets, not only the exact development ones', () => {
    const devKey = DEVELOPMENT_SECRETS.TOKEN_ENCRYPTION_KEYS.split(':')[1];
    const production = (overrides: Record<string, string>) =>
      problemsOf(() => loadConfig({ ENVIRONMENT: 'production', ...PROD_SECRETS, ...overrides }, { cwd: empty }));

    it.each([
      [
        'the development key under another id',
        { TOKEN_ENCRYPTION_KEYS: `prod:${devKey}`, TOKEN_ENCRYPTION_ACTIVE_KEY_ID: 'prod' },
        '"TOKEN_ENCRYPTION_KEYS" key "prod" is the development key; production needs its own',
      ],
      [
        'an all-zero key',
        { TOKEN_ENCRYPTION_KEYS: `zero:${Buffer.alloc(32).toString('base64')}`, TOKEN_ENCRYPTION_ACTIVE_KEY_ID: '' },
        '"TOKEN_ENCRYPTION_KEYS" key "zero" has trivially low entropy (a repeated pattern)',
      ],
      [
        'a key of a repeated 4-byte pattern',
        {
          TOKEN_ENCRYPTION_KEYS: `rep:${Buffer.from('abcd'.repeat(8)).toString('base64')}`,
          TOKEN_ENCRYPTION_ACTIVE_KEY_ID: '',
        },
        '"TOKEN_ENCRYPTION_KEYS" key "rep" has trivially low entropy (a repeated pattern)',
      ],
      [
        'a JWT secret of 32×a',
        { JWT_SECRET: 'a'.repeat(32) },
        '"JWT_SECRET" is a short repeated pattern, not a secret',
      ],
      [
        'the development JWT secret plus a trailing space',
        { JWT_SECRET: `${DEVELOPMENT_SECRETS.JWT_SECRET} ` },
        '"JWT_SECRET" is a development value; production needs a real secret',
      ],
      [
        'a JWT secret of 128 bits in hex',
        { JWT_SECRET: randomBytes(16).toString('hex') },
        '"JWT_SECRET" must hold at least 256 bits (32 bytes once decoded)',
      ],
      [
        'a 16×a callback secret',
        { CALLBACK_SECRET: 'a'.repeat(16) },
        '"CALLBACK_SECRET" is a short repeated pattern, not a secret',
      ],
      [
        'a random callback secret of 128 bits',
        { CALLBACK_SECRET: randomBytes(16).toString('base64') },
        '"CALLBACK_SECRET" must hold at least 256 bits (32 bytes once decoded)',
      ],
      [
        'the development database password',
        { DATABASE_URL: 'postgres://dashtam_user:dashtam_dev_password@db.internal:5432/dashtam' },
        '"DATABASE_URL" uses a development password; production needs a real one',
      ],
      [
        'DATABASE_SSL=false',
        { DATABASE_SSL: 'false' },
        expect.stringMatching(/^"DATABASE_SSL" is false: production talks to PostgreSQL over TLS/),
      ],
    ])('%s', (_label, overrides, problem) => {
      const problems = production(overrides);
      expect(problems).toEqual([problem]);
      for (const value of Object.values(overrides)) {
        if (value.length > 8) expect(problems.join('\n')).not.toContain(value.trim());
      }
    });

    it('completes OAuth flows through the frontend: forward mode, which needs CALLBACK_REDIRECT_URL', () => {
      expect(loadConfig({ ENVIRONMENT: 'production', ...PROD_SECRETS }, { cwd: empty }).callback.mode).toBe('forward');
      expect(production({ CALLBACK_MODE: 'complete' })).toEqual([
        '"CALLBACK_MODE" must be forward in production: the frontend completes OAuth flows',
      ]);
      expect(production({ CALLBACK_REDIRECT_URL: '' })).toEqual([
        '"CALLBACK_REDIRECT_URL" is required when CALLBACK_MODE is forward',
      ]);
    });

    it('accepts DATABASE_SSL=false only with the explicit escape', () => {
      const config = loadConfig(
        {
          ENVIRONMENT: 'production',
          ...PROD_SECRETS,
          DATABASE_SSL: 'false',
          DATABASE_SSL_DISABLED_I_UNDERSTAND: 'true',
        },
        { cwd: empty },
      );
      expect(config.database.ssl).toBe(false);
    });
  });

  it('production refuses synchronize, a missing Redis and sandbox controls', () => {
    const problems = problemsOf(() =>
      loadConfig(
        {
          ENVIRONMENT: 'production',
          ...PROD_SECRETS,
          DATABASE_SYNCHRONIZE: 'true',
          REDIS_URL: '',
          SANDBOX_CONTROLS: 'true',
        },
        { cwd: empty },
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('"DATABASE_SYNCHRONIZE" must be false in production'),
        '"REDIS_URL" is required in production',
        '"SANDBOX_CONTROLS" must be false in production',
      ]),
    );
  });

  it('checks the key ring: 32-byte keys and an active key that exists', () => {
    const short = `a:${Buffer.alloc(31).toString('base64')}AAAAAAAAAAAAAAAA`;
    expect(problemsOf(() => loadConfig({ TOKEN_ENCRYPTION_KEYS: short }, { cwd: empty }))).toEqual([
      '"TOKEN_ENCRYPTION_KEYS" key "a" must decode to 32 bytes',
    ]);
    expect(problemsOf(() => loadConfig({ TOKEN_ENCRYPTION_ACTIVE_KEY_ID: 'nope' }, { cwd: empty }))).toEqual([
      '"TOKEN_ENCRYPTION_ACTIVE_KEY_ID" names a key that is not in TOKEN_ENCRYPTION_KEYS',
    ]);
  });
});
