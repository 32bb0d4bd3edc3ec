import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { getConfig } from '@dashtam/config';
import { canConnect } from '@dashtam/database';

import { EmbeddedPostgres } from '../../scripts/lib/embedded-postgres';
import { provisionDatabase } from '../../scripts/lib/provision-database';
import { freeEphemeralPort, query } from './support';

// Names carry the run's pid: suites of parallel runs never share a role or database.
const suffix = `localenv_${process.pid}`;

/** Real servers only: the test environment's PostgreSQL (admin connection) and an embedded cluster. */
describe('provisionDatabase', () => {
  const config = getConfig().database;
  const adminUrl = config.adminUrl!;
  let base: string;
  let embedded: EmbeddedPostgres;
  let embeddedStarts = 0;
  const countingEmbedded = {
    start: () => {
      embeddedStarts += 1;
      return embedded.start();
    },
    stop: () => embedded.stop(),
  };

  function urlOn(server: string, role: string, password: string, database: string): string {
    const url = new URL(server);
    url.username = role;
    url.password = password;
    url.pathname = `/${database}`;
    return url.toString();
  }

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'dashtam-provision-'));
    await chmod(base, 0o755);
    embedded = new EmbeddedPostgres({ dir: join(base, 'pg'), preferredPort: await freeEphemeralPort() });
  });

  beforeEach(() => {
    embeddedStarts = 0;
  });

  afterAll(async () => {
    await query(adminUrl, `DROP DATABASE IF EXISTS dashtam_test_${suffix}_created WITH (FORCE)`);
    await query(adminUrl, `DROP ROLE IF EXISTS dashtam_test_${suffix}_role`);
    await query(adminUrl, `DROP ROLE IF EXISTS dashtam_test_${suffix}_weak`);
    await embedded.stop();
    await rm(base, { recursive: true, force: true });
  });

  it('uses a DATABASE_URL that already works as it is (development)', async () => {
    const result = await provisionDatabase(
      { url: config.url, adminUrl: 'postgres://nobody@127.0.0.1:1/postgres' },
      { prefer: 'target', embedded: countingEmbedded },
    );
    expect(result).toEqual({
      source: 'configured',
      url: config.url,
      adminUrl: 'postgres://nobody@127.0.0.1:1/postgres',
    });
    expect(embeddedStarts).toBe(0);
  });

  it('creates a missing role and database through the admin connection, with pgcrypto', async () => {
    const target = urlOn(adminUrl, `dashtam_test_${suffix}_role`, 'role-pass', `dashtam_test_${suffix}_created`);
    expect(await canConnect(target)).toBe(false);

    const first = await provisionDatabase({ url: target, adminUrl }, { prefer: 'admin', embedded: countingEmbedded });
    expect(first).toEqual({ source: 'created', url: target, adminUrl });
    const owner = await query(adminUrl, `SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1`, [
      `dashtam_test_${suffix}_created`,
    ]);
    expect(owner).toEqual([{ owner: `dashtam_test_${suffix}_role` }]);
    expect(await query(target, `SELECT extname FROM pg_extension WHERE extname = 'pgcrypto'`)).toHaveLength(1);

    // Idempotent: the second run finds everything in place.
    const second = await provisionDatabase({ url: target, adminUrl }, { prefer: 'admin', embedded: countingEmbedded });
    expect(second.source).toBe('configured');
    expect(embeddedStarts).toBe(0);
  });

  it('falls back to the embedded cluster when no server answers, keeping role, password and database names', async () => {
    const unreachable = 'postgres://dashtam_user:dev%20pass@127.0.0.1:1/dashtam_test_fallback';
    const result = await provisionDatabase(
      { url: unreachable, adminUrl: 'postgres://postgres@127.0.0.1:1/postgres' },
      { prefer: 'target', embedded: countingEmbedded },
    );
    expect(embeddedStarts).toBe(1);
    expect(result.source).toBe('embedded');
    expect(result.reason).toBe('no usable PostgreSQL at postgres://dashtam_user:***@127.0.0.1:1/dashtam_test_fallback');

    const url = new URL(result.url);
    expect(url.port).toBe(String(result.embedded!.port));
    expect(url.username).toBe('dashtam_user');
    expect(decodeURIComponent(url.password)).toBe('dev pass');
    expect(url.pathname).toBe('/dashtam_test_fallback');
    expect(await query(result.url, 'SELECT current_user AS who, current_database() AS db')).toEqual([
      { who: 'dashtam_user', db: 'dashtam_test_fallback' },
    ]);
    expect(result.adminUrl).toBe(result.embedded!.adminUrl);
  });

  it('falls back to the embedded cluster when the admin connection may not create the role', async () => {
    await query(adminUrl, `CREATE ROLE dashtam_test_${suffix}_weak LOGIN PASSWORD 'weak-pass' NOCREATEROLE NOCREATEDB`);
    const weakAdmin = urlOn(adminUrl, `dashtam_test_${suffix}_weak`, 'weak-pass', 'postgres');
    const missing = urlOn(adminUrl, `dashtam_test_${suffix}_nobody`, 'x', `dashtam_test_${suffix}_never`);
    const result = await provisionDatabase(
      { url: missing, adminUrl: weakAdmin },
      { prefer: 'target', embedded: countingEmbedded },
    );
    expect(result.source).toBe('embedded');
    expect(result.reason).toMatch(/^the admin connection could not create the role and database: permission denied/);
    expect(
      await query(adminUrl, 'SELECT 1 FROM pg_roles WHERE rolname = $1', [`dashtam_test_${suffix}_nobody`]),
    ).toEqual([]);

    // Tests prefer the admin connection, but a weak one does not hide a DATABASE_URL that works by itself.
    const usable = await provisionDatabase(
      { url: config.url, adminUrl: weakAdmin },
      { prefer: 'admin', embedded: countingEmbedded },
    );
    expect(usable).toEqual({ source: 'configured', url: config.url, adminUrl: weakAdmin });
    expect(embeddedStarts).toBe(1);
  });
});
