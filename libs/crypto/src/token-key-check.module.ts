import { Module } from '@nestjs/common';

import { CryptoModule } from './crypto.module';
import { StoredTokenKeysBootCheck } from './stored-token-keys.check';

/** Import once in an app that owns provider_tokens: it refuses to boot when a stored key id has no key. */
@Module({
  imports: [CryptoModule],
  providers: [StoredTokenKeysBootCheck],
})
export class TokenKeyCheckModule {}
