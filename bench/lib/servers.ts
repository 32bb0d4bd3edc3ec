import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { ModuleKind, ScriptTarget, transpileModule } from 'typescript';

import type { BaselineSettings } from '../baseline/queries';
import { pinned, type Placement, rssMiB } from './machine';

export const ROOT = join(__dirname, '..', '..');
const WORK_DIR = join(ROOT, '.data', 'bench');
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;
const OUTPUT_LINES = 200;

/** A server process under test: the api or the baseline. */
export interface Server {
  name: string;
  pid: number;
  url: string;
  /** Spawn to the first `GET /health` 200, in ms. */
  coldStartMs: number;
  rssMiB: () => number;
  /** Its last output lines, for error messages. */
  output: () => string;
  /** Graceful stop (SIGTERM), SIGKILL if it overstays. */
  stop: () => Promise<void>;
}

/** How the api runs: the production build (`dist/`), or its TypeScript sources (smoke runs). */
export type ApiBuild = 'dist' | 'source';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function healthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(`${url}/health`, { agent: false, timeout: 1_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once('error', () => resolve(false));
    req.once('timeout', () => req.destroy());
  });
}

interface SpawnInput {
  name: string;
  cwd?: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  port: number;
  placement: Placement;
  /** Pin to the server core (single server under load); the refresh sweep's processes share all cores. */
  pin: boolean;
  /** An IPC channel to the process (the baseline's settings, the profiler's controls). */
  ipc: boolean;
  /** Sent once the process runs. */
  message?: unknown;
}

async function spawnServer(input: SpawnInput): Promise<Server & { child: ChildProcess }> {
  const [command, args] = input.pin ? pinned(input.placement, input.command, input.args) : [input.command, input.args];
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: input.cwd ?? ROOT,
    env: input.env,
    stdio: ['ignore', 'pipe', 'pipe', ...(input.ipc ? (['ipc'] as const) : [])],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > OUTPUT_LINES) lines.splice(0, lines.length - OUTPUT_LINES);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const output = (): string => lines.map((line) => `  [${input.name}] ${line}`).join('\n');
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve();
    }),
  );
  if (input.message) child.send(input.message as object);

  const url = `http://127.0.0.1:${input.port}`;
  for (;;) {
    if (exitCode !== undefined)
      throw new Error(`${input.name} exited (code ${exitCode}) before answering\n${output()}`);
    if (await healthy(url)) break;
    if (performance.now() - started > START_TIMEOUT_MS) {
      child.kill('SIGKILL');
      throw new Error(`${input.name} did not answer /health within ${START_TIMEOUT_MS} ms\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const coldStartMs = performance.now() - started;

  const stop = async (): Promise<void> => {
    if (exitCode !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  return { name: input.name, pid: child.pid!, url, coldStartMs, rssMiB: () => rssMiB(child.pid!), output, stop, child };
}

export interface ApiStart {
  name: string;
  build: ApiBuild;
  env: Record<string, string>;
  placement: Placement;
  pin: boolean;
  /** Preload V8's sampling profiler, driven over IPC (`Profiled.profile`). */
  profiler?: boolean;
  /** Node flags instead of production's (experiments: heap sizes and the like). */
  nodeArgs?: string[];
  /** Another checkout's production build (bench/lib/variants.ts); this tree's by default. */
  root?: string;
}

/** An api process with the profiler preloaded. */
export interface Profiled extends Server {
  /** The process's own view of its memory (V8 heap, buffers). */
  memory: () => Promise<NodeJS.MemoryUsage>;
  /** Samples the CPU while `during` runs and writes the `.cpuprofile` to `file`. */
  profile: (file: string, during: () => Promise<unknown>) => Promise<void>;
}

/**
 * Node's flags for the api as production passes them: those of `npm run start:prod` (which the Docker
 * image's CMD repeats) in the revision at `root`.
 */
function productionNodeFlags(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  return (pkg.scripts?.['start:prod'] ?? '').split(' ').filter((word) => word.startsWith('--'));
}

/** One api process, as production starts it (`npm run start:prod`), on the port in its env. */
export async function startApi(start: ApiStart & { profiler: true }): Promise<Profiled>;
export async function startApi(start: ApiStart): Promise<Server>;
export async function startApi(start: ApiStart): Promise<Server | Profiled> {
  const root = start.root ?? ROOT;
  const entry =
    start.build === 'dist'
      ? [join(root, 'dist', 'apps', 'api', 'src', 'main.js')]
      : ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(ROOT, 'apps/api/src/main.ts')];
  const server = await spawnServer({
    name: start.name,
    command: process.execPath,
    cwd: root,
    args: [
      ...(start.nodeArgs ?? productionNodeFlags(root)),
      ...(start.profiler ? ['-r', compiled('profiler.preload')] : []),
      ...entry,
    ],
    env: start.env,
    port: Number(start.env.API_PORT),
    placement: start.placement,
    pin: start.pin,
    ipc: start.profiler === true,
  });
  if (!start.profiler) return server;
  const { child } = server;
  const ask = (message: object, answer: string): Promise<void> =>
    new Promise((resolve) => {
      const listener = (reply: { type?: string }): void => {
        if (reply.type !== answer) return;
        child.off('message', listener);
        resolve();
      };
      child.on('message', listener);
      child.send(message);
    });
  return {
    ...server,
    memory: async () => {
      let usage: NodeJS.MemoryUsage | undefined;
      const listener = (reply: { type?: string; usage?: NodeJS.MemoryUsage }): void => {
        if (reply.type === 'memory') usage = reply.usage;
      };
      child.on('message', listener);
      await ask({ type: 'memory' }, 'memory');
      child.off('message', listener);
      return usage!;
    },
    profile: async (file, during) => {
      await ask({ type: 'profile-start' }, 'profile-started');
      await during();
      await ask({ type: 'profile-stop', file }, 'profile-written');
    },
  };
}

/** The baseline server (bench/baseline), compiled to plain JavaScript so no TypeScript loader runs in it. */
export async function startBaseline(placement: Placement, settings: Omit<BaselineSettings, 'port'>): Promise<Server> {
  const port = await freePort();
  return spawnServer({
    name: 'baseline',
    command: process.execPath,
    args: [compiled('server')],
    env: { TZ: 'UTC', NODE_ENV: 'production' },
    port,
    placement,
    pin: true,
    ipc: true,
    message: { type: 'start', settings: { ...settings, port } satisfies BaselineSettings },
  });
}

const SOURCES: Record<string, string[]> = {
  server: ['baseline/server.ts', 'baseline/queries.ts'],
  'profiler.preload': ['lib/profiler.preload.ts'],
};

/** Transpiles a bench program (and its siblings) into .data/bench/js; returns its entry file. */
function compiled(program: keyof typeof SOURCES): string {
  const dir = join(WORK_DIR, 'js');
  mkdirSync(dir, { recursive: true });
  for (const source of SOURCES[program]) {
    const { outputText } = transpileModule(readFileSync(join(ROOT, 'bench', source), 'utf8'), {
      compilerOptions: { module: ModuleKind.CommonJS, target: ScriptTarget.ES2022, esModuleInterop: true },
    });
    writeFileSync(join(dir, basename(source).replace(/\.ts$/, '.js')), outputText);
  }
  return join(dir, basename(SOURCES[program][0]).replace(/\.ts$/, '.js'));
}
