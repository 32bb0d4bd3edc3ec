import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { DataSource } from 'typeorm';

import { AppModule, configureApp, createAdapter } from '@dashtam/api-app';

import { type ConfigOverrides, overrideConfig, testConfig } from '../config/test-config';

export interface TestApp {
  app: NestFastifyApplication;
  dataSource: DataSource;
  /** Base URL of the real HTTP server on loopback (ephemeral port). */
  url: string;
  close: () => Promise<void>;
}

export interface TestAppOptions {
  /** Applied to the typed config namespaces every provider injects (and to the Fastify adapter). */
  config?: ConfigOverrides;
}

/** The api's module as the app boots it, with `config` applied: for suites that need no HTTP server. */
export function apiTestingModule(config: ConfigOverrides = {}): TestingModuleBuilder {
  return overrideConfig(Test.createTestingModule({ imports: [AppModule.forRoot(testConfig(config))] }), config);
}

/**
 * Boots the api exactly as main.ts does (same adapter, same configureApp) on an ephemeral loopback
 * port. `config` changes settings (limits, TTLs, institution URLs) the way an operator would,
 * through the config namespaces; nothing else is replaced.
 */
export async function createTestApp({ config: overrides = {} }: TestAppOptions = {}): Promise<TestApp> {
  const config = testConfig(overrides);
  const moduleRef = await overrideConfig(
    Test.createTestingModule({ imports: [AppModule.forRoot(config)] }),
    overrides,
    config,
  ).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(config), { logger: false });
  await configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    dataSource: app.get(DataSource),
    url: `http://127.0.0.1:${address.port}`,
    close: () => app.close(),
  };
}
