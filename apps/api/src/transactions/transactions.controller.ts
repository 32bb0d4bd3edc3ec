import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';

import { ApiProblem } from '../common/decorators/api-problem.decorator';
import { type AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { UuidParam } from '../common/decorators/uuid-param.decorator';
import { ListTransactionsQueryDto } from './dto/list-transactions-query.dto';
import { TransactionPageResponseDto, TransactionResponseDto } from './dto/transaction-response.dto';
import { toTransactionResponse } from './transaction.mapper';
import { TransactionsService } from './transactions.service';

@ApiTags('transactions')
@ApiProblem(401, 'Missing, invalid or expired access token')
@Controller('transactions')
export class TransactionsController {
  constructor(private readonly transactions: TransactionsService) {}

  @Get()
  @ApiOperation({
    summary: 'Your transactions, newest first, one cursor page at a time',
    description:
      'Ordered by date descending, then id descending (keyset). Follow `next_cursor` with the same filters until ' +
      'it is null; each transaction that existed when the walk began is returned exactly once, even while a sync ' +
      'adds new ones.',
  })
  @ApiResponse({ status: 200, type: TransactionPageResponseDto })
  @ApiProblem(
    400,
    'VALIDATION.FAILED: a filter is malformed, from is after to, limit is outside 1–500, the cursor was not ' +
      'issued for this query, or an unknown parameter',
  )
  async list(
    @CurrentUser() caller: AuthUser,
    @Query() query: ListTransactionsQueryDto,
  ): Promise<TransactionPageResponseDto> {
    const page = await this.transactions.list(caller.id, query);
    return { items: page.items.map(toTransactionResponse), next_cursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of your transactions' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: TransactionResponseDto })
  @ApiProblem(400, 'VALIDATION.FAILED: the id is not a UUID')
  @ApiProblem(404, "TRANSACTION.NOT_FOUND: unknown, or another user's transaction")
  async get(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string): Promise<TransactionResponseDto> {
    return toTransactionResponse(await this.transactions.get(caller.id, id));
  }
}
