import { Module } from '@nestjs/common';

import { TokenCipher } from './token-cipher.service';

/** The token cipher, keyed from the validated `crypto` config namespace. */
@Module({
  providers: [TokenCipher],
  exports: [TokenCipher],
})
export class CryptoModule {}
