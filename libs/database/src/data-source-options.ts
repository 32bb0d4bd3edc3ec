import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { DatabaseConfig } from '@dashtam/config';
import type { DataSourceOptions } from 'typeorm';

import { DatabaseLogger } from './database.logger';
import { ENTITIES } from './entities';

const CONNECT_TIMEOUT_MS = 3_000;

/**
 * The single validated-config → DataSourceOptions builder, shared by the Nest module, the TypeORM
 * CLI data source and TestDbBootstrap. Schema changes never happen here: migrations run under an
 * advisory lock (migration-runner.ts) and tests rebuild from entities in TestDbBootstrap.
 */
export function buildDataSourceOptions(
  config: DatabaseConfig,
  overrides: { url?: string; poolMax?: number } = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url: overrides.url ?? config.url,
    entities: ENTITIES,
    migrations: [join(__dirname, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    ssl: config.ssl
      ? { rejectUnauthorized: true, ...(config.caFile ? { ca: readFileSync(config.caFile, 'utf8') } : {}) }
      : false,
    // Timestamps are timestamptz; make the session agree so server-side now() is UTC too.
    extra: {
      max: overrides.poolMax ?? config.poolMax,
      options: '-c TimeZone=UTC',
      application_name: 'dashtam',
      // A PostgreSQL that accepts connections but does not answer must not hold a request forever: after
      // this long the request answers 503 (Retry-After) instead.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    },
    logger: new DatabaseLogger(),
    logging: ['error', 'warn', 'migration'],
    maxQueryExecutionTime: 1_000,
  };
}
