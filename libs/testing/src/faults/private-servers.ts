import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureRoleAndDatabase } from '@dashtam/database';

// The local test environment's own starters (scripts/lib), reused rather than copied: the same code
// that runs `make test-setup` without Docker starts these private servers.
import { EmbeddedPostgres } from '../../../../scripts/lib/embedded-postgres';
import { LocalRedis } from '../../../../scripts/lib/local-redis';

/** A real server process owned by one test: stop it, kill it, start it again on the same port. */
export interface PrivateServer {
  port: number;
  /** A clean shutdown (PostgreSQL: fast mode, clients disconnected; Redis: SIGTERM). */
  stop: () => Promise<void>;
  /** SIGKILL: a crash, nothing flushed. */
  kill: () => Promise<void>;
  /** Starts it again on the same port (PostgreSQL recovers from its log after a kill; Redis starts empty). */
  start: () => Promise<void>;
  /** Stops it for good and deletes its files. */
  destroy: () => Promise<void>;
}

export interface PrivatePostgres extends PrivateServer {
  /** The application role's URL to its own database (a name with "test" in it), on 127.0.0.1. */
  url: string;
}

export interface PrivateRedis extends PrivateServer {
  /** redis://127.0.0.1:<port>/1 */
  url: string;
}

/** A port nothing listens on now: the kernel's choice of an ephemeral one. */
async function ephemeralPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function privateDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `dashtam-${label}-`));
  // As root, PostgreSQL runs as an unprivileged user that must reach the directory.
  await chmod(dir, 0o755);
  return dir;
}

/**
 * A PostgreSQL cluster of its own (the embedded binaries) on a free port, never the machine's: an
 * empty database owned by a role with a generated password. The caller builds the schema (an api
 * with migrations at boot does it the production way).
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = await privateDir('fault-pg');
  const cluster = new EmbeddedPostgres({ dir: join(dir, 'pg'), preferredPort: await ephemeralPort() });
  const running = await cluster.start();
  const port = running.port;
  const url = `postgres://dashtam_fault:${randomBytes(18).toString('base64url')}@127.0.0.1:${port}/dashtam_fault_test`;
  await ensureRoleAndDatabase(running.adminUrl, url);
  return {
    port,
    url,
    stop: async () => void (await cluster.stop()),
    kill: async () => void (await cluster.kill()),
    start: async () => {
      const restarted = await cluster.start();
      if (restarted.port !== port) {
        await cluster.stop();
        throw new Error(`private PostgreSQL came back on port ${restarted.port}, not ${port}`);
      }
    },
    destroy: async () => {
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A redis-server of its own on a free port, without persistence, never the machine's. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = await privateDir('fault-redis');
  const server = new LocalRedis({ dir, preferredPort: await ephemeralPort() });
  const silent = (): void => undefined;
  const { port } = await server.start(silent);
  return {
    port,
    url: `redis://127.0.0.1:${port}/1`,
    stop: async () => void (await server.stop()),
    kill: async () => void (await server.kill()),
    start: async () => {
      const restarted = await server.start(silent);
      if (restarted.port !== port) {
        await server.stop();
        throw new Error(`private redis-server came back on port ${restarted.port}, not ${port}`);
      }
    },
    destroy: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
