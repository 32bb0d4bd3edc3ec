import { execFile, type ExecFileException } from 'node:child_process';
import { resolve } from 'node:path';

import type { DataSource } from 'typeorm';

import { TokenDecryptionError } from '@dashtam/crypto';
import { truncateAllTables } from '@dashtam/database';
import { reencryptAllTokens, type ReencryptProgress } from '@dashtam/providers';
import { waitFor } from '@dashtam/testing';

import {
  cipherFor,
  createConnection,
  decryptRow,
  makeKeys,
  openDataSource,
  plainTokens,
  readRow,
  storeTokens,
} from './support/token-rows';

const ROOT = resolve(__dirname, '../../..');
const keys = makeKeys('k1', 'k2', 'k3');
const beforeRotation = cipherFor(keys, ['k1'], 'k1');
const rotated = cipherFor(keys, ['k1', 'k2'], 'k2');
const afterRetirement = cipherFor(keys, ['k2'], 'k2');

describe('reencryptAllTokens (real PostgreSQL)', () => {
  let dataSource: DataSource;

  const seed = async (count: number, cipher = beforeRotation) => {
    const rows: Array<{ id: string; tokens: ReturnType<typeof plainTokens> }> = [];
    for (let i = 0; i < count; i += 1) {
      const tokens = plainTokens();
      // Some connections have no refresh or id token; nulls must stay null.
      if (i % 3 === 1) tokens.idToken = null;
      if (i % 3 === 2) tokens.refresh = null;
      rows.push({ id: await storeTokens(dataSource, cipher, await createConnection(dataSource), tokens), tokens });
    }
    return rows.sort((a, b) => a.id.localeCompare(b.id));
  };

  beforeAll(async () => {
    dataSource = await openDataSource();
  });
  // The command works on the whole table, so ownership cannot isolate this suite; and rows under these
  // random keys must never outlive it, or every later api boot would (rightly) refuse to start.
  beforeEach(async () => {
    await truncateAllTables(dataSource);
  });
  afterAll(async () => {
    await truncateAllTables(dataSource);
    await dataSource.destroy();
  });

  it('moves every row to the active key; after the old key is retired every token still decrypts', async () => {
    const rows = await seed(5);
    const alreadyCurrent = await seed(1, rotated);
    const before = await Promise.all(rows.map((r) => readRow(dataSource, r.id)));
    const progress: ReencryptProgress[] = [];

    const result = await reencryptAllTokens(dataSource, rotated, { batchSize: 2, onProgress: (p) => progress.push(p) });

    expect(result).toEqual({
      activeKeyId: 'k2',
      reencrypted: 5,
      conflicts: 0,
      failures: [],
      remaining: 0,
      aborted: false,
    });
    expect(progress.map((p) => [p.batch, p.reencrypted, p.total])).toEqual([
      [1, 2, 5],
      [2, 4, 5],
      [3, 5, 5],
    ]);
    for (const [i, { id, tokens }] of rows.entries()) {
      const row = await readRow(dataSource, id);
      expect(row.key_id).toBe('k2');
      expect(row.version).toBe(before[i].version);
      for (const column of ['access_token_encrypted', 'refresh_token_encrypted', 'id_token_encrypted'] as const) {
        if (before[i][column] === null) expect(row[column]).toBeNull();
        else {
          expect(row[column]).not.toBe(before[i][column]);
          expect(afterRetirement.keyIdOf(row[column]!)).toBe('k2');
        }
      }
      expect(decryptRow(afterRetirement, row)).toEqual(tokens);
    }
    const untouched = await readRow(dataSource, alreadyCurrent[0].id);
    expect(decryptRow(afterRetirement, untouched)).toEqual(alreadyCurrent[0].tokens);

    const dump = JSON.stringify(await dataSource.query('SELECT * FROM provider_tokens'));
    for (const { tokens } of [...rows, ...alreadyCurrent]) {
      for (const value of Object.values(tokens)) if (value) expect(dump).not.toContain(value);
    }

    const again = await reencryptAllTokens(dataSource, rotated);
    expect(again).toMatchObject({ reencrypted: 0, remaining: 0, failures: [] });
  });

  it('an interrupted run leaves every row readable and the next run picks up where it stopped', async () => {
    const rows = await seed(3);
    const controller = new AbortController();

    const first = await reencryptAllTokens(dataSource, rotated, {
      batchSize: 1,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });

    expect(first).toMatchObject({ aborted: true, reencrypted: 1, remaining: 2 });
    const middle = await Promise.all(rows.map((r) => readRow(dataSource, r.id)));
    expect(middle.map((r) => r.key_id)).toEqual(['k2', 'k1', 'k1']);
    for (const [i, row] of middle.entries()) expect(decryptRow(rotated, row)).toEqual(rows[i].tokens);

    const second = await reencryptAllTokens(dataSource, rotated, { batchSize: 1 });
    expect(second).toMatchObject({ aborted: false, reencrypted: 2, remaining: 0 });
    for (const { id, tokens } of rows) {
      expect(decryptRow(afterRetirement, await readRow(dataSource, id))).toEqual(tokens);
    }
  });

  it('a concurrent refresh wins: the stale batch write is skipped and the refreshed row is re-read', async () => {
    const [a, b] = await seed(2);
    const original = await readRow(dataSource, a.id);
    const refreshed = plainTokens('refreshed');
    // An api instance still on the old key refreshes row A and holds its row lock until we let it commit.
    const writer = dataSource.createQueryRunner();
    await writer.startTransaction();
    const aad = { aad: original.connection_id };
    await writer.query(
      `UPDATE provider_tokens SET access_token_encrypted = $2, refresh_token_encrypted = $3,
              id_token_encrypted = $4, version = version + 1, refresh_count = refresh_count + 1 WHERE id = $1`,
      [
        a.id,
        beforeRotation.encrypt(refreshed.access, aad),
        beforeRotation.encrypt(refreshed.refresh!, aad),
        beforeRotation.encrypt(refreshed.idToken!, aad),
      ],
    );

    const run = reencryptAllTokens(dataSource, rotated, { batchSize: 10 });
    // The batch has read A's committed (soon stale) values and now waits on the writer's lock.
    await waitFor(
      "the batch waiting on the writer's lock",
      async () => {
        const [{ n }] = await dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return n > 0;
      },
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    await writer.commitTransaction();
    await writer.release();
    const result = await run;

    expect(result).toMatchObject({ conflicts: 1, reencrypted: 2, remaining: 0, failures: [] });
    const rowA = await readRow(dataSource, a.id);
    expect(rowA.key_id).toBe('k2');
    expect(rowA.version).toBe(original.version + 1);
    expect(decryptRow(afterRetirement, rowA)).toEqual(refreshed);
    expect(decryptRow(afterRetirement, await readRow(dataSource, b.id))).toEqual(b.tokens);
  });

  it('a ciphertext copied into another connection row fails to decrypt and is not laundered', async () => {
    const [x, y] = await seed(2);
    const rowX = await readRow(dataSource, x.id);
    await dataSource.query('UPDATE provider_tokens SET access_token_encrypted = $2 WHERE id = $1', [
      y.id,
      rowX.access_token_encrypted,
    ]);
    const copied = await readRow(dataSource, y.id);

    expect(rotated.decrypt(copied.access_token_encrypted, { aad: rowX.connection_id })).toBe(x.tokens.access);
    expect(() => rotated.decrypt(copied.access_token_encrypted, { aad: copied.connection_id })).toThrow(
      expect.objectContaining({ name: 'TokenDecryptionError', reason: 'authentication_failed' }),
    );

    const result = await reencryptAllTokens(dataSource, rotated);

    expect(result).toMatchObject({
      reencrypted: 1,
      remaining: 1,
      failures: [{ id: y.id, reason: 'authentication_failed' }],
    });
    expect(await readRow(dataSource, y.id)).toEqual(copied);
    expect(decryptRow(afterRetirement, await readRow(dataSource, x.id))).toEqual(x.tokens);
  });

  it('reports rows under a key the ring lacks and leaves them as they are', async () => {
    const [stray] = await seed(1, cipherFor(keys, ['k3'], 'k3'));
    const [ok] = await seed(1);
    const strayBefore = await readRow(dataSource, stray.id);

    const result = await reencryptAllTokens(dataSource, rotated);

    expect(result).toMatchObject({ reencrypted: 1, remaining: 1, failures: [{ id: stray.id, reason: 'unknown_key' }] });
    expect(await readRow(dataSource, stray.id)).toEqual(strayBefore);
    expect(() => decryptRow(rotated, strayBefore)).toThrow(TokenDecryptionError);
    expect(decryptRow(afterRetirement, await readRow(dataSource, ok.id))).toEqual(ok.tokens);
  });

  describe('npm run tokens:reencrypt', () => {
    const env = (activeKeyId: string, ids: string[]) => ({
      ...process.env,
      TOKEN_ENCRYPTION_KEYS: ids.map((id) => `${id}:${keys[id].toString('base64')}`).join(','),
      TOKEN_ENCRYPTION_ACTIVE_KEY_ID: activeKeyId,
    });
    const secrets = Object.values(keys).flatMap((k) => [k.toString('base64'), k.toString('hex')]);

    it('prints progress, exits 0 when nothing is left, and never prints a token or a key', async () => {
      const rows = await seed(3);

      const { code, stdout, stderr } = await runScript(['--batch-size=2'], env('k2', ['k1', 'k2']));

      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toContain('re-encrypting provider tokens to key "k2" in batches of 2');
      expect(stdout).toContain('pass 1, batch 1: 2/3 re-encrypted');
      expect(stdout).toContain('pass 1, batch 2: 3/3 re-encrypted');
      expect(stdout).toContain('done: every stored token is under key "k2" (3 this run)');
      for (const { id, tokens } of rows) {
        expect(decryptRow(afterRetirement, await readRow(dataSource, id))).toEqual(tokens);
        for (const value of Object.values(tokens)) if (value) expect(stdout + stderr).not.toContain(value);
      }
      for (const secret of secrets) expect(stdout + stderr).not.toContain(secret);
    }, 90_000);

    it('exits 1 and names the rows it could not move', async () => {
      const [stray] = await seed(1, cipherFor(keys, ['k3'], 'k3'));

      const { code, stderr } = await runScript([], env('k2', ['k1', 'k2']));

      expect(code).toBe(1);
      expect(stderr).toContain(`provider_tokens ${stray.id}: unknown_key`);
      expect(stderr).toContain('1 row(s) still under another key');
      for (const secret of secrets) expect(stderr).not.toContain(secret);
    }, 90_000);
  });
});

function runScript(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        'scripts/reencrypt-tokens.ts',
        ...args,
      ],
      { cwd: ROOT, env, timeout: 80_000 },
      (error, stdout, stderr) => done({ code: exitCode(error), stdout, stderr }),
    );
  });
}

// A timeout or signal is not an exit code; report it as -1 so no assertion mistakes it for one.
function exitCode(error: ExecFileException | null): number {
  if (!error) return 0;
  return typeof error.code === 'number' ? error.code : -1;
}
