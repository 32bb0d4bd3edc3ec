import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { getConfig } from '@dashtam/config';

import { freeEphemeralPort, query } from './support';

const ROOT = resolve(__dirname, '..', '..');
const suffix = `localenv_dev_${process.pid}`;

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `npm run dev` without npm: the same script, as a process group we can signal like a terminal. */
function startDev(env: NodeJS.ProcessEnv): Run {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'scripts/dev.ts'],
    { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

function fetchStatus(url: string, ca?: Buffer): Promise<number> {
  return new Promise((done) => {
    const callback = (res: { statusCode?: number; resume: () => void }) => {
      res.resume();
      done(res.statusCode ?? 0);
    };
    const req = url.startsWith('https')
      ? httpsGet(url, { ca, servername: 'localhost' }, callback)
      : httpGet(url, callback);
    req.on('error', () => done(0));
    req.setTimeout(2_000, () => req.destroy());
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, run: Run, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    if (run.child.exitCode !== null) throw new Error(`dev runner exited while waiting for ${what}:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}:\n${run.output()}`);
}

/** Every live (non-zombie) process below `pid`, with its command line. */
function descendants(pid: number): { pid: number; cmd: string }[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z') parents.set(Number(entry), Number(fields[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const found: { pid: number; cmd: string }[] = [];
  const walk = (parent: number): void => {
    for (const [child, ppid] of parents) {
      if (ppid !== parent) continue;
      const cmd = (() => {
        try {
          return readFileSync(`/proc/${child}/cmdline`, 'utf8').replace(/\0/g, ' ');
        } catch {
          return '';
        }
      })();
      found.push({ pid: child, cmd });
      walk(child);
    }
  };
  walk(pid);
  return found;
}

function alive(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

describe('dev runner (scripts/dev.ts): real PostgreSQL and TLS, memory cache when no Redis answers', () => {
  const config = getConfig();
  const adminUrl = config.database.adminUrl!;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let ports: { api: number; callback: number; sandbox: number };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dashtam-dev-runner-'));
    ports = { api: await freeEphemeralPort(), callback: await freeEphemeralPort(), sandbox: await freeEphemeralPort() };
    const database = new URL(adminUrl);
    database.username = `dashtam_test_${suffix}`;
    database.password = 'dev-runner-pass';
    database.pathname = `/dashtam_test_${suffix}`;
    env = { ...process.env };
    delete env.ENVIRONMENT;
    delete env.TESTING;
    Object.assign(env, {
      DATABASE_URL: database.toString(),
      DATABASE_ADMIN_URL: adminUrl,
      // No Redis answers here: the runner must fall back to the memory cache, and nothing the dev api
      // writes (cache, rate limits, job schedules) can leak into the Redis other suites use.
      REDIS_URL: `redis://127.0.0.1:${await freeEphemeralPort()}/0`,
      API_PORT: String(ports.api),
      API_PUBLIC_URL: `https://localhost:${ports.api}`,
      CALLBACK_PORT: String(ports.callback),
      CALLBACK_PUBLIC_URL: `https://127.0.0.1:${ports.callback}`,
      CALLBACK_API_URL: `https://localhost:${ports.api}`,
      SANDBOX_PORT: String(ports.sandbox),
      TLS_CERT_FILE: join(dir, 'localhost.crt'),
      TLS_KEY_FILE: join(dir, 'localhost.key'),
      LOG_LEVEL: 'warn',
    });
  });

  afterAll(async () => {
    await query(adminUrl, `DROP DATABASE IF EXISTS dashtam_test_${suffix} WITH (FORCE)`);
    await query(adminUrl, `DROP ROLE IF EXISTS dashtam_test_${suffix}`);
    await rm(dir, { recursive: true, force: true });
  });

  async function startAndWaitReady(): Promise<{ run: Run; ca: Buffer }> {
    const run = startDev(env);
    await waitFor('the one-line summary', async () => run.output().includes('dev | api '), run);
    const ca = await readFile(join(dir, 'localhost.crt'));
    await waitFor(
      'api /health/ready over HTTPS',
      async () => (await fetchStatus(`https://localhost:${ports.api}/health/ready`, ca)) === 200,
      run,
    );
    await waitFor(
      'callback /health over HTTPS',
      async () => (await fetchStatus(`https://localhost:${ports.callback}/health`, ca)) === 200,
      run,
    );
    await waitFor(
      'sandbox /health',
      async () => (await fetchStatus(`http://127.0.0.1:${ports.sandbox}/health`)) === 200,
      run,
    );
    return { run, ca };
  }

  it('creates its database, serves api and callback over verified TLS, and Ctrl-C stops every child', async () => {
    const { run } = await startAndWaitReady();
    expect(run.output()).toMatch(
      new RegExp(
        `dev \\| database postgres://dashtam_test_${suffix}:\\*\\*\\*@[^ ]+/dashtam_test_${suffix} ` +
          `\\(role and database just created through DATABASE_ADMIN_URL\\); ` +
          `cache in memory \\(no Redis answers at ${env.REDIS_URL}\\)`,
      ),
    );
    expect(run.output()).not.toContain('dev-runner-pass');
    expect(run.output()).toContain('dev | generated a self-signed certificate for localhost');
    const tree = descendants(run.child.pid!);
    expect(tree.map((p) => p.cmd.match(/apps\/(\w+)\/src\/main\.ts/)?.[1]).filter(Boolean)).toEqual(
      expect.arrayContaining(['api', 'callback', 'sandbox']),
    );

    // A terminal's Ctrl-C: SIGINT to the foreground process group.
    process.kill(-run.child.pid!, 'SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('dev | stopping api, callback and sandbox');
    expect(tree.filter((p) => alive(p.pid))).toEqual([]);
    expect(await fetchStatus(`http://127.0.0.1:${ports.sandbox}/health`)).toBe(0);
  }, 180_000);

  it('restarts an app that crashed (kill -9), says so, and keeps the others running', async () => {
    const { run, ca } = await startAndWaitReady();
    const api = descendants(run.child.pid!).find((p) => p.cmd.includes('apps/api/src/main.ts'));
    expect(api).toBeDefined();
    const callback = descendants(run.child.pid!).find((p) => p.cmd.includes('apps/callback/src/main.ts'));

    process.kill(api!.pid, 'SIGKILL');
    await waitFor(
      'the restart notice',
      async () => run.output().includes('dev | api exited (SIGKILL); restarting in 1 s'),
      run,
    );
    await waitFor(
      'api /health/ready again',
      async () => (await fetchStatus(`https://localhost:${ports.api}/health/ready`, ca)) === 200,
      run,
    );
    const restarted = descendants(run.child.pid!).find((p) => p.cmd.includes('apps/api/src/main.ts'));
    expect(restarted!.pid).not.toBe(api!.pid);
    expect(alive(callback!.pid)).toBe(true);

    const tree = descendants(run.child.pid!);
    process.kill(-run.child.pid!, 'SIGINT');
    expect(await run.exited).toBe(0);
    expect(tree.filter((p) => alive(p.pid))).toEqual([]);
  }, 180_000);
});
