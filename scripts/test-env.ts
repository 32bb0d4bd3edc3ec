// `npm run test:env -- setup | exec -- <command...> | clean` (ENVIRONMENT=testing or ci): the local,
// Docker-free test environment. `setup` makes sure a PostgreSQL with the test role and database and a
// Redis answer — the configured ones when usable, else an embedded PostgreSQL and a local
// redis-server — and records in .data/test-env.json what it started and which URLs to use. `exec`
// runs a command with those URLs; `clean` stops what setup started and drops the test database.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

import {
  ConfigValidationError,
  databaseName,
  type DashtamConfig,
  isTestEnvironment,
  loadConfig,
} from '@dashtam/config';
import { canConnect, dropDatabase } from '@dashtam/database';

import { CHROMIUM, DOCKER_COMPOSE, ensureTool, PSQL, REDIS_SERVER } from './lib/system-tools';
import { describeCache, describeDatabase, shownPath } from './lib/describe';
import { EmbeddedPostgres } from './lib/embedded-postgres';
import { LocalRedis } from './lib/local-redis';
import { provisionDatabase } from './lib/provision-database';
import { redisAnswers } from './lib/redis-probe';
import { maskUrl } from './lib/url-mask';

const ROOT = resolve(__dirname, '..');
const STATE_FILE = join(ROOT, '.data', 'test-env.json');
const POSTGRES_DIR = join(ROOT, '.data', 'postgres-test');
// Not development's 55432 / 6379: dev and test run side by side.
const POSTGRES_PORT = 55433;
const REDIS_PORT = 56379;
const DEFAULT_REDIS_INDEX = 1;

/** What setup leaves for exec and clean. Holds a generated admin password: written 0600. */
interface TestEnvState {
  databaseUrl: string;
  adminUrl: string | null;
  embeddedPostgres: boolean;
  redisUrl: string;
  localRedis: boolean;
  /** Environment variables exec sets; empty when the configured services are used as they are. */
  overrides: Record<string, string>;
}

const embedded = new EmbeddedPostgres({ dir: POSTGRES_DIR, preferredPort: POSTGRES_PORT });
const localRedis = new LocalRedis({ dir: join(ROOT, '.data', 'redis-test'), preferredPort: REDIS_PORT });

function log(message: string): void {
  console.log(`test-env | ${message}`);
}

class UsageError extends Error {}

function testConfig(): DashtamConfig {
  const config = loadConfig({ ENVIRONMENT: 'testing', ...process.env }, { cwd: ROOT });
  if (!isTestEnvironment(config.app.environment)) {
    throw new UsageError(`test-env runs with ENVIRONMENT=testing or ci, not ${config.app.environment}`);
  }
  // Never create, flush or drop anything whose name does not say it is for tests.
  if (!config.database.name.includes('test')) {
    throw new UsageError(`the test database name "${config.database.name}" must contain "test"`);
  }
  return config;
}

async function readState(): Promise<TestEnvState | null> {
  if (!existsSync(STATE_FILE)) return null;
  return JSON.parse(await readFile(STATE_FILE, 'utf8')) as TestEnvState;
}

async function setup(): Promise<void> {
  const config = testConfig();
  const previous = await readState();
  const database = await provisionDatabase(
    { url: config.database.url, adminUrl: config.database.adminUrl },
    { prefer: 'admin', embedded },
  );

  let redisUrl = config.redis.url;
  const useLocalRedis = !(await redisAnswers(redisUrl));
  if (useLocalRedis) {
    const index = redisUrl ? new URL(redisUrl).pathname.slice(1) || DEFAULT_REDIS_INDEX : DEFAULT_REDIS_INDEX;
    const { port } = await localRedis.start(log);
    redisUrl = `redis://127.0.0.1:${port}/${index}`;
  }
  // A service an earlier setup started and this one no longer needs is stopped, not forgotten.
  if (previous?.embeddedPostgres && database.source !== 'embedded') await embedded.stop();
  if (previous?.localRedis && !useLocalRedis) await localRedis.stop();

  const overrides: Record<string, string> = {};
  if (database.source === 'embedded') {
    overrides.DATABASE_URL = database.url;
    overrides.DATABASE_ADMIN_URL = database.adminUrl ?? '';
  }
  if (useLocalRedis) overrides.REDIS_URL = redisUrl!;
  const state: TestEnvState = {
    databaseUrl: database.url,
    adminUrl: database.adminUrl,
    embeddedPostgres: database.source === 'embedded',
    redisUrl: redisUrl!,
    localRedis: useLocalRedis,
    overrides,
  };
  await mkdir(dirname(STATE_FILE), { recursive: true });
  await writeFile(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  const cache = useLocalRedis
    ? `cache Redis ${maskUrl(redisUrl!)} (local redis-server, no persistence)`
    : describeCache(redisUrl, true);
  log(`${describeDatabase(database, shownPath(ROOT, POSTGRES_DIR))}; ${cache}`);
  // Programs some e2e suites drive (scripts/lib/system-tools.ts); the fault suite starts its own redis-server.
  for (const tool of [CHROMIUM, PSQL, DOCKER_COMPOSE, REDIS_SERVER]) ensureTool(tool, log);
}

async function exec(command: string[]): Promise<number> {
  if (command.length === 0) throw new UsageError('usage: npm run test:env -- exec -- <command> [args...]');
  const state = await readState();
  if (!state) throw new UsageError('no test environment yet: run `make test-setup` (npm run test:env -- setup) first');
  if (state.embeddedPostgres && (await embedded.runningPort()) === null) {
    throw new UsageError('the embedded test PostgreSQL is not running: run `make test-setup` again');
  }
  if (state.localRedis && !(await redisAnswers(state.redisUrl))) {
    throw new UsageError('the local test redis-server is not running: run `make test-setup` again');
  }
  const child = spawn(command[0], command.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, ...state.overrides },
  });
  // The terminal's Ctrl-C reaches the child too; forwarding covers signals sent to us alone.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal === 'SIGINT' ? 2 : 15)));
  });
}

async function clean(): Promise<void> {
  const config = testConfig();
  const state = await readState();
  const adminUrl = state?.adminUrl ?? config.database.adminUrl;
  const name = databaseName(state?.databaseUrl ?? config.database.url);
  if (!name.includes('test')) throw new UsageError(`refusing to drop "${name}": its name does not contain "test"`);
  if (adminUrl && (await canConnect(adminUrl))) {
    await dropDatabase(adminUrl, name);
    log(`dropped database "${name}"`);
  } else {
    log(`database "${name}" left alone: no admin connection answers`);
  }
  if (state?.embeddedPostgres && (await embedded.stop())) log('embedded PostgreSQL stopped');
  if (state?.localRedis && (await localRedis.stop())) log('local redis-server stopped');
  await rm(STATE_FILE, { force: true });
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'setup':
      await setup();
      return 0;
    case 'exec':
      return exec(rest[0] === '--' ? rest.slice(1) : rest);
    case 'clean':
      await clean();
      return 0;
    default:
      throw new UsageError('usage: npm run test:env -- setup | exec -- <command...> | clean');
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigValidationError || error instanceof UsageError) console.error(error.message);
    else console.error(`test-env | ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
