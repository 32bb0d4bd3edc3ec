import { Module } from '@nestjs/common';

import { TransactionsRepository } from './transactions.repository';

/** A user's transactions: the table and the read API. */
@Module({
  providers: [TransactionsRepository],
  exports: [TransactionsRepository],
})
export class TransactionsModule {}
