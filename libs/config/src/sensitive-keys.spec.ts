import { Writable } from 'node:stream';

import pino from 'pino';

import { DEVELOPMENT_SECRETS } from './defaults';
import { SENSITIVE_ENV_KEYS } from './namespaces';
import { logRedactPaths, redactSecretValues } from './sensitive-keys';

describe('secret variables', () => {
  it('are the variables the namespaces mark with secret()', () => {
    expect([...SENSITIVE_ENV_KEYS].sort()).toEqual(
      [
        'CALLBACK_SECRET',
        'DATABASE_ADMIN_URL',
        'DATABASE_URL',
        'JWT_SECRET',
        'REDIS_URL',
        'SANDBOX_CLIENT_SECRET',
        'SCHWAB_CLIENT_SECRET',
        'SMTP_URL',
        'TOKEN_ENCRYPTION_KEYS',
      ].sort(),
    );
  });

  it('include every variable with a development secret, so production refuses each of them', () => {
    expect(Object.keys(DEVELOPMENT_SECRETS).filter((key) => !SENSITIVE_ENV_KEYS.includes(key))).toEqual([]);
  });

  it('are censored in a logged object', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const logger = pino({ redact: { paths: logRedactPaths(), censor: '[Redacted]' } }, sink);
    logger.info({ env: { JWT_SECRET: 'jwt-S3CRET', API_PORT: '8000' } }, 'spawned');
    expect(JSON.parse(lines[0]).env).toEqual({ JWT_SECRET: '[Redacted]', API_PORT: '8000' });
  });

  it('have their values removed from config problems, whatever a message quotes', () => {
    const values = { JWT_SECRET: 'jwt-S3CRET-value', API_PORT: '8000', REDIS_URL: '' };
    expect(redactSecretValues(['"JWT_SECRET" "jwt-S3CRET-value" is odd', '"API_PORT" 8000 is odd'], values)).toEqual([
      '"JWT_SECRET" "[redacted]" is odd',
      '"API_PORT" 8000 is odd',
    ]);
  });
});
