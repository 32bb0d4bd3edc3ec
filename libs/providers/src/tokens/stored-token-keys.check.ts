import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { TokenCipherService } from '@dashtam/crypto';

import { ProviderConnectionsRepository } from '../connections/provider-connections.repository';
import { MissingTokenKeysError } from './missing-token-keys.error';

/**
 * Throws MissingTokenKeysError when a stored token row names a key id the ring lacks. Such rows
 * cannot be decrypted, and a process that started anyway would fail them one refresh at a time.
 */
export async function assertKeysCoverStoredTokens(dataSource: DataSource, cipher: TokenCipherService): Promise<void> {
  await assertRingCovers(new ProviderConnectionsRepository(dataSource), cipher);
}

async function assertRingCovers(connections: ProviderConnectionsRepository, cipher: TokenCipherService): Promise<void> {
  const missing = (await connections.keyIdsInUse()).filter((keyId) => !cipher.hasKey(keyId));
  if (missing.length > 0) throw new MissingTokenKeysError(missing);
}

const SCAN_BATCH = 1_000;

/**
 * Connections whose stored ciphertext fails authentication under its own connection id (tampered, or
 * copied from another connection). They cannot be used until linked again; a refresh marks them `error`.
 */
export async function findUnreadableTokenRows(
  connections: ProviderConnectionsRepository,
  cipher: TokenCipherService,
): Promise<string[]> {
  const unreadable: string[] = [];
  for await (const rows of connections.storedEnvelopeBatches(SCAN_BATCH)) {
    for (const row of rows) {
      const aad = { aad: row.connectionId };
      const envelopes = [row.accessTokenEncrypted, row.refreshTokenEncrypted, row.idTokenEncrypted];
      try {
        for (const envelope of envelopes) if (envelope !== null) cipher.decrypt(envelope, aad);
      } catch {
        unreadable.push(row.connectionId);
      }
    }
  }
  return unreadable;
}

/**
 * Runs the check while the api starts; a rejection stops the boot. onModuleInit rather than
 * onApplicationBootstrap: it must refuse before any module starts work (the refresh worker starts
 * on bootstrap), and the DataSource is already connected when module init hooks run.
 */
@Injectable()
export class StoredTokenKeysBootCheck implements OnModuleInit {
  private readonly logger = new Logger(StoredTokenKeysBootCheck.name);

  constructor(
    private readonly connections: ProviderConnectionsRepository,
    private readonly cipher: TokenCipherService,
  ) {}

  async onModuleInit(): Promise<void> {
    await assertRingCovers(this.connections, this.cipher);
    this.logger.log(`stored tokens are covered by the key ring (active key "${this.cipher.activeKeyId}")`);
    // Reported, not refused: one bad row must not take every other user's connections offline.
    const unreadable = await findUnreadableTokenRows(this.connections, this.cipher);
    if (unreadable.length > 0) {
      this.logger.warn(
        `${unreadable.length} stored token row(s) fail authentication and need linking again ` +
          `(connections ${unreadable.slice(0, 20).join(', ')}${unreadable.length > 20 ? ', …' : ''})`,
      );
    }
  }
}
