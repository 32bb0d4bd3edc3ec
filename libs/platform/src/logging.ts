import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { type AppConfig, logRedactPaths, OAUTH_REQUEST_FIELDS, SENSITIVE_FIELDS } from '@dashtam/config';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';

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

/** nestjs-pino options shared by every app: JSON lines, request ids, one central redaction list. */
export function loggerParams(app: Pick<AppConfig, 'logLevel' | 'logPretty'>, appName: string): Params {
  return {
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
    pinoHttp: {
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
    },
  };
}
