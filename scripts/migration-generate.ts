// `npm run migration:generate -- <Name>`: writes the migration that brings the committed migrations
// up to the entities, computed against a scratch database (never the dev database).
import 'reflect-metadata';

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { getConfig } from '@dashtam/config';
import { detectSchemaDrift } from '@dashtam/database';

async function main(): Promise<void> {
  const name = (process.argv[2] ?? '').replace(/[^A-Za-z0-9]/g, '');
  if (!name) throw new Error('usage: npm run migration:generate -- <PascalCaseName>');
  const config = getConfig();
  if (!config.database.adminUrl) throw new Error('DATABASE_ADMIN_URL is required to generate migrations');
  const drift = await detectSchemaDrift(
    config.database,
    config.database.adminUrl,
    `dashtam_migration_scratch_${process.pid}`,
  );
  if (drift.up.length === 0) {
    console.log('No changes: entities and migrations agree.');
    return;
  }
  const timestamp = Date.now();
  const className = `${name}${timestamp}`;
  const q = (sql: string): string => `    await queryRunner.query(${JSON.stringify(sql)});`;
  const body = `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${drift.up.map(q).join('\n')}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${[...drift.down].reverse().map(q).join('\n')}
  }
}
`;
  const file = join(__dirname, '..', 'libs', 'database', 'src', 'migrations', `${timestamp}-${name}.ts`);
  writeFileSync(file, body);
  console.log(`wrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
