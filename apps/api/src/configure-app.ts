import helmet from '@fastify/helmet';
import { RequestMethod } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { IncomingMessage } from 'node:http';
import { Logger } from 'nestjs-pino';

import type { DashtamConfig } from '@dashtam/config';
import { type HttpsOptions, requestIdFrom } from '@dashtam/platform';

import { applyBearerSecurity } from './common/decorators/public.decorator';
import { ProblemDetailsFilter } from './common/filters/problem-details.filter';
import { RouteTable } from './common/filters/route-table';
import { strictValidationPipe } from './common/pipes/validation.pipe';

export const API_PREFIX = 'api/v1';

/**
 * Frontends send `Content-Type: application/json` on every request, so a POST that takes no body
 * often arrives with that header and nothing else (SPEC §6): here an empty body is no body. Any
 * other body still goes through Fastify's JSON parser (prototype-poisoning guard, malformed → 400),
 * and a route that does take a body refuses the missing one in validation.
 */
class ApiFastifyAdapter extends FastifyAdapter {
  override registerParserMiddleware(prefix?: string, rawBody?: boolean): void {
    super.registerParserMiddleware(prefix, rawBody);
    const fastify = this.getInstance();
    const { bodyLimit, onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
    const parseJson = fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
    // Replaces the parser Nest just registered, which treats an empty body as malformed JSON.
    fastify.removeContentTypeParser('application/json');
    fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
      if (body.length === 0) {
        done(null, undefined);
        return;
      }
      parseJson(request, body as string, done);
    });
  }
}

/** The Fastify adapter every api instance runs on (tests too): body limit, TLS, request ids, JSON parsing. */
export function createAdapter(config: DashtamConfig, https?: HttpsOptions): FastifyAdapter {
  const options = {
    bodyLimit: config.app.bodyLimitBytes,
    ...(https ? { https } : {}),
    // pino-http does the request logging; Fastify mints the request id it logs.
    logger: false,
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => requestIdFrom(req.headers['x-request-id']),
    // request.ip (rate limits, audit) honours X-Forwarded-For only from these proxies.
    trustProxy: config.app.trustProxy,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  };
  // The https overload widens the server type; the app only ever uses http(s).Server.
  return new ApiFastifyAdapter(
    options as ConstructorParameters<typeof ApiFastifyAdapter>[0],
  ) as unknown as FastifyAdapter;
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

  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  const routes = new RouteTable();
  fastify.addHook('onRoute', (route) => routes.add(route.method, route.url));

  await app.register(helmet, {
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
