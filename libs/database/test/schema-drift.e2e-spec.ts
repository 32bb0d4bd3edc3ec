import { getConfig } from '@dashtam/config';
import { detectSchemaDrift } from '@dashtam/database';

/**
 * Migrations are the only schema authority (CONVENTIONS #9): applying every committed migration to an
 * empty database must produce exactly what the entities describe. A changed entity without a
 * migration fails here, and so `make test` fails.
 */
describe('entities and committed migrations', () => {
  it('agree: no schema change is pending after all migrations ran', async () => {
    const config = getConfig();
    const drift = await detectSchemaDrift(
      config.database,
      config.database.adminUrl!,
      `dashtam_test_drift_${process.pid}`,
    );
    if (drift.up.length > 0) {
      throw new Error(
        `entities differ from migrations; run "make migration-generate NAME=…". Pending:\n${drift.up.join(';\n')}`,
      );
    }
    expect(drift.up).toEqual([]);
  });
});
