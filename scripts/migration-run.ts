// `npm run migration:run` in development; `node dist/scripts/migration-run.js` from the production image,
// which holds it compiled with the apps (no ts-node there). Applies pending migrations under the advisory
// lock the api takes at boot, so it is safe while api instances start or run.
import 'reflect-metadata';

import { DataSource } from 'typeorm';

import { ConfigValidationError, getConfig } from '@dashtam/config';
import { buildDataSourceOptions, runMigrationsLocked } from '@dashtam/database';

async function main(): Promise<void> {
  const config = getConfig();
  // Two connections: one holds the advisory lock while TypeORM migrates on the other.
  const dataSource = await new DataSource(buildDataSourceOptions(config.database, { poolMax: 2 })).initialize();
  try {
    const applied = await runMigrationsLocked(dataSource);
    console.log(
      applied.length > 0
        ? `database "${config.database.name}": applied ${applied.length} migration(s): ${applied.join(', ')}`
        : `database "${config.database.name}": no pending migration`,
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigValidationError) console.error(error.message);
  else console.error(`migration:run failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
