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
  }
}
