import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { appConfig, type AppConfig, databaseConfig, type DatabaseConfig, isTestEnvironment } from '@dashtam/config';

import { buildDataSourceOptions } from '../data-source-options';
import { ENTITIES } from '../entities';

/** A refused bootstrap: `check` names the guard that failed; nothing was touched. */
export class TestDbRefusedError extends Error {
  constructor(
    readonly check: string,
    detail: string,
  ) {
    super(`TestDbBootstrap refused (${check}): ${detail}`);
    this.name = 'TestDbRefusedError';
  }
}

export interface TestDbReport {
  database: string;
  tables: string[];
  settings: { applied: string[]; skipped: string[] };
}

// Applied as database defaults where PostgreSQL allows it for this role; the rest are reported as skipped.
const TEST_SPEED_SETTINGS: Record<string, string> = {
  synchronous_commit: 'off',
  fsync: 'off',
  full_page_writes: 'off',
};

/**
 * Rebuilds the test database from the entities (SPEC §3). Every guard runs before the first byte is
 * written: the environment must be testing/ci, TESTING must be true, and both the configured and
 * the connected database names must contain "test".
 */
@Injectable()
export class TestDbBootstrap {
  private readonly logger = new Logger(TestDbBootstrap.name);

  constructor(
    @Inject(appConfig.KEY) private readonly app: Pick<AppConfig, 'environment' | 'testing'>,
    @Inject(databaseConfig.KEY) private readonly database: DatabaseConfig,
  ) {}

  /** Guard 1: pure checks on validated configuration, before any connection. */
  assertConfigAllowed(): void {
    if (!isTestEnvironment(this.app.environment)) {
      throw new TestDbRefusedError('ENVIRONMENT', `is "${this.app.environment}", must be "testing" or "ci"`);
    }
    if (this.app.testing !== true) throw new TestDbRefusedError('TESTING', 'must be true');
    if (!this.database.name.toLowerCase().includes('test')) {
      throw new TestDbRefusedError('DATABASE_URL', `database "${this.database.name}" does not contain "test"`);
    }
  }

  async run(): Promise<TestDbReport> {
    this.assertConfigAllowed();
    const dataSource = new DataSource({ ...buildDataSourceOptions(this.database, { poolMax: 1 }) });
    await dataSource.initialize();
    try {
      // Guard 2: the URL may lie (a proxy, a service alias); ask the server which database this is.
      const [{ name }] = (await dataSource.query('SELECT current_database() AS name')) as Array<{ name: string }>;
      if (!name.toLowerCase().includes('test')) {
        throw new TestDbRefusedError('current_database()', `connected database "${name}" does not contain "test"`);
      }
      const settings = await this.applySpeedSettings(dataSource);
      await dataSource.dropDatabase();
      await dataSource.synchronize();
      const tables = await this.verifyTables(dataSource);
      this.logger.log(`rebuilt "${name}": ${tables.length} tables (${tables.join(', ')})`);
      return { database: name, tables, settings };
    } finally {
      await dataSource.destroy();
    }
  }

  private async applySpeedSettings(dataSource: DataSource): Promise<TestDbReport['settings']> {
    const applied: string[] = [];
    const skipped: string[] = [];
    const [{ db, superuser }] = (await dataSource.query(
      `SELECT current_database() AS db, current_setting('is_superuser') = 'on' AS superuser`,
    )) as Array<{ db: string; superuser: boolean }>;
    const rows = (await dataSource.query('SELECT name, context FROM pg_settings WHERE name = ANY($1)', [
      Object.keys(TEST_SPEED_SETTINGS),
    ])) as Array<{ name: string; context: string }>;
    for (const { name, context } of rows) {
      // fsync / full_page_writes are server-wide (sighup): only the server's own config can change them.
      const settable = context === 'user' || (context === 'superuser' && superuser);
      const setting = `${name} = ${TEST_SPEED_SETTINGS[name]}`;
      if (!settable) {
        skipped.push(setting);
        continue;
      }
      // A database default, so every later test connection inherits it.
      await dataSource.query(`ALTER DATABASE "${db.replace(/"/g, '""')}" SET ${setting}`);
      applied.push(setting);
    }
    return { applied, skipped };
  }

  private async verifyTables(dataSource: DataSource): Promise<string[]> {
    const rows = (await dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    )) as Array<{ table_name: string }>;
    const present = new Set(rows.map((r) => r.table_name));
    const expected = ENTITIES.map((entity) => dataSource.getMetadata(entity).tableName);
    const missing = expected.filter((table) => !present.has(table));
    if (missing.length > 0) throw new Error(`TestDbBootstrap: tables missing after rebuild: ${missing.join(', ')}`);
    return expected;
  }
}

/** Cheap per-test isolation: empty every entity table in one statement (never a schema rebuild). */
export async function truncateAllTables(dataSource: DataSource): Promise<void> {
  const tables = dataSource.entityMetadatas.map((m) => `"${m.tableName}"`).join(', ');
  await dataSource.query(`TRUNCATE ${tables} RESTART IDENTITY CASCADE`);
}
