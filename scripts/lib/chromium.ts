import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where Debian's `chromium` package puts the browser; the browser e2e suite launches exactly this. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export class ChromiumMissingError extends Error {}

/**
 * The browser e2e suite (apps/api/test/browser-linking.e2e-spec.ts) drives Debian's Chromium through
 * playwright-core; playwright's own browser downloads are not used. When it is missing, the Debian
 * package is installed if we are root and apt-get exists; otherwise we say what to install and stop.
 */
export function ensureChromium(log: (message: string) => void): void {
  if (existsSync(CHROMIUM_PATH)) return;
  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
  if (!canInstall) {
    throw new ChromiumMissingError(
      `${CHROMIUM_PATH} is missing and the browser tests need it. Install Debian's chromium ` +
        '(sudo apt-get install --no-install-recommends chromium), then retry.',
    );
  }
  log('chromium is missing: installing Debian package chromium with apt-get (browser tests)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) throw new ChromiumMissingError(`apt-get ${args.join(' ')} failed`);
  }
  if (!existsSync(CHROMIUM_PATH))
    throw new ChromiumMissingError(`apt-get installed chromium but ${CHROMIUM_PATH} is missing`);
}
