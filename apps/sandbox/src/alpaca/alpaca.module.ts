import { Module } from '@nestjs/common';

import { AlpacaAuthVerifier } from './alpaca-auth.verifier';
import { AlpacaDataService } from './alpaca-data.service';
import { AlpacaController } from './alpaca.controller';

/** Alpaca's Trading API v2 (API key pairs, no OAuth): account, positions, account activities. */
@Module({
  controllers: [AlpacaController],
  providers: [AlpacaAuthVerifier, AlpacaDataService],
})
export class AlpacaModule {}
