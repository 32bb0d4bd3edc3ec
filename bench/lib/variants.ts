// `--variant NAME=REV`: another revision's production build, measured in the same rounds as this tree's
// api and the baseline, so "what did this change buy" is a ratio taken side by side on the same machine
// at the same moment. A revision is exported with `git archive` (no checkout, no change to the repository),
// installed with `npm ci` from its own lock file (one install per lock file, from npm's cache) and built
// with `nest build api`; all of it kept under .data/bench/variants for the next run.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT } from './servers';

const VARIANTS_DIR = join(ROOT, '.data', 'bench', 'variants');

export interface Variant {
  name: string;
  revision: string;
  /** The exported tree holding `dist/`. */
  root: string;
}

export function parseVariant(spec: string): { name: string; revision: string } {
  const match = /^([A-Za-z0-9._-]+)=(.+)$/.exec(spec);
  if (!match) throw new Error(`--variant takes NAME=REVISION, got "${spec}"`);
  return { name: match[1], revision: match[2] };
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd}`);
}

/** Exports, installs and builds `revision` once; later runs reuse it. */
export function prepareVariant(name: string, revision: string, log: (message: string) => void): Variant {
  const commit = execFileSync('git', ['rev-parse', '--verify', `${revision}^{commit}`], {
    cwd: ROOT,
    encoding: 'utf8',
  }).trim();
  const root = join(VARIANTS_DIR, commit);
  const main = join(root, 'dist', 'apps', 'api', 'src', 'main.js');
  if (existsSync(main)) return { name, revision: commit.slice(0, 7), root };

  log(`variant ${name}: exporting and building ${commit.slice(0, 7)}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const archive = execFileSync('git', ['archive', '--format=tar', commit], { cwd: ROOT, maxBuffer: 512 * 1024 * 1024 });
  writeFileSync(join(root, '.archive.tar'), archive);
  run('tar', ['-xf', '.archive.tar'], root);
  rmSync(join(root, '.archive.tar'));

  const lock = readFileSync(join(root, 'package-lock.json'));
  const modules = join(VARIANTS_DIR, `modules-${createHash('sha256').update(lock).digest('hex').slice(0, 12)}`);
  if (!existsSync(join(modules, 'node_modules', '.package-lock.json'))) {
    rmSync(modules, { recursive: true, force: true });
    mkdirSync(modules, { recursive: true });
    writeFileSync(join(modules, 'package.json'), readFileSync(join(root, 'package.json')));
    writeFileSync(join(modules, 'package-lock.json'), lock);
    run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], modules);
  }
  symlinkSync(join(modules, 'node_modules'), join(root, 'node_modules'), 'dir');
  run(join(root, 'node_modules', '.bin', 'nest'), ['build', 'api'], root);
  return { name, revision: commit.slice(0, 7), root };
}
