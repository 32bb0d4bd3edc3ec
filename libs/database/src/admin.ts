import { Client } from 'pg';

export interface EnsureResult {
  createdRole: boolean;
  createdDatabase: boolean;
}

function parse(url: string): { user: string; password: string; database: string } {
  const u = new URL(url);
  return {
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)),
  };
}

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** True when the target URL can be used as is (server answers, role and database exist). */
export async function canConnect(url: string): Promise<boolean> {
  try {
    await withClient(url, (c) => c.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates the role and database named by `targetUrl` through an admin connection, idempotently, the
 * way docker/init-test-db.sh does. Passwords travel as parameters to format(), never spliced into SQL.
 */
export async function ensureRoleAndDatabase(adminUrl: string, targetUrl: string): Promise<EnsureResult> {
  const target = parse(targetUrl);
  const result: EnsureResult = { createdRole: false, createdDatabase: false };
  await withClient(adminUrl, async (admin) => {
    const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [target.user]);
    if (role.rowCount === 0) {
      const { rows } = await admin.query<{ sql: string }>(
        'SELECT format($$CREATE ROLE %I LOGIN PASSWORD %L$$, $1::text, $2::text) AS sql',
        [target.user, target.password],
      );
      await admin.query(rows[0].sql);
      result.createdRole = true;
    }
    const db = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [target.database]);
    if (db.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${ident(target.database)} OWNER ${ident(target.user)}`);
      result.createdDatabase = true;
    }
  });
  // Extensions need the admin's rights once; later the owner manages its own schema.
  const adminToTarget = new URL(adminUrl);
  adminToTarget.pathname = `/${encodeURIComponent(target.database)}`;
  await withClient(adminToTarget.toString(), async (admin) => {
    await admin.query('CREATE EXTENSION IF NOT EXISTS pgcrypto');
    await admin.query(`GRANT ALL ON SCHEMA public TO ${ident(target.user)}`);
    await admin.query(`ALTER SCHEMA public OWNER TO ${ident(target.user)}`);
  });
  return result;
}

/** Drops a database through the admin connection (test-clean, scratch databases). */
export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  await withClient(adminUrl, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${ident(database)} WITH (FORCE)`);
  });
}

/** Creates an empty database owned by the admin role; the caller drops it. */
export async function createScratchDatabase(adminUrl: string, database: string): Promise<string> {
  await dropDatabase(adminUrl, database);
  await withClient(adminUrl, (admin) => admin.query(`CREATE DATABASE ${ident(database)}`));
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}
