import { Module } from '@nestjs/common';

import { AccountsController } from './accounts.controller';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { BalanceSnapshotsRepository } from './balance-snapshots.repository';
import { PositionsRepository } from './positions.repository';

/** A user's accounts with their positions and balance history: the tables and the read API. */
@Module({
  controllers: [AccountsController],
  providers: [AccountsRepository, PositionsRepository, BalanceSnapshotsRepository, AccountsService],
  exports: [AccountsRepository, PositionsRepository, BalanceSnapshotsRepository],
})
export class AccountsModule {}
