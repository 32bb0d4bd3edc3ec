import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

// Arbitrary but fixed: every Dashtam process that migrates takes this lock.
export const MIGRATION_LOCK_KEY = 727_274_826;

/**
 * Runs pending migrations while holding a session-level PostgreSQL advisory lock, so any number of
 * processes can boot at once: the first migrates, the others wait and then find nothing to do.
 */
export async function runMigrationsLocked(
  dataSource: DataSource,
  logger = new Logger('Migrations'),
): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0)
      logger.log(`applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
