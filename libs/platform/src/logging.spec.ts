import pino from 'pino';

import { loggerParams, redactUrl } from './logging';

/** A pino logger with exactly the apps' redaction paths, writing JSON lines into `lines`. */
function capturingLogger(): { logger: pino.Logger; lines: string[] } {
  const options = loggerParams({ logLevel: 'trace', logPretty: false }, 'test').pinoHttp as pino.LoggerOptions;
  const lines: string[] = [];
  const logger = pino(
    { level: 'trace', redact: options.redact, serializers: { err: pino.stdSerializers.err } },
    { write: (line: string) => lines.push(line) },
  );
  return { logger, lines };
}

describe('log redaction', () => {
  it('shows the stable code of a logged error, at any depth', () => {
    const { logger, lines } = capturingLogger();
    const error = Object.assign(new Error('link again'), { code: 'PROVIDER.REAUTH_REQUIRED' });
    logger.error({ err: error, request_id: 'rid-1' }, 'request failed');
    logger.error({ job: { failure: { code: 'PROVIDER.UNAVAILABLE' } } }, 'job failed');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0])).toMatchObject({ err: { code: 'PROVIDER.REAUTH_REQUIRED' } });
    expect(JSON.parse(lines[1])).toMatchObject({ job: { failure: { code: 'PROVIDER.UNAVAILABLE' } } });
  });

  it('redacts an OAuth code in a request body or query, and every other secret wherever it is', () => {
    const { logger, lines } = capturingLogger();
    logger.info({ req: { body: { state: 'state-secret', code: 'secret123' } } }, 'body');
    logger.info({ req: { query: { code: 'secret123' } } }, 'query');
    logger.info({ err: { config: { data: { client_secret: 'secret-c' } } }, nested: { access_token: 'secret-a' } });
    expect(lines).toHaveLength(3);
    expect(lines.join('')).not.toMatch(/secret123|state-secret|secret-c|secret-a/);
    expect(JSON.parse(lines[0])).toMatchObject({ req: { body: { code: '[Redacted]', state: '[Redacted]' } } });
  });

  it('redacts OAuth codes, states and tokens in URLs, keeping the keys and other parameters', () => {
    expect(redactUrl('/callback?code=secret123&state=s1&error=access_denied')).toBe(
      '/callback?code=%5BRedacted%5D&state=%5BRedacted%5D&error=access_denied',
    );
    expect(redactUrl('/api/v1/auth/verify-email?Token=t1')).toBe('/api/v1/auth/verify-email?Token=%5BRedacted%5D');
    expect(redactUrl('/health')).toBe('/health');
  });
});
