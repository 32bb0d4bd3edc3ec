import { execFile, type ExecFileException } from 'node:child_process';
import { resolve } from 'node:path';

import type { DataSource } from 'typeorm';

import { getConfig } from '@dashtam/config';
import { TokenCipherService } from '@dashtam/crypto';
import { truncateAllTables } from '@dashtam/database';
import {
  assertKeysCoverStoredTokens,
  findUnreadableTokenRows,
  MissingTokenKeysError,
  ProviderConnectionsRepository,
} from '@dashtam/providers';
import { apiTestingModule } from '@dashtam/testing';

import { cipherFor, createConnection, makeKeys, openDataSource, plainTokens, storeTokens } from './support/token-rows';

const keys = makeKeys('k1', 'k2', 'k3');
const secrets = Object.values(keys).flatMap((k) => [k.toString('base64'), k.toString('hex')]);

describe('stored token keys boot check (real PostgreSQL)', () => {
  let dataSource: DataSource;

  const storeUnder = async (cipher: TokenCipherService) =>
    storeTokens(dataSource, cipher, await createConnection(dataSource), plainTokens());

  beforeAll(async () => {
    dataSource = await openDataSource();
  });
  // Rows under keys the test configuration lacks would stop every later api boot: never leave one behind.
  beforeEach(async () => {
    await truncateAllTables(dataSource);
  });
  afterAll(async () => {
    await truncateAllTables(dataSource);
    await dataSource.destroy();
  });

  describe('assertKeysCoverStoredTokens', () => {
    it('passes on an empty table', async () => {
      await expect(assertKeysCoverStoredTokens(dataSource, cipherFor(keys, ['k2'], 'k2'))).resolves.toBeUndefined();
    });

    it('refuses, naming every missing key id and no key material, until the ring covers them', async () => {
      await storeUnder(cipherFor(keys, ['k3'], 'k3'));
      await storeUnder(cipherFor(keys, ['k1'], 'k1'));
      await storeUnder(cipherFor(keys, ['k2'], 'k2'));

      const error = await assertKeysCoverStoredTokens(dataSource, cipherFor(keys, ['k2'], 'k2')).catch((e) => e);

      expect(error).toBeInstanceOf(MissingTokenKeysError);
      expect(error.keyIds).toEqual(['k1', 'k3']);
      expect(error.message).toContain('"k1", "k3"');
      expect(error.message).toContain('TOKEN_ENCRYPTION_KEYS');
      for (const secret of secrets) expect(error.message).not.toContain(secret);
      await expect(
        assertKeysCoverStoredTokens(dataSource, cipherFor(keys, ['k1', 'k2', 'k3'], 'k2')),
      ).resolves.toBeUndefined();
    });
  });

  describe('api start-up', () => {
    it('the api process refuses to start while a stored token names a key id missing from its ring', async () => {
      await storeUnder(new TokenCipherService(getConfig().crypto));
      await storeUnder(cipherFor(keys, ['k3'], 'k3'));

      // A real process, started like production: Nest's close() cannot clean up after a failed init.
      const { code, stderr } = await startApiProcess();

      expect(code).toBe(1);
      expect(stderr).toContain('api failed to start: MissingTokenKeysError');
      expect(stderr).toContain('key id(s) "k3" that TOKEN_ENCRYPTION_KEYS does not contain');
      for (const secret of secrets) expect(stderr).not.toContain(secret);
    }, 120_000);

    it('finds stored rows whose ciphertext fails authentication (copied from another connection)', async () => {
      const cipher = new TokenCipherService(getConfig().crypto);
      await storeUnder(cipher);
      await storeUnder(cipher);
      const rows = (await dataSource.query('SELECT connection_id FROM provider_tokens ORDER BY id')) as Array<{
        connection_id: string;
      }>;
      const [source, target] = rows.map((row) => row.connection_id);
      await dataSource.query(
        `UPDATE provider_tokens SET access_token_encrypted = (SELECT access_token_encrypted FROM provider_tokens
           WHERE connection_id = $1) WHERE connection_id = $2`,
        [source, target],
      );
      const connections = new ProviderConnectionsRepository(dataSource);
      expect(await findUnreadableTokenRows(connections, cipher)).toEqual([target]);
    });

    it('boots when every stored key id is in the configured ring', async () => {
      await storeUnder(new TokenCipherService(getConfig().crypto));
      const moduleRef = await apiTestingModule().compile();
      moduleRef.useLogger(false);

      await expect(moduleRef.init()).resolves.toBe(moduleRef);
      await moduleRef.close();
    });
  });
});

function startApiProcess(): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'],
      // Port 0: should the check ever let it through, it must not collide with anything; the timeout ends it.
      { cwd: resolve(__dirname, '../../..'), env: { ...process.env, API_PORT: '0' }, timeout: 100_000 },
      (error, _stdout, stderr) => done({ code: exitCode(error), stderr }),
    );
  });
}

// A timeout or signal is not an exit code; report it as -1 so no assertion mistakes it for one.
function exitCode(error: ExecFileException | null): number {
  if (!error) return 0;
  return typeof error.code === 'number' ? error.code : -1;
}
