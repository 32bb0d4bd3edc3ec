import { Injectable } from '@nestjs/common';

import { assertDateRange } from '../common/decorators/calendar-date.decorator';
import { AppError } from '../common/errors';
import type { AccountView, BalanceSnapshotView, PositionView } from './account.views';
import { AccountsRepository } from './accounts.repository';
import { BalanceSnapshotsRepository } from './balance-snapshots.repository';
import type { BalanceHistoryQueryDto } from './dto/balance-history-query.dto';
import type { ListAccountsQueryDto } from './dto/list-accounts-query.dto';
import { PositionsRepository } from './positions.repository';

const notFound = (): AppError => new AppError('ACCOUNT.NOT_FOUND', 'No such account');

/** The read side of accounts: every answer is scoped to the caller; another user's account is a 404. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly holdings: PositionsRepository,
    private readonly snapshots: BalanceSnapshotsRepository,
  ) {}

  list(userId: string, query: ListAccountsQueryDto): Promise<AccountView[]> {
    // A provider id that is not the caller's simply matches nothing: it is a filter, not a resource.
    return this.accounts.listOwned(userId, {
      providerId: query.provider_id?.toLowerCase(),
      isActive: query.is_active,
    });
  }

  async get(userId: string, id: string): Promise<AccountView> {
    const account = await this.accounts.findOwned(userId, id);
    if (!account) throw notFound();
    return account;
  }

  async positions(userId: string, accountId: string): Promise<PositionView[]> {
    await this.assertOwned(userId, accountId);
    return this.holdings.listActive(accountId);
  }

  async balances(userId: string, accountId: string, query: BalanceHistoryQueryDto): Promise<BalanceSnapshotView[]> {
    assertDateRange(query.from, query.to);
    await this.assertOwned(userId, accountId);
    return this.snapshots.listForAccount(accountId, { from: query.from, to: query.to });
  }

  private async assertOwned(userId: string, accountId: string): Promise<void> {
    if (!(await this.accounts.isOwned(userId, accountId))) throw notFound();
  }
}
