// `npm run dev` / `make dev`: the product on a developer's machine without Docker. Uses the configured
// PostgreSQL and Redis when they can be used, else an embedded PostgreSQL under .data/ and an
// in-memory cache; then runs api, callback and sandbox with hot reload, restarting any that crashes,
// until Ctrl-C.
import { join, resolve } from 'node:path';

import { ConfigValidationError, loadConfig } from '@dashtam/config';
import { ensureDevCertificates } from '@dashtam/platform';

import { describeCache, describeDatabase, shownPath } from './lib/describe';
import { EmbeddedPostgres } from './lib/embedded-postgres';
import { provisionDatabase } from './lib/provision-database';
import { redisAnswers } from './lib/redis-probe';
import { Supervisor } from './lib/supervisor';

const ROOT = resolve(__dirname, '..');
const APPS = ['api', 'callback', 'sandbox'];
const DATA_DIR = join(ROOT, '.data', 'postgres-dev');
const EMBEDDED_PORT = 55432;

const embedded = new EmbeddedPostgres({ dir: DATA_DIR, preferredPort: EMBEDDED_PORT });
// Set before the cluster starts, so a Ctrl-C during start-up still stops it; never set when the
// configured server is used, so we never stop a cluster another runner owns.
let embeddedInUse = false;
let supervisor: Supervisor | undefined;
let stopping: Promise<void> | undefined;
let starting: Promise<void> = Promise.resolve();
let shutdownGraceMs = 10_000;

function log(message: string): void {
  console.log(`dev | ${message}`);
}

/** Apps first, then the database they use; once, however many signals arrive. */
function shutdown(code: number): Promise<void> {
  stopping ??= (async () => {
    // A signal during start-up waits for it, so nothing it is starting outlives us.
    await starting.catch(() => undefined);
    log('stopping api, callback and sandbox');
    await supervisor?.stopAll(shutdownGraceMs);
    if (embeddedInUse && (await embedded.stop())) log('embedded PostgreSQL stopped');
    process.exit(code);
  })().catch((error: unknown) => {
    console.error(`dev | shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
  return stopping;
}

// The supervisor restarts an app when its sources or the libs change, and after a crash. Transpile-only
// keeps restarts fast; `npm run typecheck` (and make test) own type errors.
function runArgs(app: string): string[] {
  return ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', `apps/${app}/src/main.ts`];
}

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, ENVIRONMENT: 'development' }, { cwd: ROOT });
  shutdownGraceMs = config.app.shutdownTimeoutMs + 2_000;

  const database = await provisionDatabase(
    { url: config.database.url, adminUrl: config.database.adminUrl },
    {
      prefer: 'target',
      embedded: {
        start: () => {
          embeddedInUse = true;
          return embedded.start();
        },
        stop: () => embedded.stop(),
      },
    },
  );
  const redis = await redisAnswers(config.redis.url);
  log(`${describeDatabase(database, shownPath(ROOT, DATA_DIR))}; ${describeCache(config.redis.url, redis)}`);
  if (stopping) return;

  if (await ensureDevCertificates(config.tls, 'development')) {
    log(`generated a self-signed certificate for localhost: ${shownPath(ROOT, config.tls.certFile)}`);
  }
  if (stopping) return;

  const env: NodeJS.ProcessEnv = { ...process.env, ENVIRONMENT: 'development' };
  if (database.source === 'embedded') {
    env.DATABASE_URL = database.url;
    env.DATABASE_ADMIN_URL = database.adminUrl ?? '';
  }
  // Empty REDIS_URL is the documented switch to the in-memory cache.
  if (!redis) env.REDIS_URL = '';

  supervisor = new Supervisor(APPS, (message) => console.error(`dev | ${message}`));
  for (const app of APPS) {
    const watch = [join(ROOT, 'apps', app, 'src'), join(ROOT, 'libs')];
    supervisor.start({ name: app, command: process.execPath, args: runArgs(app), env, cwd: ROOT, watch });
  }
  log(
    `api ${config.app.publicUrl} · callback ${config.callback.publicUrl} · sandbox http://${config.sandbox.host}:${config.sandbox.port} — Ctrl-C stops everything`,
  );
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));

starting = main();
starting.catch((error: unknown) => {
  if (error instanceof ConfigValidationError) console.error(error.message);
  else console.error(`dev | ${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1);
});
