import { execFile, type ExecFileException } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

import { Client } from 'pg';

import { getConfig } from '@dashtam/config';
import { dropDatabase, ensureRoleAndDatabase } from '@dashtam/database';

const ROOT = join(__dirname, '..');
const BUILD_DIR = join(ROOT, '.data', `operator-build-${process.pid}`);
const OUT_DIR = join(BUILD_DIR, 'dist');
const MIGRATIONS = readdirSync(join(ROOT, 'libs/database/src/migrations'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.replace(/^(\d+)-(.+)\.ts$/, '$2$1'));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** Every CommonJS module file the process loaded. */
  loaded: string[];
}

function exec(file: string, args: string[], env: NodeJS.ProcessEnv, timeout: number): Promise<Run> {
  return new Promise((done) => {
    execFile(file, args, { cwd: ROOT, env, timeout, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      done({ code: exitCode(error), stdout, stderr, loaded: [] }),
    );
  });
}

// A timeout or signal is not an exit code; report it as -1 so no assertion mistakes it for one.
function exitCode(error: ExecFileException | null): number {
  if (!error) return 0;
  return typeof error.code === 'number' ? error.code : -1;
}

/**
 * Package folders npm ci --omit=dev leaves out (package-lock.json marks them `dev`), keyed like the
 * lock file: `node_modules/a` or `node_modules/a/node_modules/@s/b`.
 */
function devOnlyPackages(): Set<string> {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  return new Set(Object.entries(lock.packages).flatMap(([key, entry]) => (entry.dev ? [key] : [])));
}

function packageOf(file: string): string | null {
  const parts = relative(ROOT, file).split(sep);
  let end = -1;
  for (let i = 0; i < parts.length; i += 1) {
    if (parts[i] === 'node_modules') end = parts[i + 1]?.startsWith('@') ? i + 2 : i + 1;
  }
  return end === -1 ? null : parts.slice(0, end + 1).join('/');
}

/**
 * Operators run `migration:run` and `tokens:reencrypt` from the production image, which holds the
 * compiled output and the production dependencies only. This builds the tree as `npm run build` does
 * (nest build, tsc builder, tsconfig.build.json) into a scratch folder, runs the compiled commands with
 * plain node against a scratch database, and checks that nothing they load is TypeScript or a package
 * the production install leaves out.
 */
describe('operator commands, compiled', () => {
  const config = getConfig();
  const scratchName = `${config.database.name}_ops_${process.pid}`;
  const scratchUrl = (() => {
    const url = new URL(config.database.url);
    url.pathname = `/${scratchName}`;
    return url.toString();
  })();
  const hook = join(BUILD_DIR, 'record-modules.js');
  const moduleList = join(BUILD_DIR, 'modules.json');

  /** Plain node, no preloaded TypeScript support, the scratch database. */
  const runCompiled = async (script: string, args: string[] = []): Promise<Run> => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: scratchUrl, NODE_OPTIONS: '' };
    const run = await exec(process.execPath, ['-r', hook, join(OUT_DIR, script), ...args], env, 60_000);
    return { ...run, loaded: JSON.parse(readFileSync(moduleList, 'utf8')) as string[] };
  };

  beforeAll(async () => {
    expect(scratchName).toContain('test');
    mkdirSync(BUILD_DIR, { recursive: true });
    writeFileSync(
      join(BUILD_DIR, 'tsconfig.json'),
      JSON.stringify({
        extends: relative(BUILD_DIR, join(ROOT, 'tsconfig.build.json')),
        compilerOptions: { outDir: './dist' },
      }),
    );
    writeFileSync(
      hook,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(moduleList)}, ` +
        'JSON.stringify(Object.keys(require.cache))));\n',
    );
    const nest = join(ROOT, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');
    const build = await exec(
      process.execPath,
      [nest, 'build', 'api', '-p', relative(ROOT, join(BUILD_DIR, 'tsconfig.json'))],
      process.env,
      280_000,
    );
    expect({ code: build.code, stderr: build.stderr }).toEqual({ code: 0, stderr: '' });
    await ensureRoleAndDatabase(config.database.adminUrl!, scratchUrl);
  }, 300_000);

  afterAll(async () => {
    await dropDatabase(config.database.adminUrl!, scratchName);
    rmSync(BUILD_DIR, { recursive: true, force: true });
  });

  it('migration-run applies every committed migration to an empty database, then finds nothing to do', async () => {
    const first = await runCompiled('scripts/migration-run.js');

    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    expect(first.stdout).toContain(
      `database "${scratchName}": applied ${MIGRATIONS.length} migration(s): ${MIGRATIONS.join(', ')}`,
    );
    const client = new Client({ connectionString: scratchUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>('SELECT name FROM migrations ORDER BY id');
      expect(rows.map((row) => row.name)).toEqual(MIGRATIONS);
      const tables = await client.query<{ count: string }>(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('users', 'provider_tokens')",
      );
      expect(tables.rows[0].count).toBe('2');
    } finally {
      await client.end();
    }

    const second = await runCompiled('scripts/migration-run.js');
    expect({ code: second.code, stderr: second.stderr }).toEqual({ code: 0, stderr: '' });
    expect(second.stdout).toContain(`database "${scratchName}": no pending migration`);
  }, 120_000);

  it('tokens-reencrypt runs against the migrated database', async () => {
    const run = await runCompiled('scripts/reencrypt-tokens.js', ['--batch-size=10']);

    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain('done: every stored token is under key');
  }, 120_000);

  it('load no TypeScript, no TypeScript tooling and no development-only package', async () => {
    const devOnly = devOnlyPackages();
    expect(devOnly.has('node_modules/@nestjs/cli')).toBe(true);
    // Optional peers of production packages, so present in the image, but never needed by it.
    const tooling = new Set(['node_modules/ts-node', 'node_modules/typescript', 'node_modules/tsconfig-paths']);
    for (const script of ['scripts/migration-run.js', 'scripts/reencrypt-tokens.js']) {
      const { loaded } = await runCompiled(script);
      expect(loaded.some((file) => file.startsWith(OUT_DIR))).toBe(true);
      expect(loaded.some((file) => packageOf(file) === 'node_modules/typeorm')).toBe(true);
      const offending = loaded.filter((file) => {
        const pkg = packageOf(file) ?? '';
        return file.endsWith('.ts') || devOnly.has(pkg) || tooling.has(pkg);
      });
      expect({ script, offending }).toEqual({ script, offending: [] });
    }
  }, 120_000);
});
