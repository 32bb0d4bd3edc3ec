import { Injectable } from '@nestjs/common';

import { assertDateRange } from '../common/decorators/calendar-date.decorator';
import { AppError } from '../common/errors';
import type { ListTransactionsQueryDto } from './dto/list-transactions-query.dto';
import { TransactionCursorCodec } from './transaction-cursor.codec';
import type { TransactionFilters, TransactionView } from './transaction.views';
import { TransactionsRepository } from './transactions.repository';

export interface TransactionPage {
  items: TransactionView[];
  nextCursor: string | null;
}

/** The read side of transactions: keyset pages of the caller's rows; another user's id is a 404. */
@Injectable()
export class TransactionsService {
  constructor(
    private readonly transactions: TransactionsRepository,
    private readonly cursors: TransactionCursorCodec,
  ) {}

  async list(userId: string, query: ListTransactionsQueryDto): Promise<TransactionPage> {
    assertDateRange(query.from, query.to);
    const scope = { userId, filters: filtersOf(query) };
    const after = query.cursor === undefined ? null : this.cursors.decode(query.cursor, scope);
    // One row more than the page tells whether another page follows, without counting.
    const rows = await this.transactions.listPage(userId, scope.filters, after, query.limit + 1);
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    const nextCursor = rows.length > query.limit ? this.cursors.encode({ date: last.date, id: last.id }, scope) : null;
    return { items, nextCursor };
  }

  async get(userId: string, id: string): Promise<TransactionView> {
    const transaction = await this.transactions.findOwned(userId, id);
    if (!transaction) throw new AppError('TRANSACTION.NOT_FOUND', 'No such transaction');
    return transaction;
  }
}

/** One spelling per filter set (ids lower-cased, symbol upper-cased), so equal queries share cursors. */
function filtersOf(query: ListTransactionsQueryDto): TransactionFilters {
  return {
    accountId: query.account_id?.toLowerCase() ?? null,
    providerId: query.provider_id?.toLowerCase() ?? null,
    from: query.from ?? null,
    to: query.to ?? null,
    type: query.type ?? null,
    symbol: query.symbol?.toUpperCase() ?? null,
  };
}
