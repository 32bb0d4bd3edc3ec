import { execFile } from 'node:child_process';
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { Client } from 'pg';
import { generate } from 'selfsigned';

import { getConfig } from '@dashtam/config';

/**
 * The scripts the containers run, run here for real: docker/init-test-db.sh against the test
 * environment's PostgreSQL (through its admin connection, as the image's superuser would), and
 * docker/healthcheck.js against HTTP and HTTPS servers on loopback.
 */

const ROOT = join(__dirname, '..');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function runFile(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: ROOT, env, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Whether a `SCRAM-SHA-256$iter:salt$StoredKey:ServerKey` secret was made from `password` (RFC 5802). */
function scramMatches(secret: string, password: string): boolean {
  const parts = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):/.exec(secret);
  if (!parts) return false;
  const salted = pbkdf2Sync(password, Buffer.from(parts[2], 'base64'), Number(parts[1]), 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  return createHash('sha256').update(clientKey).digest('base64') === parts[3];
}

describe('docker/init-test-db.sh', () => {
  const adminUrl = new URL(getConfig().database.adminUrl!);
  // Hostile on purpose: quotes, backslash, a statement separator, a psql variable reference and "$".
  const password = `p'w"\\; DROP ROLE postgres; --:'x' $HOME`;
  const role = `dashtam_docker_${process.pid}_"role`;
  const database = `dashtam_test_docker_${process.pid}`;
  const refusedRole = `dashtam_docker_${process.pid}_refused`;
  const refusedDatabase = `dashtam_docker_${process.pid}_refused`;

  const scriptEnv = (overrides: Record<string, string>): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    PGHOST: adminUrl.hostname,
    PGPORT: adminUrl.port || '5432',
    PGPASSWORD: decodeURIComponent(adminUrl.password),
    POSTGRES_USER: decodeURIComponent(adminUrl.username),
    POSTGRES_DB: decodeURIComponent(adminUrl.pathname.slice(1)),
    TEST_POSTGRES_USER: role,
    TEST_POSTGRES_PASSWORD: password,
    TEST_POSTGRES_DB: database,
    ...overrides,
  });
  const onDatabase = (name: string): string => {
    const url = new URL(adminUrl);
    url.pathname = `/${encodeURIComponent(name)}`;
    return url.toString();
  };
  const run = (overrides: Record<string, string> = {}): Promise<Outcome> =>
    runFile('bash', ['docker/init-test-db.sh'], scriptEnv(overrides));

  // Identifiers quoted by format(%I), since the role name holds a double quote.
  const drop = async (statement: string, name: string): Promise<void> => {
    const [{ sql }] = await query<{ sql: string }>(adminUrl.toString(), 'SELECT format($1, $2::text) AS sql', [
      statement,
      name,
    ]);
    await query(adminUrl.toString(), sql);
  };
  const cleanUp = async (): Promise<void> => {
    for (const name of [database, refusedDatabase]) await drop('DROP DATABASE IF EXISTS %I WITH (FORCE)', name);
    for (const name of [role, refusedRole]) await drop('DROP ROLE IF EXISTS %I', name);
  };

  beforeAll(cleanUp);
  afterAll(cleanUp);

  it('creates the role with exactly the given password, the database it owns, and pgcrypto; twice', async () => {
    const first = await run();
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain(`database "${database}" are ready`);
    expect(first.stdout).not.toContain(password);
    expect(await run()).toMatchObject({ code: 0, stderr: '' });

    const [account] = await query<{ rolcanlogin: boolean; rolsuper: boolean; rolpassword: string }>(
      adminUrl.toString(),
      'SELECT rolcanlogin, rolsuper, rolpassword FROM pg_authid WHERE rolname = $1',
      [role],
    );
    expect(account).toMatchObject({ rolcanlogin: true, rolsuper: false });
    expect(scramMatches(account.rolpassword, password)).toBe(true);
    expect(scramMatches(account.rolpassword, `${password}x`)).toBe(false);

    const owners = await query<{ owner: string }>(
      adminUrl.toString(),
      'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
      [database],
    );
    expect(owners).toEqual([{ owner: role }]);
    const inside = await query<{ extension: boolean; schema_owner: string }>(
      onDatabase(database),
      `SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'pgcrypto') AS extension,
              (SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'public') AS schema_owner`,
    );
    expect(inside).toEqual([{ extension: true, schema_owner: role }]);
  });

  it('refuses a database whose name lacks "test" and creates nothing', async () => {
    const outcome = await run({ TEST_POSTGRES_USER: refusedRole, TEST_POSTGRES_DB: refusedDatabase });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('TEST_POSTGRES_DB must contain "test"');
    const found = await query(
      adminUrl.toString(),
      'SELECT 1 FROM pg_roles WHERE rolname = $1 UNION ALL SELECT 1 FROM pg_database WHERE datname = $2',
      [refusedRole, refusedDatabase],
    );
    expect(found).toEqual([]);
  });

  it('refuses to run without the password, naming the variable', async () => {
    const outcome = await run({ TEST_POSTGRES_PASSWORD: '' });
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toContain('TEST_POSTGRES_PASSWORD is required');
  });
});

describe('docker/healthcheck.js', () => {
  const servers: Server[] = [];
  const routes: RequestListener = (request, response) => {
    if (request.url === '/ok') response.writeHead(200).end('{"status":"ok"}');
    else if (request.url === '/down') response.writeHead(503).end();
    // '/hang' never answers: the probe's own timeout has to end it.
  };
  const listen = async (server: Server): Promise<number> => {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };
  const probe = (url: string): Promise<Outcome> => runFile(process.execPath, ['docker/healthcheck.js', url], {});
  let httpPort: number;
  let httpsPort: number;

  beforeAll(async () => {
    httpPort = await listen(createHttpServer(routes));
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048, algorithm: 'sha256' });
    httpsPort = await listen(createHttpsServer({ key: pems.private, cert: pems.cert }, routes));
  });

  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('exits 0 on a 2xx answer, over HTTP and over HTTPS with a self-signed certificate', async () => {
    expect(await probe(`http://127.0.0.1:${httpPort}/ok`)).toMatchObject({ code: 0, stderr: '' });
    expect(await probe(`https://127.0.0.1:${httpsPort}/ok`)).toMatchObject({ code: 0, stderr: '' });
  });

  it('exits 1 with the reason on a non-2xx answer', async () => {
    expect(await probe(`http://127.0.0.1:${httpPort}/down`)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'unhealthy: HTTP 503 from /down\n',
    });
  });

  it('exits 1 when nothing listens', async () => {
    const closed = createHttpServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const outcome = await probe(`http://127.0.0.1:${port}/ok`);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('ECONNREFUSED');
  });

  it('exits 1 when the answer does not come within its timeout', async () => {
    const started = Date.now();
    const outcome = await probe(`http://127.0.0.1:${httpPort}/hang`);
    expect(outcome).toMatchObject({ code: 1, stderr: 'unhealthy: no answer within 4000 ms\n' });
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 15_000);

  it('refuses targets beyond loopback, since it does not verify certificates', async () => {
    expect(await probe('https://192.0.2.1/health')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'unhealthy: refusing non-loopback target 192.0.2.1\n',
    });
    expect((await probe('not a url')).stderr).toContain('usage: node docker/healthcheck.js');
  });
});
