import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

import { dropDatabase, ensureRoleAndDatabase } from '@dashtam/database';

/** The bench's own database and role, made fresh for a run and dropped after it. */
export interface BenchDatabase {
  name: string;
  /** As the api connects: the bench role with the password minted for this run. */
  url: string;
  adminUrl: string;
  postgresVersion: string;
}

// Everything the bench creates, empties or drops says so in its name.
const BENCH_NAME = /^[a-z_][a-z0-9_]{0,50}$/;

async function asAdmin<T>(adminUrl: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * Drops and recreates database `name` (owned by role `<name>_user`) through the admin connection, on the
 * server `serverUrl` points at. The role's password is minted per run: production refuses the development
 * passwords, and a run never depends on what an earlier one left. The api's migrations build the schema.
 */
export async function createBenchDatabase(adminUrl: string, serverUrl: string, name: string): Promise<BenchDatabase> {
  if (!name.includes('bench') || !BENCH_NAME.test(name)) {
    throw new Error(`the bench database name "${name}" must contain "bench" (lower-case letters, digits, _)`);
  }
  const role = `${name}_user`;
  const password = randomBytes(24).toString('hex');
  const url = new URL(serverUrl);
  url.username = role;
  url.password = password;
  url.pathname = `/${name}`;
  url.search = '';

  await dropDatabase(adminUrl, name);
  await ensureRoleAndDatabase(adminUrl, url.toString());
  const postgresVersion = await asAdmin(adminUrl, async (admin) => {
    const { rows } = await admin.query<{ sql: string }>(
      'SELECT format($$ALTER ROLE %I LOGIN PASSWORD %L$$, $1::text, $2::text) AS sql',
      [role, password],
    );
    await admin.query(rows[0].sql);
    const version = await admin.query<{ server_version: string }>('SHOW server_version');
    return version.rows[0].server_version.split(' ')[0];
  });
  return { name, url: url.toString(), adminUrl, postgresVersion };
}

/** Drops the bench database and its role. */
export async function dropBenchDatabase(database: BenchDatabase): Promise<void> {
  await dropDatabase(database.adminUrl, database.name);
  await asAdmin(database.adminUrl, async (admin) => {
    const { rows } = await admin.query<{ sql: string }>('SELECT format($$DROP ROLE IF EXISTS %I$$, $1::text) AS sql', [
      `${database.name}_user`,
    ]);
    await admin.query(rows[0].sql);
  });
}
