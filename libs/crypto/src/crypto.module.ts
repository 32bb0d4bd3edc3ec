import { Module } from '@nestjs/common';

import { TokenCipherService } from './token-cipher.service';

/** The token cipher, keyed from the validated `crypto` config namespace. */
@Module({
  providers: [TokenCipherService],
  exports: [TokenCipherService],
})
export class CryptoModule {}
