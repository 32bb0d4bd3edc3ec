import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { MissingTokenKeysError } from './missing-token-keys.error';
import { TokenCipher } from './token-cipher.service';

/**
 * Throws MissingTokenKeysError when provider_tokens names a key id the ring lacks. Such rows cannot
 * be decrypted, and a process that started anyway would fail them one refresh at a time.
 */
export async function assertKeysCoverStoredTokens(dataSource: DataSource, cipher: TokenCipher): Promise<void> {
  const rows = (await dataSource.query('SELECT DISTINCT key_id FROM provider_tokens ORDER BY key_id')) as Array<{
    key_id: string;
  }>;
  const missing = rows.map((row) => row.key_id).filter((keyId) => !cipher.hasKey(keyId));
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
    private readonly dataSource: DataSource,
    private readonly cipher: TokenCipher,
  ) {}

  async onModuleInit(): Promise<void> {
    await assertKeysCoverStoredTokens(this.dataSource, this.cipher);
    this.logger.log(`stored tokens are covered by the key ring (active key "${this.cipher.activeKeyId}")`);
  }
}
