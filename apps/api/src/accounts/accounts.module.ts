import { Module } from '@nestjs/common';

import { AccountsRepository } from './accounts.repository';
import { BalanceSnapshotsRepository } from './balance-snapshots.repository';
import { PositionsRepository } from './positions.repository';

/** A user's accounts with their positions and balance history: the tables and the read API. */
@Module({
  providers: [AccountsRepository, PositionsRepository, BalanceSnapshotsRepository],
  exports: [AccountsRepository, PositionsRepository, BalanceSnapshotsRepository],
})
export class AccountsModule {}
