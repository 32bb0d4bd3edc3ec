import type { AddressInfo } from 'node:net';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';

import { callbackConfig, type CallbackConfig, getConfig } from '@dashtam/config';
import { ensureDevCertificates, loadHttpsOptions } from '@dashtam/platform';

import { configureCallbackApp, createCallbackAdapter } from '../../src/callback-app';
import { CallbackModule } from '../../src/callback.module';

export interface RunningCallbackApp {
  app: NestFastifyApplication;
  /** https://127.0.0.1:<ephemeral port> */
  url: string;
}

/**
 * The callback app as main.ts builds it, over real TLS on an ephemeral loopback port. `settings` is
 * used by reference: a stack whose api starts later can still fill in `apiUrl` afterwards.
 */
export async function startCallbackApp(settings: CallbackConfig): Promise<RunningCallbackApp> {
  const config = getConfig();
  await ensureDevCertificates(config.tls, config.app.environment);
  const moduleRef = await Test.createTestingModule({ imports: [CallbackModule] })
    .overrideProvider(callbackConfig.KEY)
    .useValue(settings)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    createCallbackAdapter(await loadHttpsOptions(config.tls)),
    { logger: false },
  );
  configureCallbackApp(app);
  await app.listen(0, '127.0.0.1');
  return { app, url: `https://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
}
