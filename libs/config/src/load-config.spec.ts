import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigValidationError } from './config-validation.error';
import { DEVELOPMENT_SECRETS } from './defaults';
import { loadConfig } from './load-config';

const PROD_SECRETS = {
  JWT_SECRET: 'p'.repeat(48),
  TOKEN_ENCRYPTION_KEYS: `k2024:${Buffer.alloc(32, 7).toString('base64')}`,
  CALLBACK_SECRET: 'c'.repeat(32),
  SANDBOX_CLIENT_SECRET: 's'.repeat(16),
  DATABASE_URL: 'postgres://dashtam:pw-123@db.internal:5432/dashtam',
  REDIS_URL: 'redis://cache.internal:6379/0',
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
    expect(problems).toEqual([`"${key}" uses a development default; production needs a real secret`]);
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
    expect(problems).toEqual(['"TOKEN_ENCRYPTION_KEYS" uses a development default; production needs a real secret']);
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
