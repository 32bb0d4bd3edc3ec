import { Controller, Get, Headers, Param, Query } from '@nestjs/common';

import { ServiceError } from '../errors/service.error';
import { FaultPoint } from '../faults/fault-point.decorator';
import { paramReader } from '../oauth/param-reader';
import { AccessTokenVerifier } from './access-token.verifier';
import { TraderDataService } from './trader-data.service';

/** `/trader/v1/accounts*`: account numbers with their hashes, and accounts with balances (and positions). */
@Controller('trader/v1/accounts')
export class AccountsController {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly data: TraderDataService,
  ) {}

  @Get('accountNumbers')
  @FaultPoint('accounts')
  accountNumbers(@Headers('authorization') authorization?: string): { accountNumber: string; hashValue: string }[] {
    const user = this.verifier.userFor(authorization);
    return this.data.accounts(user).map(({ accountNumber, hashValue }) => ({ accountNumber, hashValue }));
  }

  @Get()
  @FaultPoint('accounts')
  list(@Query() query: unknown, @Headers('authorization') authorization?: string): Record<string, unknown>[] {
    const user = this.verifier.userFor(authorization);
    const withPositions = wantsPositions(query);
    return this.data.accounts(user).map((account) => this.data.accountJson(account, withPositions));
  }

  @Get(':accountHash')
  @FaultPoint('accounts')
  one(
    @Param('accountHash') accountHash: string,
    @Query() query: unknown,
    @Headers('authorization') authorization?: string,
  ): Record<string, unknown> {
    const user = this.verifier.userFor(authorization);
    const withPositions = wantsPositions(query);
    const account = this.data.account(user, accountHash);
    if (!account) throw ServiceError.accountNotFound();
    return this.data.accountJson(account, withPositions);
  }
}

/** `fields` accepts only `positions` (Schwab's one optional field); anything else is a client bug. */
function wantsPositions(query: unknown): boolean {
  const fields = paramReader(query, (message) => ServiceError.badRequest(message)).optional('fields');
  if (fields === undefined) return false;
  if (fields !== 'positions') throw ServiceError.badRequest('fields may only be "positions"');
  return true;
}
