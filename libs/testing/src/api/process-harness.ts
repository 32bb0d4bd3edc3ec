import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

import { getConfig } from '@dashtam/config';

const ROOT = join(__dirname, '..', '..', '..', '..');
const MAIN = join(ROOT, 'apps', 'api', 'src', 'main.ts');
const PRELOAD = join(__dirname, 'listening-port.preload.ts');
// Three cold ts-node boots at once on two cores take a while; a hung boot must still fail the suite.
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;
const OUTPUT_LINES = 300;

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A real api process (apps/api/src/main.ts, as `make dev` runs it) on an ephemeral loopback port. */
export interface ApiProcess {
  name: string;
  pid: number;
  url: string;
  exited: Promise<ProcessExit>;
  /** The process's last log lines, for failure messages. */
  output: () => string;
  /** Sends `signal` (SIGKILL: no shutdown hook runs) and waits for the process to end. */
  kill: (signal?: NodeJS.Signals) => Promise<ProcessExit>;
  /** Graceful stop (SIGTERM), then SIGKILL if it overstays. */
  stop: () => Promise<ProcessExit>;
}

const running = new Set<ChildProcess>();
// Last resort if a suite dies without its afterAll: no api process outlives the test run.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * What a child needs to be configured like this test run: the environment (its env file then fills
 * in the rest) and the database and Redis this run uses, which may come from outside the env file.
 */
function baseEnvironment(): Record<string, string> {
  const config = getConfig();
  return {
    ENVIRONMENT: config.app.environment,
    DATABASE_URL: config.database.url,
    REDIS_URL: config.redis.url ?? '',
    TZ: 'UTC',
  };
}

/**
 * Spawns the api's main.ts with ts-node (transpile-only, like `make dev`), configured like this test
 * run plus `env`. API_PORT is 0; a preload reports the port the kernel picked over IPC.
 */
export async function startApiProcess(name: string, env: Record<string, string>): Promise<ApiProcess> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-r', PRELOAD, MAIN],
    {
      cwd: ROOT,
      env: { ...baseEnvironment(), ...env, API_HOST: '127.0.0.1', API_PORT: '0', API_TLS: 'false' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  running.add(child);
  const lines: string[] = [];
  const collect = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > OUTPUT_LINES) lines.splice(0, lines.length - OUTPUT_LINES);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const output = (): string => lines.map((line) => `  [${name}] ${line}`).join('\n');

  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not listen within ${START_TIMEOUT_MS} ms\n${output()}`));
    }, START_TIMEOUT_MS);
    child.on('message', (message: { type?: string; port?: number }) => {
      if (message.type !== 'listening' || typeof message.port !== 'number') return;
      clearTimeout(timer);
      resolve(message.port);
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before listening (code ${code}, signal ${signal})\n${output()}`));
    });
  });

  const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<ProcessExit> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  const stop = async (): Promise<ProcessExit> => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const exit = await exited;
    clearTimeout(timer);
    return exit;
  };
  return { name, pid: child.pid!, url: `http://127.0.0.1:${port}`, exited, output, kill, stop };
}

/** Starts `count` api processes side by side, all with the same `env`; if one fails, none is left running. */
export async function startApiProcesses(count: number, env: Record<string, string>): Promise<ApiProcess[]> {
  const started = await Promise.allSettled(
    Array.from({ length: count }, (_, i) => startApiProcess(`api-${i + 1}`, env)),
  );
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    await stopAll();
    throw (failure as PromiseRejectedResult).reason;
  }
  return started.map((result) => (result as PromiseFulfilledResult<ApiProcess>).value);
}

/** Stops every api process this harness started that is still running (afterAll, failures included). */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS).unref();
        }),
    ),
  );
}
