import type { INestApplicationContext } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';

import type { HttpsOptions } from '@dashtam/platform';

/** The callback app's adapter and wiring, shared by main.ts and the e2e tests. */
export function createCallbackAdapter(https?: HttpsOptions): FastifyAdapter {
  const options = { logger: false, ...(https ? { https } : {}) };
  return new FastifyAdapter(options as ConstructorParameters<typeof FastifyAdapter>[0]) as unknown as FastifyAdapter;
}

export function configureCallbackApp(app: NestFastifyApplication & INestApplicationContext): NestFastifyApplication {
  app.useLogger(app.get(Logger));
  return app;
}
