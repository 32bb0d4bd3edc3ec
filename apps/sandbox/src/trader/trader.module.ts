import { Module } from '@nestjs/common';

import { AccessTokenVerifier } from './access-token.verifier';
import { AccountsController } from './accounts.controller';
import { TraderDataService } from './trader-data.service';
import { TransactionsController } from './transactions.controller';
import { UserPreferenceController } from './user-preference.controller';

/** Schwab's Trader API subset Dashtam reads: account numbers, accounts (+ positions), transactions, preferences. */
@Module({
  controllers: [AccountsController, TransactionsController, UserPreferenceController],
  providers: [AccessTokenVerifier, TraderDataService],
})
export class TraderModule {}
