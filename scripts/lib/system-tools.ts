import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** A program the test environment needs and could neither find nor install. */
export class MissingToolError extends Error {}

export interface SystemTool {
  /** Program name looked up on PATH (and the sbin folders), or an absolute path. */
  binary: string;
  /** Debian package that provides it. */
  debianPackage: string;
  /** Why it is needed, and what to do instead of installing it. */
  purpose: string;
}

export function findTool(binary: string): string | null {
  if (isAbsolute(binary)) return existsSync(binary) ? binary : null;
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/usr/local/bin'];
  return dirs.map((dir) => join(dir, binary)).find((path) => existsSync(path)) ?? null;
}

/**
 * Returns the tool's path. When it is missing, Debian's package is installed if we are root and
 * apt-get exists (a fresh CI machine); anything else is the developer's call, so we say what to
 * install and stop.
 */
export function ensureTool(tool: SystemTool, log: (message: string) => void): string {
  const found = findTool(tool.binary);
  if (found) return found;
  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
  if (!canInstall) {
    throw new MissingToolError(
      `${tool.binary} is not installed; ${tool.purpose}. Install it ` +
        `(Debian/Ubuntu: sudo apt-get install --no-install-recommends ${tool.debianPackage}), then retry.`,
    );
  }
  log(`${tool.binary} is missing: installing Debian package ${tool.debianPackage} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', tool.debianPackage]]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) throw new MissingToolError(`apt-get ${args.join(' ')} failed`);
  }
  const installed = findTool(tool.binary);
  if (!installed) throw new MissingToolError(`apt-get installed ${tool.debianPackage} but ${tool.binary} is not found`);
  return installed;
}

export const REDIS_SERVER: SystemTool = {
  binary: 'redis-server',
  debianPackage: 'redis-server',
  purpose: 'the fault e2e suite starts and kills its own, and the tests start one when no Redis answers at REDIS_URL',
};

/** The browser e2e suite drives Debian's Chromium through playwright-core, never a downloaded browser. */
export const CHROMIUM: SystemTool = {
  binary: '/usr/bin/chromium',
  debianPackage: 'chromium',
  purpose: 'the browser e2e suite drives it',
};

/** docker/init-test-db.sh is a psql script; its e2e suite runs it against the test server. */
export const PSQL: SystemTool = {
  binary: 'psql',
  debianPackage: 'postgresql-client',
  purpose: 'the docker/init-test-db.sh e2e suite runs it',
};

/** Compose v1 (Debian's docker-compose 1.29): its e2e suite checks that the compose files load there too. */
export const DOCKER_COMPOSE: SystemTool = {
  binary: 'docker-compose',
  debianPackage: 'docker-compose',
  purpose: 'the compose-files e2e suite runs its `config` on compose.yaml and compose.test.yaml',
};
