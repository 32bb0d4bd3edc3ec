import { Module } from '@nestjs/common';

import { CryptoModule } from '@dashtam/crypto';

import { ProviderConnectionsRepository } from '../connections/provider-connections.repository';
import { StoredTokenKeysBootCheck } from './stored-token-keys.check';

/** Import once in an app that owns provider tokens: it refuses to boot when a stored key id has no key. */
@Module({
  imports: [CryptoModule],
  providers: [ProviderConnectionsRepository, StoredTokenKeysBootCheck],
})
export class TokenKeyCheckModule {}
