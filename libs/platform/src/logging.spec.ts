import Fastify from 'fastify';
import pino from 'pino';

import { captureProcessOutput } from '@dashtam/testing';

import { deferredRequestLoggers, loggerParams, printsRequestLines, redactUrl } from './logging';

/** A pino logger with exactly the apps' redaction paths, writing JSON lines into `lines`. */
function capturingLogger(): { logger: pino.Logger; lines: string[] } {
  const options = (loggerParams({ logLevel: 'trace', logPretty: false }, 'test') as { pinoHttp: pino.LoggerOptions })
    .pinoHttp;
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

describe('request loggers above info (deferredRequestLoggers)', () => {
  const lines = (output: string[]): Array<Record<string, unknown>> =>
    output.flatMap((chunk) => chunk.split('\n').filter(Boolean)).map((line) => JSON.parse(line));

  it('are pino-http (none deferred) where request lines print', () => {
    expect(deferredRequestLoggers({ logLevel: 'info', logPretty: false }, 'test')).toBeUndefined();
    expect(
      loggerParams({ logLevel: 'info', logPretty: false }, 'test', { deferRequestLoggers: true }),
    ).not.toHaveProperty('useExisting');
    expect(printsRequestLines('debug')).toBe(true);
    expect(printsRequestLines('warn')).toBe(false);
    expect(printsRequestLines('silent')).toBe(false);
  });

  it('write a request line only at an enabled level, with the bindings pino-http would give, redacted', async () => {
    const factory = deferredRequestLoggers({ logLevel: 'warn', logPretty: false }, 'test')!;
    const params = loggerParams({ logLevel: 'warn', logPretty: false }, 'test', { deferRequestLoggers: true });
    expect(params).toMatchObject({ useExisting: true });
    const app = Fastify({ logger: false, childLoggerFactory: factory });
    app.get('/quiet', async (request) => {
      request.log.info('not at warn');
      return { ok: true };
    });
    app.get('/loud', async (request) => {
      request.log.warn({ detail: { access_token: 'secret-a' } }, 'something to see');
      return { ok: true };
    });
    const output = captureProcessOutput();
    try {
      expect((await app.inject({ url: '/quiet' })).statusCode).toBe(200);
      expect(lines(output.lines)).toEqual([]);
      const loud = await app.inject({ url: '/loud?code=secret123&page=2' });
      expect(loud.statusCode).toBe(200);
    } finally {
      output.restore();
      await app.close();
    }
    const written = lines(output.lines);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      level: 40,
      name: 'test',
      app: 'test',
      msg: 'something to see',
      req: { method: 'GET', url: '/loud?code=%5BRedacted%5D&page=2' },
      detail: { access_token: '[Redacted]' },
    });
    expect(typeof (written[0].req as { id: unknown }).id).toBe('string');
    expect(output.lines.join('')).not.toMatch(/secret123|secret-a/);
  });
});
