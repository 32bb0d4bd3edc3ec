// `npm run tokens:reencrypt [-- --batch-size=N]`: moves every stored provider token onto the active
// key (docs/token-vault.md). Safe while apis run; Ctrl-C stops after the current batch; rerun to resume.
// The production image runs it compiled: `node dist/scripts/reencrypt-tokens.js [--batch-size=N]`.
import 'reflect-metadata';

import { DataSource } from 'typeorm';

import { ConfigValidationError, getConfig } from '@dashtam/config';
import { TokenCipherService } from '@dashtam/crypto';
import { buildDataSourceOptions } from '@dashtam/database';
import { DEFAULT_REENCRYPT_BATCH_SIZE, reencryptAllTokens } from '@dashtam/providers';

function batchSizeFrom(argv: string[]): number {
  const index = argv.findIndex((arg) => arg === '--batch-size' || arg.startsWith('--batch-size='));
  if (index === -1) return DEFAULT_REENCRYPT_BATCH_SIZE;
  const raw = argv[index].includes('=') ? argv[index].split('=')[1] : argv[index + 1];
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 1) throw new RangeError('--batch-size must be a positive integer');
  return size;
}

async function main(): Promise<number> {
  const batchSize = batchSizeFrom(process.argv.slice(2));
  const config = getConfig();
  const cipher = new TokenCipherService(config.crypto);
  const dataSource = await new DataSource(buildDataSourceOptions(config.database, { poolMax: 1 })).initialize();
  const controller = new AbortController();
  const stop = (): void => {
    console.log('stopping after the current batch; run again to resume');
    controller.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    console.log(`re-encrypting provider tokens to key "${cipher.activeKeyId}" in batches of ${batchSize}`);
    const result = await reencryptAllTokens(dataSource, cipher, {
      batchSize,
      signal: controller.signal,
      onProgress: (p) =>
        console.log(
          `pass ${p.pass}, batch ${p.batch}: ${p.reencrypted}/${p.total} re-encrypted, ` +
            `${p.conflicts} re-read after a concurrent write, ${p.failed} failed`,
        ),
    });
    for (const failure of result.failures) console.error(`provider_tokens ${failure.id}: ${failure.reason}`);
    if (result.remaining === 0) {
      console.log(`done: every stored token is under key "${result.activeKeyId}" (${result.reencrypted} this run)`);
      return 0;
    }
    console.error(
      `${result.remaining} row(s) still under another key${result.aborted ? ' (stopped early)' : ''}; ` +
        'see the lines above, then run again',
    );
    return 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await dataSource.destroy();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigValidationError) console.error(error.message);
    else console.error(`tokens:reencrypt failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
