import { Module } from '@nestjs/common';

import { AccountsModule } from '../accounts/accounts.module';
import { ProvidersRepository } from '../providers/providers.repository';
import { TransactionsModule } from '../transactions/transactions.module';
import { ImportsController } from './imports.controller';
import { ImportsRepository } from './imports.repository';
import { ImportsService } from './imports.service';

/** File imports: the `imports` table and its API; accounts and transactions are written by their owners. */
@Module({
  imports: [AccountsModule, TransactionsModule],
  controllers: [ImportsController],
  // ProvidersRepository is stateless: imports create their `file` providers through the table's owner.
  providers: [ImportsRepository, ImportsService, ProvidersRepository],
})
export class ImportsModule {}
