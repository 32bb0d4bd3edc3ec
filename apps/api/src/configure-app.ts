import { RequestMethod } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { Logger } from 'nestjs-pino';

import type { DashtamConfig } from '@dashtam/config';
import { deferredRequestLoggers, type HttpsOptions, requestIdFrom } from '@dashtam/platform';

import { applyBearerSecurity } from './common/decorators/public.decorator';
import { AppError } from './common/errors';
import { ProblemDetailsFilter, sendProblem, toProblem } from './common/filters/problem-details.filter';
import { jsonNestsDeeperThan } from './common/http/json-body';
import { isImportsRoute, readImportForm } from './imports/multipart-form';
import { staticSecurityHeaders } from './common/http/security-headers';
import { RouteTable } from './common/filters/route-table';
import { MAX_INPUT_DEPTH } from './common/pipes/storable-input';
import { strictValidationPipe } from './common/pipes/validation.pipe';

export const API_PREFIX = 'api/v1';

/**
 * The api reads JSON and nothing else — except the file upload of `POST /api/v1/imports`, the one
 * route that reads multipart/form-data (bounded by IMPORT_MAX_BYTES). Elsewhere a form or text body is 415, so a web page on another origin
 * cannot post a login or reset form without a CORS preflight. Frontends send `Content-Type:
 * application/json` on every request, so a POST that takes no body often arrives with that header (or
 * another) and nothing else (SPEC §6): an empty body is no body, whatever its type. A JSON body that
 * nests deeper than any request needs is refused before it is parsed; any other body goes through
 * Fastify's JSON parser (prototype-poisoning guard, malformed → 400), and a route that does take a body
 * refuses the missing one in validation.
 */
class ApiFastifyAdapter extends FastifyAdapter {
  importMaxBytes = 0;

  override registerParserMiddleware(prefix?: string, rawBody?: boolean): void {
    super.registerParserMiddleware(prefix, rawBody);
    const fastify = this.getInstance();
    const { bodyLimit, onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
    const parseJson = fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
    // Replaces the parsers Nest and Fastify registered (JSON that refuses an empty body, forms, text).
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
      const text = body as string;
      if (text.length === 0) return done(null, undefined);
      if (jsonNestsDeeperThan(text)) {
        return done(
          new AppError('REQUEST.MALFORMED', `The request body nests deeper than ${MAX_INPUT_DEPTH} levels`),
          undefined,
        );
      }
      parseJson(request, text, done);
    });
    // Multipart is read only on the imports route (a form elsewhere keeps the JSON-only rule below).
    fastify.addContentTypeParser('multipart/form-data', (request, payload, done) => {
      if (isImportsRoute(request)) {
        readImportForm(request, payload, this.importMaxBytes).then(
          (form) => done(null, form),
          (error: Error) => done(error),
        );
        return;
      }
      if (request.headers['content-length'] === '0') return done(null, undefined);
      done(new AppError('REQUEST.UNSUPPORTED_MEDIA_TYPE', 'The api accepts application/json bodies only'), undefined);
    });
    fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => {
      if ((body as Buffer).length === 0) return done(null, undefined);
      done(new AppError('REQUEST.UNSUPPORTED_MEDIA_TYPE', 'The api accepts application/json bodies only'), undefined);
    });
  }
}

/** The Fastify adapter every api instance runs on (tests too): body limit, TLS, request ids, JSON parsing. */
export function createAdapter(config: DashtamConfig, https?: HttpsOptions): FastifyAdapter {
  const childLoggerFactory = deferredRequestLoggers(config.app, 'api');
  const options = {
    bodyLimit: config.app.bodyLimitBytes,
    ...(https ? { https } : {}),
    // pino-http does the request logging where request lines print; Fastify mints the request id it logs.
    // Above info, Fastify's request loggers (nestjs-pino binds them) are deferred: no work unless a line is written.
    logger: false,
    ...(childLoggerFactory ? { childLoggerFactory } : {}),
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => requestIdFrom(req.headers['x-request-id']),
    // request.ip (rate limits, audit) honours X-Forwarded-For only from these proxies.
    trustProxy: config.app.trustProxy,
    forceCloseConnections: 'idle',
    // A bad %-encoding or an over-long path parameter never reaches Nest: answer it in the one shape.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      void reply.header('x-request-id', request.id);
      sendProblem(reply, toProblem(error, request));
    },
    return503OnClosing: true,
  };
  // The https overload widens the server type; the app only ever uses http(s).Server.
  const adapter = new ApiFastifyAdapter(options as ConstructorParameters<typeof ApiFastifyAdapter>[0]);
  adapter.importMaxBytes = config.app.importMaxBytes;
  return adapter as unknown as FastifyAdapter;
}

/**
 * Everything that makes an api instance what it is, used by main.ts and by the e2e harness alike:
 * logging, security headers, CORS, prefix, strict validation, one error shape, OpenAPI.
 */
export async function configureApp(
  app: NestFastifyApplication,
  config: DashtamConfig,
): Promise<NestFastifyApplication> {
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();

  const securityHeaders = staticSecurityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Only the /docs page renders HTML; swagger-ui needs inline styles and scripts.
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
      },
    },
  });
  // helmet's headers, computed once (they do not depend on the request), and the request id, on every answer.
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id).headers(securityHeaders);
    done();
  });
  const routes = new RouteTable();
  fastify.addHook('onRoute', (route) => routes.add(route.method, route.url));

  app.enableCors({
    origin: config.app.corsOrigins,
    credentials: true,
    exposedHeaders: ['x-request-id', 'retry-after'],
  });
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: '/', method: RequestMethod.GET },
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(strictValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter(routes));

  if (config.app.docs) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Dashtam API')
        .setDescription('Financial data aggregation: users, linked institutions, accounts and transactions.')
        .setVersion(config.app.version)
        .addBearerAuth()
        .build(),
    );
    SwaggerModule.setup('docs', app, applyBearerSecurity(document));
  }
  return app;
}
