import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { Test, type TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';

import { databaseConfig, DashtamConfigModule, type DatabaseConfig, getConfig } from '@dashtam/config';
import { createScratchDatabase, DatabaseModule, dropDatabase } from '@dashtam/database';

const MIGRATIONS = readdirSync(join(__dirname, '..', 'src', 'migrations')).filter((file) => file.endsWith('.ts'));

let booted: TestingModule | undefined;

/** Boots DatabaseModule with the database namespace overridden, as a test overrides configuration. */
async function bootWith(database: DatabaseConfig): Promise<DataSource> {
  booted = await Test.createTestingModule({ imports: [DashtamConfigModule, DatabaseModule] })
    .overrideProvider(databaseConfig.KEY)
    .useValue(database)
    .compile();
  await booted.init();
  return booted.get(DataSource);
}

/**
 * DatabaseModule decides whether to migrate at boot from the configuration it is given, so a test (or
 * any override) that turns `migrationsRun` on or off is obeyed, whatever the process environment says.
 */
describe('DatabaseModule migrations at boot', () => {
  const config = getConfig().database;
  const adminUrl = config.adminUrl!;
  const scratch = `dashtam_test_boot_${process.pid}`;
  let url: string;

  beforeEach(async () => {
    url = await createScratchDatabase(adminUrl, scratch);
  });
  afterEach(async () => {
    await booted?.close();
    booted = undefined;
  });
  afterAll(() => dropDatabase(adminUrl, scratch));

  it('the test environment does not migrate by default', () => {
    expect(config.migrationsRun).toBe(false);
  });

  it('an override with migrationsRun applies every committed migration before the DataSource is handed out', async () => {
    const dataSource = await bootWith({ ...config, url, migrationsRun: true });
    const applied = await dataSource.query<Array<{ name: string }>>('SELECT name FROM migrations ORDER BY id');
    expect(applied).toHaveLength(MIGRATIONS.length);
    expect(await dataSource.query<unknown[]>('SELECT 1 FROM users LIMIT 1')).toEqual([]);
  });

  it('an override without migrationsRun leaves the database empty', async () => {
    const dataSource = await bootWith({ ...config, url, migrationsRun: false });
    const tables = await dataSource.query<unknown[]>(
      "SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables).toEqual([]);
  });
});
