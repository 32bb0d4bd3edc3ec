import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { AccountsRepository } from '../accounts/accounts.repository';
import { SyncsRepository } from './syncs.repository';

/** A provider's synced data as a whole: what deleting the provider deletes. */
@Injectable()
export class ProviderDataService {
  constructor(
    private readonly syncs: SyncsRepository,
    private readonly accounts: AccountsRepository,
  ) {}

  /**
   * Inside the deletion's transaction, after the connection row is locked (the disconnect takes it;
   * a sync's batches take it first too, so neither waits on the other in a cycle): the connection's
   * syncs — a running one's next batch finds its sync gone and stops, one mid-batch is waited for —
   * then its accounts, whose positions, balance snapshots and transactions go with them. The audit
   * trail is not touched.
   */
  async deleteOfConnection(manager: EntityManager, connectionId: string): Promise<void> {
    await this.syncs.deleteOfConnection(manager, connectionId);
    await this.accounts.deleteOfConnection(manager, connectionId);
  }
}
