import { Module } from '@nestjs/common';

import { TransactionCursorCodec } from './transaction-cursor.codec';
import { TransactionsController } from './transactions.controller';
import { TransactionsRepository } from './transactions.repository';
import { TransactionsService } from './transactions.service';

/** A user's transactions: the table and the read API. */
@Module({
  controllers: [TransactionsController],
  providers: [TransactionsRepository, TransactionsService, TransactionCursorCodec],
  exports: [TransactionsRepository],
})
export class TransactionsModule {}
