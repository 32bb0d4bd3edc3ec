import type { AddressInfo } from 'node:net';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';

import { configureCallbackApp, createCallbackAdapter, CallbackModule } from '@dashtam/callback-app';
import { ensureDevCertificates, loadHttpsOptions } from '@dashtam/platform';

import { type ConfigOverrides, overrideConfig, testConfig } from '../config/test-config';

export interface RunningCallbackApp {
  app: NestFastifyApplication;
  /** https://127.0.0.1:<ephemeral port> */
  url: string;
  /** Sends later callbacks to another api: a stack whose api starts after the callback app sets it then. */
  routeTo: (apiUrl: string) => void;
  close: () => Promise<void>;
}

/** The callback app as main.ts builds it, over real TLS on an ephemeral loopback port. */
export async function startCallbackApp(overrides: ConfigOverrides = {}): Promise<RunningCallbackApp> {
  // The callback namespace is always handed over as this object, so routeTo can change it in place.
  const withCallback = { ...overrides, callback: overrides.callback ?? {} };
  const config = testConfig(withCallback);
  await ensureDevCertificates(config.tls, config.app.environment);
  const moduleRef = await overrideConfig(
    Test.createTestingModule({ imports: [CallbackModule] }),
    withCallback,
    config,
  ).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    createCallbackAdapter(await loadHttpsOptions(config.tls)),
    { logger: false },
  );
  configureCallbackApp(app);
  await app.listen(0, '127.0.0.1');
  return {
    app,
    url: `https://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`,
    routeTo: (apiUrl) => {
      config.callback.apiUrl = apiUrl;
    },
    close: () => app.close(),
  };
}
