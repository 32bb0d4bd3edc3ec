import { Module } from '@nestjs/common';

import { AccessTokenVerifier } from './access-token.verifier';
import { AccountsController } from './accounts.controller';
import { TraderDataService } from './trader-data.service';
import { TransactionsController } from './transactions.controller';

/** Schwab's Trader API subset Dashtam reads: account numbers, accounts (+ positions), transactions. */
@Module({
  controllers: [AccountsController, TransactionsController],
  providers: [AccessTokenVerifier, TraderDataService],
})
export class TraderModule {}
