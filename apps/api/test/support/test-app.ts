import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';

import { ALL_NAMESPACES, type DashtamConfig, getConfig } from '@dashtam/config';
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

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** Per-namespace changes to the validated configuration, e.g. `{ auth: { lockout: { threshold: 2 } } }`. */
export type ConfigOverrides = { [K in keyof DashtamConfig]?: DeepPartial<DashtamConfig[K]> };

export interface TestAppOptions {
  /** Applied to the typed config namespaces every provider injects (and to the Fastify adapter). */
  config?: ConfigOverrides;
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

function merge<T>(base: T, patch: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(patch)) return (patch === undefined ? base : patch) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = merge(out[key], value);
  return out as T;
}

/** The process's validated config with test overrides applied. */
export function testConfig(overrides: ConfigOverrides = {}): DashtamConfig {
  return merge(getConfig(), overrides);
}

/**
 * Boots the api exactly as main.ts does (same adapter, same configureApp) on an ephemeral loopback
 * port. `override` may replace only providers that reach outside the machine; `config` changes
 * settings (limits, TTLs) the way an operator would, through the config namespaces.
 */
export async function createTestApp(options: TestAppOptions | TestAppOptions['override'] = {}): Promise<TestApp> {
  const { config: overrides = {}, override } = typeof options === 'function' ? { override: options } : options;
  const config = testConfig(overrides);
  let builder = Test.createTestingModule({ imports: [AppModule] });
  for (const namespace of ALL_NAMESPACES) {
    const name = /^CONFIGURATION\((.+)\)$/.exec(String(namespace.KEY))?.[1] as keyof DashtamConfig | undefined;
    if (name && overrides[name] !== undefined) builder = builder.overrideProvider(namespace.KEY).useValue(config[name]);
  }
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
