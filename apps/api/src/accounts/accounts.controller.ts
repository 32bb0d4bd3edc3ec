import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';

import { ApiProblem } from '../common/decorators/api-problem.decorator';
import { type AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { UuidParam } from '../common/decorators/uuid-param.decorator';
import { toAccountResponse, toBalanceSnapshotResponse, toPositionResponse } from './account.mapper';
import { AccountsService } from './accounts.service';
import { AccountListResponseDto, AccountResponseDto } from './dto/account-response.dto';
import { BalanceHistoryQueryDto } from './dto/balance-history-query.dto';
import { BalanceSnapshotListResponseDto } from './dto/balance-snapshot-response.dto';
import { ListAccountsQueryDto } from './dto/list-accounts-query.dto';
import { PositionListResponseDto } from './dto/position-response.dto';

const NOT_FOUND = "ACCOUNT.NOT_FOUND: unknown, or another user's account";

/** Accounts with their positions and balance history, as the last sync saw them (read-only). */
@ApiTags('accounts')
@ApiProblem(401, 'Missing, invalid or expired access token')
@Controller('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @ApiOperation({ summary: 'Your accounts across linked institutions, open and closed (filterable)' })
  @ApiResponse({ status: 200, type: AccountListResponseDto })
  @ApiProblem(400, 'VALIDATION.FAILED: provider_id is not a UUID, is_active not true/false, or an unknown parameter')
  async list(@CurrentUser() caller: AuthUser, @Query() query: ListAccountsQueryDto): Promise<AccountListResponseDto> {
    return { items: (await this.accounts.list(caller.id, query)).map(toAccountResponse) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of your accounts' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: AccountResponseDto })
  @ApiProblem(400, 'VALIDATION.FAILED: the id is not a UUID')
  @ApiProblem(404, NOT_FOUND)
  async get(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string): Promise<AccountResponseDto> {
    return toAccountResponse(await this.accounts.get(caller.id, id));
  }

  @Get(':id/positions')
  @ApiOperation({ summary: "The account's current holdings (positions the institution still reports)" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: PositionListResponseDto })
  @ApiProblem(400, 'VALIDATION.FAILED: the id is not a UUID')
  @ApiProblem(404, NOT_FOUND)
  async positions(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string): Promise<PositionListResponseDto> {
    return { items: (await this.accounts.positions(caller.id, id)).map(toPositionResponse) };
  }

  @Get(':id/balances')
  @ApiOperation({
    summary: "The account's balance history, oldest first",
    description: 'One snapshot per sync. `from` and `to` are whole UTC days (YYYY-MM-DD), both included.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: BalanceSnapshotListResponseDto })
  @ApiProblem(400, 'VALIDATION.FAILED: the id is not a UUID, a date is not YYYY-MM-DD, or from is after to')
  @ApiProblem(404, NOT_FOUND)
  async balances(
    @CurrentUser() caller: AuthUser,
    @UuidParam('id') id: string,
    @Query() query: BalanceHistoryQueryDto,
  ): Promise<BalanceSnapshotListResponseDto> {
    return { items: (await this.accounts.balances(caller.id, id, query)).map(toBalanceSnapshotResponse) };
  }
}
