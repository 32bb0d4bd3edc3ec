import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import type { Environment, TlsFiles } from '@dashtam/config';
import { generate } from 'selfsigned';

export interface HttpsOptions {
  key: Buffer;
  cert: Buffer;
}

/**
 * Creates a self-signed certificate for localhost / 127.0.0.1 when the configured files are
 * missing. Only outside production: there a missing certificate is an operator error.
 */
export async function ensureDevCertificates(tls: TlsFiles, environment: Environment): Promise<boolean> {
  if (existsSync(tls.certFile) && existsSync(tls.keyFile)) return false;
  if (environment === 'production') {
    throw new Error(`TLS files not found (TLS_CERT_FILE / TLS_KEY_FILE); production never generates certificates`);
  }
  const notAfter = new Date();
  notAfter.setFullYear(notAfter.getFullYear() + 1);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  await mkdir(dirname(tls.certFile), { recursive: true });
  await mkdir(dirname(tls.keyFile), { recursive: true });
  await writeFile(tls.keyFile, pems.private, { mode: 0o600 });
  await chmod(tls.keyFile, 0o600);
  await writeFile(tls.certFile, pems.cert);
  return true;
}

export async function loadHttpsOptions(tls: TlsFiles): Promise<HttpsOptions> {
  const [key, cert] = await Promise.all([readFile(tls.keyFile), readFile(tls.certFile)]);
  return { key, cert };
}
