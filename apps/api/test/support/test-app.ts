import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';

import { getConfig } from '@dashtam/config';
import { truncateAllTables } from '@dashtam/database';

import { AppModule } from '../../src/app.module';
import { configureApp, createAdapter } from '../../src/configure-app';

export interface TestApp {
  app: NestFastifyApplication;
  dataSource: DataSource;
  /** Base URL of the real HTTP server on loopback (ephemeral port). */
  url: string;
  close: () => Promise<void>;
}

/**
 * Boots the api exactly as main.ts does (same adapter, same configureApp) on an ephemeral loopback
 * port. `override` may replace only providers that reach outside the machine.
 */
export async function createTestApp(
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder,
): Promise<TestApp> {
  const config = getConfig();
  let builder = Test.createTestingModule({ imports: [AppModule] });
  if (override) builder = override(builder);
  const moduleRef = await builder.compile();
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

/** Empties every table; for suites whose data cannot be isolated by ownership. */
export async function resetDatabase(testApp: TestApp): Promise<void> {
  await truncateAllTables(testApp.dataSource);
}
