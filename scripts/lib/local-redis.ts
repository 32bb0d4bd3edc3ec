import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { findFreePort } from './free-port';
import { isRunning, signal } from './process-state';
import { redisAnswers } from './redis-probe';
import { ensureTool, REDIS_SERVER } from './system-tools';

const run = promisify(execFile);
const HOST = '127.0.0.1';

export interface LocalRedisOptions {
  /** Holds the pid file, port and log; never data (nothing is persisted). */
  dir: string;
  preferredPort: number;
}

/**
 * A throwaway `redis-server` for tests: loopback only, no RDB or AOF, daemonized so it outlives the
 * command that started it until `stop()`.
 */
export class LocalRedis {
  constructor(private readonly options: LocalRedisOptions) {}

  /** The port of a server we started earlier that still answers, or null. */
  async runningPort(): Promise<number | null> {
    const port = Number(await readFile(this.path('redis.port'), 'utf8').catch(() => ''));
    if (!port || !(await this.pid())) return null;
    return (await redisAnswers(`redis://${HOST}:${port}`)) ? port : null;
  }

  async start(log: (message: string) => void): Promise<{ port: number; startedNow: boolean }> {
    const running = await this.runningPort();
    if (running) return { port: running, startedNow: false };
    const binary = ensureTool(REDIS_SERVER, log);
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    const port = await findFreePort(this.options.preferredPort);
    await run(binary, [
      '--bind',
      HOST,
      '--port',
      String(port),
      '--protected-mode',
      'yes',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'yes',
      '--dir',
      this.options.dir,
      '--pidfile',
      this.path('redis.pid'),
      '--logfile',
      this.path('redis.log'),
    ]);
    await writeFile(this.path('redis.port'), String(port), { mode: 0o600 });
    for (let waited = 0; waited < 10_000; waited += 100) {
      if (await redisAnswers(`redis://${HOST}:${port}`)) return { port, startedNow: true };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const logTail = (await readFile(this.path('redis.log'), 'utf8').catch(() => '')).split('\n').slice(-10);
    throw new Error(`redis-server did not answer on ${HOST}:${port}:\n${logTail.join('\n')}`);
  }

  /** SIGTERM and wait; with persistence off nothing is written. False when nothing was running. */
  async stop(): Promise<boolean> {
    const pid = await this.pid();
    if (!pid) return false;
    process.kill(pid, 'SIGTERM');
    for (let waited = 0; waited < 10_000 && alive(pid); waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (alive(pid)) process.kill(pid, 'SIGKILL');
    await rm(this.path('redis.port'), { force: true });
    return true;
  }

  /** A crash: SIGKILL, nothing written. False when nothing was running. */
  async kill(): Promise<boolean> {
    const pid = await this.pid();
    if (!pid) return false;
    signal(pid, 'SIGKILL');
    for (let waited = 0; await isRunning(pid); waited += 50) {
      if (waited > 10_000) throw new Error(`redis-server ${pid} outlived SIGKILL`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await rm(this.path('redis.port'), { force: true });
    return true;
  }

  /** The pid from the pid file when that process is a live redis-server. */
  private async pid(): Promise<number | null> {
    const pid = Number((await readFile(this.path('redis.pid'), 'utf8').catch(() => '')).trim());
    // A killed server lingers as a zombie until its parent reaps it; it is gone for us.
    if (!pid || !(await isRunning(pid))) return null;
    // A pid file can outlive its process and the number be reused by something else.
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => 'redis-server');
    return comm.startsWith('redis') ? pid : null;
  }

  private path(name: string): string {
    return join(this.options.dir, name);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
