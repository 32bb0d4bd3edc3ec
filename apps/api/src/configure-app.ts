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

/** The Fastify adapter every api instance runs on (tests too): body limit, TLS, request ids. */
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
  return new FastifyAdapter(options as ConstructorParameters<typeof FastifyAdapter>[0]) as unknown as FastifyAdapter;
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
