import type { DataSource } from 'typeorm';

import { type TokenCipherService, TokenDecryptionError, type TokenDecryptionFailure } from '@dashtam/crypto';

import {
  ProviderConnectionsRepository,
  type ResealedRow,
  type StoredEnvelopes,
} from '../connections/provider-connections.repository';
import { openTokens, sealTokens } from './token-sealing';

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

export const DEFAULT_REENCRYPT_BATCH_SIZE = 100;
// Each pass re-reads rows that lost a race; a row rewritten ten times during one run is left for the next run.
const MAX_PASSES = 10;

/**
 * Moves every stored token row whose key_id is not the active key onto the active key, in id order,
 * one atomic UPDATE per batch (ProviderConnectionsRepository.rewriteEnvelopes). Safe beside running
 * apis: the UPDATE is a compare-and-set on the version read, so a concurrent refresh always wins and
 * its row is simply read again. The version is deliberately not bumped: re-encryption changes no
 * token, and a refresh that read the row before us must still be able to store the token it just
 * obtained. Resumable by construction: the work left is exactly the rows whose key_id differs from
 * the active one. One pooled connection for the whole run.
 */
export async function reencryptAllTokens(
  dataSource: DataSource,
  cipher: TokenCipherService,
  options: ReencryptOptions = {},
): Promise<ReencryptResult> {
  const batchSize = options.batchSize ?? DEFAULT_REENCRYPT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  const activeKeyId = cipher.activeKeyId;
  const failures = new Map<string, TokenDecryptionFailure>();
  const connections = new ProviderConnectionsRepository(dataSource);
  const runner = dataSource.createQueryRunner();
  const manager = runner.manager;
  try {
    const progress: ReencryptProgress = {
      pass: 0,
      batch: 0,
      total: await connections.countSealedUnderOtherKeys(activeKeyId, manager),
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
        const rows = await connections.findSealedUnderOtherKeys(
          activeKeyId,
          { afterId: cursor, skipIds: [...failures.keys()], limit: batchSize },
          manager,
        );
        if (rows.length === 0) break;
        cursor = rows[rows.length - 1].id;
        const updates: ResealedRow[] = [];
        for (const row of rows) {
          try {
            updates.push(reencryptRow(cipher, row));
          } catch (error) {
            if (!(error instanceof TokenDecryptionError)) throw error;
            failures.set(row.id, error.reason);
          }
        }
        const written = await connections.rewriteEnvelopes(updates, manager);
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
      remaining: await connections.countSealedUnderOtherKeys(activeKeyId, manager),
      aborted,
    };
  } finally {
    await runner.release();
  }
}

// Same AAD as the original: a ciphertext pasted into this row fails here instead of being laundered.
function reencryptRow(cipher: TokenCipherService, row: StoredEnvelopes): ResealedRow {
  return {
    id: row.id,
    version: row.version,
    ...sealTokens(cipher, row.connectionId, openTokens(cipher, row.connectionId, row)),
  };
}
