// `npm run certs` / `make certs`: the self-signed development certificate for localhost and 127.0.0.1
// at TLS_CERT_FILE / TLS_KEY_FILE, created only when missing (apps also do this at start-up).
import { resolve } from 'node:path';

import { loadConfig } from '@dashtam/config';
import { ensureDevCertificates } from '@dashtam/platform';

import { shownPath } from './lib/describe';

const ROOT = resolve(__dirname, '..');

async function main(): Promise<void> {
  const config = loadConfig(process.env, { cwd: ROOT });
  const files = `${shownPath(ROOT, config.tls.certFile)} and ${shownPath(ROOT, config.tls.keyFile)}`;
  if (await ensureDevCertificates(config.tls, config.app.environment)) {
    console.log(`generated a self-signed certificate for localhost and 127.0.0.1, valid one year: ${files}`);
  } else {
    console.log(`certificates already present, left unchanged: ${files} (delete them to generate new ones)`);
  }
}

main().catch((error: unknown) => {
  // Config errors are already one line per variable, without values.
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
