import { execFile } from 'node:child_process';
import { join } from 'node:path';

import { Client } from 'pg';

import { getConfig } from '@dashtam/config';
import { createScratchDatabase, dropDatabase, TestDbBootstrap, TestDbRefusedError } from '@dashtam/database';

import { startDatabaseAlias } from './support/database-alias';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'libs/database/src/testing/bootstrap.cli.ts');
// A database whose name does not say "test": the guard must never touch it.
const SENTINEL_DB = `dashtam_guard_sentinel_${process.pid}`;

// Asynchronous: a proxy in this process (the database alias) must keep serving while the CLI runs.
function runCli(
  env: Record<string, string | undefined>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const childEnv: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  for (const [key, value] of Object.entries(env)) if (value !== undefined) childEnv[key] = value;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', CLI],
      { cwd: ROOT, env: childEnv, encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ status, stdout, stderr });
      },
    );
  });
}

describe('TestDbBootstrap guards', () => {
  const admin = getConfig().database.adminUrl!;
  let sentinelUrl: string;

  beforeAll(async () => {
    sentinelUrl = await createScratchDatabase(admin, SENTINEL_DB);
    const client = new Client({ connectionString: sentinelUrl });
    await client.connect();
    await client.query('CREATE TABLE sentinel (id int PRIMARY KEY, note text)');
    await client.query(`INSERT INTO sentinel VALUES (1, 'must survive')`);
    await client.end();
  });

  afterAll(async () => {
    await dropDatabase(admin, SENTINEL_DB);
  });

  async function sentinelRows(): Promise<unknown[]> {
    const client = new Client({ connectionString: sentinelUrl });
    await client.connect();
    try {
      return (await client.query('SELECT id, note FROM sentinel')).rows;
    } finally {
      await client.end();
    }
  }

  it.each([
    ['testing with TESTING=true', { ENVIRONMENT: 'testing', TESTING: 'true' }, 'DATABASE_URL'],
    ['testing with TESTING unset', { ENVIRONMENT: 'testing' }, 'DATABASE_URL'],
    ['testing with TESTING=false', { ENVIRONMENT: 'testing', TESTING: 'false' }, 'TESTING'],
    ['development', { ENVIRONMENT: 'development', TESTING: 'true' }, 'ENVIRONMENT'],
  ])('refuses a non-test database (%s) with one line and touches nothing', async (_name, env, check) => {
    const result = await runCli({ ...env, DATABASE_URL: sentinelUrl });
    expect(result.status).not.toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^TestDbBootstrap refused \\(${check}\\)`));
    expect(await sentinelRows()).toEqual([{ id: 1, note: 'must survive' }]);
  });

  it('refuses, after connecting, a URL whose name says test when the server says the database is another', async () => {
    // Like a pooler's alias: the URL names a test database, the connection lands on the sentinel.
    const alias = await startDatabaseAlias(sentinelUrl, `dashtam_test_alias_${process.pid}`);
    try {
      const result = await runCli({ ENVIRONMENT: 'testing', TESTING: 'true', DATABASE_URL: alias.url });

      expect(result.status).not.toBe(0);
      expect(result.stderr.trim().split('\n')).toEqual([
        `TestDbBootstrap refused (current_database()): connected database "${SENTINEL_DB}" does not contain "test"`,
      ]);
      expect(await sentinelRows()).toEqual([{ id: 1, note: 'must survive' }]);
    } finally {
      await alias.close();
    }
  });

  it('refuses production before connecting', () => {
    const bootstrap = new TestDbBootstrap(
      { environment: 'production', testing: true },
      { ...getConfig().database, name: 'dashtam_test', url: 'postgres://nobody@127.0.0.1:1/dashtam_test' },
    );
    expect(() => bootstrap.assertConfigAllowed()).toThrow(TestDbRefusedError);
  });

  it('rebuilds a test database from the entities and reports the tables', async () => {
    const name = `dashtam_test_rebuild_${process.pid}`;
    const url = await createScratchDatabase(admin, name);
    try {
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.query('CREATE TABLE leftover (id int)');
      await client.end();

      const result = await runCli({ ENVIRONMENT: 'testing', TESTING: 'true', DATABASE_URL: url });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);

      const check = new Client({ connectionString: url });
      await check.connect();
      const tables = (
        await check.query<{ table_name: string }>(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
        )
      ).rows.map((r) => r.table_name);
      await check.end();
      expect(tables).not.toContain('leftover');
      expect(tables).toEqual(
        expect.arrayContaining([
          'users',
          'providers',
          'provider_connections',
          'provider_tokens',
          'provider_audit_logs',
        ]),
      );
      expect(result.stdout).toContain(`test database "${name}" rebuilt`);
      // Redirected output carries no terminal colour codes.
      expect(`${result.stdout}${result.stderr}`).not.toContain('\u001b[');
    } finally {
      await dropDatabase(admin, name);
    }
  });
});
