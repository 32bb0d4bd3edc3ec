import type { DataSource, QueryRunner } from 'typeorm';

import { TokenCipher } from './token-cipher.service';
import { TokenDecryptionError, type TokenDecryptionFailure } from './token-decryption.error';

export interface ReencryptProgress {
  pass: number;
  batch: number;
  /** Rows under another key when the run started. */
  total: number;
  reencrypted: number;
  conflicts: number;
  failed: number;
}

export interface ReencryptOptions {
  batchSize?: number;
  /** Aborting stops the run between batches; nothing is half-written, the next run resumes. */
  signal?: AbortSignal;
  onProgress?: (progress: ReencryptProgress) => void;
}

export interface ReencryptFailure {
  id: string;
  reason: TokenDecryptionFailure;
}

export interface ReencryptResult {
  activeKeyId: string;
  reencrypted: number;
  /** Rows a concurrent writer changed between read and write; they were re-read in a later pass. */
  conflicts: number;
  /** Rows that do not decrypt (tampered, moved, or a key missing from the ring); left untouched. */
  failures: ReencryptFailure[];
  /** Rows still under another key at the end; zero means done. */
  remaining: number;
  aborted: boolean;
}

interface TokenRow {
  id: string;
  connection_id: string;
  version: number;
  access_token_encrypted: string;
  refresh_token_encrypted: string | null;
  id_token_encrypted: string | null;
}

type RowUpdate = [id: string, version: number, access: string, refresh: string | null, idToken: string | null];

export const DEFAULT_REENCRYPT_BATCH_SIZE = 100;
// Each pass re-reads rows that lost a race; a row rewritten ten times during one run is left for the next run.
const MAX_PASSES = 10;

/**
 * Moves every provider_tokens row whose key_id is not the active key onto the active key, in id
 * order, one atomic UPDATE per batch. Safe beside running apis: the UPDATE is a compare-and-set on
 * the version read, so a concurrent refresh always wins and its row is simply read again. The
 * version is deliberately not bumped: re-encryption changes no token, and a refresh that read the
 * row before us must still be able to store the token it just obtained. Resumable by construction:
 * the work left is exactly the rows whose key_id differs from the active one.
 */
export async function reencryptAllTokens(
  dataSource: DataSource,
  cipher: TokenCipher,
  options: ReencryptOptions = {},
): Promise<ReencryptResult> {
  const batchSize = options.batchSize ?? DEFAULT_REENCRYPT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  const activeKeyId = cipher.activeKeyId;
  const failures = new Map<string, TokenDecryptionFailure>();
  const runner = dataSource.createQueryRunner();
  try {
    const progress: ReencryptProgress = {
      pass: 0,
      batch: 0,
      total: await countPending(runner, activeKeyId),
      reencrypted: 0,
      conflicts: 0,
      failed: 0,
    };
    let aborted = false;
    while (!aborted && progress.pass < MAX_PASSES) {
      progress.pass += 1;
      const conflictsBefore = progress.conflicts;
      let cursor: string | null = null;
      for (;;) {
        if (options.signal?.aborted) {
          aborted = true;
          break;
        }
        const rows = await selectBatch(runner, activeKeyId, cursor, [...failures.keys()], batchSize);
        if (rows.length === 0) break;
        cursor = rows[rows.length - 1].id;
        const updates: RowUpdate[] = [];
        for (const row of rows) {
          try {
            updates.push(reencryptRow(cipher, row));
          } catch (error) {
            if (!(error instanceof TokenDecryptionError)) throw error;
            failures.set(row.id, error.reason);
          }
        }
        const written = await writeBatch(runner, activeKeyId, updates);
        progress.batch += 1;
        progress.reencrypted += written;
        progress.conflicts += updates.length - written;
        progress.failed = failures.size;
        options.onProgress?.({ ...progress });
      }
      if (progress.conflicts === conflictsBefore) break;
    }
    return {
      activeKeyId,
      reencrypted: progress.reencrypted,
      conflicts: progress.conflicts,
      failures: [...failures].map(([id, reason]) => ({ id, reason })),
      remaining: await countPending(runner, activeKeyId),
      aborted,
    };
  } finally {
    await runner.release();
  }
}

function reencryptRow(cipher: TokenCipher, row: TokenRow): RowUpdate {
  // Same AAD as the original: a ciphertext pasted into this row fails here instead of being laundered.
  const context = { aad: row.connection_id };
  const move = (envelope: string | null): string | null =>
    envelope === null ? null : cipher.encrypt(cipher.decrypt(envelope, context), context);
  return [
    row.id,
    row.version,
    move(row.access_token_encrypted)!,
    move(row.refresh_token_encrypted),
    move(row.id_token_encrypted),
  ];
}

async function countPending(runner: QueryRunner, activeKeyId: string): Promise<number> {
  const [{ n }] = (await runner.query('SELECT count(*)::int AS n FROM provider_tokens WHERE key_id <> $1', [
    activeKeyId,
  ])) as Array<{ n: number }>;
  return n;
}

async function selectBatch(
  runner: QueryRunner,
  activeKeyId: string,
  afterId: string | null,
  skipIds: string[],
  limit: number,
): Promise<TokenRow[]> {
  return (await runner.query(
    `SELECT id, connection_id, version, access_token_encrypted, refresh_token_encrypted, id_token_encrypted
       FROM provider_tokens
      WHERE key_id <> $1 AND ($2::uuid IS NULL OR id > $2::uuid) AND NOT (id = ANY($3::uuid[]))
      ORDER BY id
      LIMIT $4`,
    [activeKeyId, afterId, skipIds, limit],
  )) as TokenRow[];
}

/** One statement, so the batch commits or rolls back as a whole; returns how many rows it wrote. */
async function writeBatch(runner: QueryRunner, activeKeyId: string, updates: RowUpdate[]): Promise<number> {
  if (updates.length === 0) return 0;
  const column = (index: number) => updates.map((update) => update[index]);
  const result = await runner.query(
    `UPDATE provider_tokens AS t
        SET access_token_encrypted = u.access, refresh_token_encrypted = u.refresh,
            id_token_encrypted = u.id_token, key_id = $1, updated_at = now()
       FROM unnest($2::uuid[], $3::int[], $4::text[], $5::text[], $6::text[]) AS u(id, version, access, refresh, id_token)
      WHERE t.id = u.id AND t.version = u.version`,
    [activeKeyId, column(0), column(1), column(2), column(3), column(4)],
    true,
  );
  return result.affected ?? 0;
}
