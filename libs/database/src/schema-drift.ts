import { DataSource } from 'typeorm';

import type { DatabaseConfig } from '@dashtam/config';

import { createScratchDatabase, dropDatabase } from './admin';
import { buildDataSourceOptions } from './data-source-options';

export interface DriftReport {
  up: string[];
  down: string[];
}

/**
 * Applies the committed migrations to a scratch database and asks TypeORM what it would still have to
 * change to match the entities. Empty `up` means entities and migrations agree.
 */
export async function detectSchemaDrift(
  config: DatabaseConfig,
  adminUrl: string,
  scratchName: string,
): Promise<DriftReport> {
  const url = await createScratchDatabase(adminUrl, scratchName);
  const dataSource = new DataSource(buildDataSourceOptions(config, { url, poolMax: 2 }));
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    const sql = await dataSource.driver.createSchemaBuilder().log();
    return { up: sql.upQueries.map((q) => q.query), down: sql.downQueries.map((q) => q.query) };
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await dropDatabase(adminUrl, scratchName);
  }
}
