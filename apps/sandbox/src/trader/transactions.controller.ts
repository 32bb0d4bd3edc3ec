import { Controller, Get, Headers, Param, Query } from '@nestjs/common';

import { ServiceError } from '../errors/service.error';
import { FaultPoint } from '../faults/fault-point.decorator';
import { AccessTokenVerifier } from './access-token.verifier';
import { parseTransactionQuery } from './transaction-query';
import { TraderDataService } from './trader-data.service';

@Controller('trader/v1/accounts/:accountHash/transactions')
export class TransactionsController {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly data: TraderDataService,
  ) {}

  @Get()
  @FaultPoint('transactions')
  list(
    @Param('accountHash') accountHash: string,
    @Query() query: unknown,
    @Headers('authorization') authorization?: string,
  ): Record<string, unknown>[] {
    const user = this.verifier.userFor(authorization);
    const account = this.data.account(user, accountHash);
    if (!account) throw ServiceError.accountNotFound();
    return this.data.transactions(user, account, parseTransactionQuery(query));
  }
}
