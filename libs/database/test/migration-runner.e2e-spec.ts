import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { getConfig } from '@dashtam/config';
import { buildDataSourceOptions, createScratchDatabase, dropDatabase, runMigrationsLocked } from '@dashtam/database';
import { startApiProcesses, stopAll } from '@dashtam/testing';

/**
 * Migrations at boot (CONVENTIONS #9): every instance runs them under one PostgreSQL advisory lock,
 * so instances started together on an empty database all come up and apply each migration once.
 * Each test gets its own empty scratch database through the admin URL, dropped afterwards.
 */
describe('boot migrations under the advisory lock, on an empty database', () => {
  const config = getConfig();
  const admin = config.database.adminUrl!;

  // Migration names end in their timestamp, which orders them.
  const byTimestamp = (names: string[]): string[] =>
    [...names].sort((a, b) => Number(/\d+$/.exec(a)![0]) - Number(/\d+$/.exec(b)![0]));

  /** The committed migrations, and what the database's migrations table records, in order. */
  async function migrationsOf(url: string): Promise<{ committed: string[]; recorded: string[] }> {
    const dataSource = await new DataSource(buildDataSourceOptions(config.database, { url, poolMax: 1 })).initialize();
    try {
      const rows = (await dataSource.query('SELECT name FROM migrations ORDER BY id')) as Array<{ name: string }>;
      return {
        committed: byTimestamp(dataSource.migrations.map((m) => m.name!)),
        recorded: rows.map((row) => row.name),
      };
    } finally {
      await dataSource.destroy();
    }
  }

  it('three runners at once, each on its own connection: one applies every migration, the others find none', async () => {
    const name = `dashtam_test_migrate_${process.pid}`;
    const url = await createScratchDatabase(admin, name);
    const sources: DataSource[] = [];
    try {
      for (let i = 0; i < 3; i += 1) {
        sources.push(await new DataSource(buildDataSourceOptions(config.database, { url, poolMax: 2 })).initialize());
      }
      const committed = byTimestamp(sources[0].migrations.map((migration) => migration.name!));
      expect(committed.length).toBeGreaterThan(0);
      const quiet = new Logger('Migrations');
      quiet.log = () => undefined;

      const applied = await Promise.all(sources.map((dataSource) => runMigrationsLocked(dataSource, quiet)));

      expect(applied.map((names) => names.length).sort()).toEqual([0, 0, committed.length]);
      expect(applied.flat()).toEqual(committed);
      expect((await migrationsOf(url)).recorded).toEqual(committed);
    } finally {
      await Promise.all(sources.map((dataSource) => dataSource.destroy()));
      await dropDatabase(admin, name);
    }
  });

  it('two api processes started together both come up, and the schema holds each migration once', async () => {
    const name = `dashtam_test_boot_${process.pid}`;
    const url = await createScratchDatabase(admin, name);
    try {
      const processes = await startApiProcesses(2, {
        DATABASE_URL: url,
        DATABASE_MIGRATIONS_RUN: 'true',
        // Nothing but the boot is under test: no background jobs, quiet logs.
        PROVIDER_REFRESH_SCAN_SECONDS: '0',
        LOG_LEVEL: 'warn',
      });
      for (const api of processes) {
        const health = await fetch(`${api.url}/health`);
        expect(health.status).toBe(200);
      }
      const { committed, recorded } = await migrationsOf(url);
      expect(committed.length).toBeGreaterThan(0);
      expect(recorded).toEqual(committed);
    } finally {
      await stopAll();
      await dropDatabase(admin, name);
    }
  }, 240_000);
});
