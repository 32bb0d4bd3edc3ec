import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { type AppConfig, logRedactPaths, OAUTH_REQUEST_FIELDS, SENSITIVE_FIELDS } from '@dashtam/config';
import { RequestMethod } from '@nestjs/common';
import type { FastifyServerOptions } from 'fastify';
import type { Params } from 'nestjs-pino';
import pino, { type Bindings, type ChildLoggerOptions, type Logger, type LoggerOptions } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const SENSITIVE_IN_QUERY = new Set<string>([...SENSITIVE_FIELDS, ...OAUTH_REQUEST_FIELDS]);

/** Accept a caller's X-Request-Id when it is a sane token, else mint one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/** Query strings carry OAuth codes and states: keep the keys, drop sensitive values. */
export function redactUrl(url: string | undefined): string | undefined {
  if (!url || !url.includes('?')) return url;
  const [path, query] = url.split('?', 2);
  const params = new URLSearchParams(query);
  for (const key of [...params.keys()]) if (SENSITIVE_IN_QUERY.has(key.toLowerCase())) params.set(key, '[Redacted]');
  return `${path}?${params.toString()}`;
}

type LoggingConfig = Pick<AppConfig, 'logLevel' | 'logPretty'>;

const ALL_ROUTES = [{ path: '{*splat}', method: RequestMethod.ALL }];

/**
 * Whether a request's own line (pino-http's "request completed", written at info) prints at this level.
 * Above it a request that writes nothing costs no logging work (see `deferredRequestLoggers`).
 */
export function printsRequestLines(level: string): boolean {
  return level !== 'silent' && pino.levels.values[level] <= pino.levels.values.info;
}

function pinoHttpOptions(app: LoggingConfig, appName: string): PinoHttpOptions {
  return {
    name: appName,
    level: app.logLevel,
    // Fastify already assigned req.id (see createAdapter); other servers get one here.
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = req.id ? String(req.id) : requestIdFrom(req.headers['x-request-id']);
      if (!res.headersSent) res.setHeader('x-request-id', id);
      return id;
    },
    redact: { paths: logRedactPaths(), censor: '[Redacted]' },
    customProps: () => ({ app: appName }),
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') },
    // pino-pretty colours only a terminal (or FORCE_COLOR, which `make dev` sets when its own output is one).
    transport: app.logPretty ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
  };
}

const roots = new Map<string, Logger>();

/** The process's root logger for an app and level: the same redaction, serializers and output as pino-http's. */
function rootLogger(app: LoggingConfig, appName: string): Logger {
  const key = `${appName}|${app.logLevel}|${app.logPretty}`;
  let root = roots.get(key);
  if (!root) {
    const { name, level, redact, serializers, transport } = pinoHttpOptions(app, appName);
    root = pino({ name, level, redact, serializers, transport } as LoggerOptions);
    roots.set(key, root);
  }
  return root;
}

/**
 * nestjs-pino options shared by every app: JSON lines, request ids, one central redaction list. With
 * `deferRequestLoggers` (an app whose Fastify adapter uses `deferredRequestLoggers`) and a level above
 * info, pino-http is not mounted: nestjs-pino binds Fastify's request logger instead.
 */
export function loggerParams(
  app: LoggingConfig,
  appName: string,
  options: { deferRequestLoggers?: boolean } = {},
): Params {
  if (options.deferRequestLoggers && !printsRequestLines(app.logLevel)) {
    return { forRoutes: ALL_ROUTES, useExisting: true, pinoHttp: { logger: rootLogger(app, appName) } };
  }
  return { forRoutes: ALL_ROUTES, pinoHttp: pinoHttpOptions(app, appName) };
}

/**
 * A request's logger where no request line prints: the child logger — its bindings serialised and run
 * through the redaction, as pino-http's would be — is made only when the request writes a line at an
 * enabled level. Per request that saves pino-http's two child loggers and their redaction (bench/README.md
 * has the share of CPU it was).
 */
class DeferredRequestLogger {
  private logger?: Logger;

  constructor(
    private readonly root: Logger,
    private readonly requestBindings: Bindings,
  ) {}

  get level(): string {
    return this.root.level;
  }

  private made(): Logger {
    return (this.logger ??= this.root.child(this.requestBindings));
  }

  private write(level: pino.Level, args: unknown[]): void {
    if (this.root.isLevelEnabled(level)) (this.made()[level] as (...line: unknown[]) => void)(...args);
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }

  error(...args: unknown[]): void {
    this.write('error', args);
  }

  warn(...args: unknown[]): void {
    this.write('warn', args);
  }

  info(...args: unknown[]): void {
    this.write('info', args);
  }

  debug(...args: unknown[]): void {
    this.write('debug', args);
  }

  trace(...args: unknown[]): void {
    this.write('trace', args);
  }

  silent(): void {}

  isLevelEnabled(level: string): boolean {
    return this.root.isLevelEnabled(level);
  }

  // PinoLogger.assign() extends the request's bindings.
  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.made().child(bindings, options);
  }

  bindings(): Bindings {
    return this.made().bindings();
  }

  setBindings(bindings: Bindings): void {
    this.made().setBindings(bindings);
  }
}

/**
 * Fastify's `childLoggerFactory` for an app whose request lines do not print (level above info), else
 * undefined (pino-http logs the requests, Fastify logs nothing): every request gets a deferred logger
 * with the bindings pino-http would have given it (the request's id, method and redacted URL, the app).
 */
export function deferredRequestLoggers(
  app: LoggingConfig,
  appName: string,
): FastifyServerOptions['childLoggerFactory'] | undefined {
  if (printsRequestLines(app.logLevel)) return undefined;
  const root = rootLogger(app, appName);
  return function (_logger: unknown, bindings: Bindings, _options: unknown, rawRequest: unknown) {
    const req = rawRequest as IncomingMessage;
    const logger = new DeferredRequestLogger(root, {
      req: { id: String(bindings.reqId), method: req.method, url: req.url },
      app: appName,
    });
    return logger as unknown as Logger;
  };
}
