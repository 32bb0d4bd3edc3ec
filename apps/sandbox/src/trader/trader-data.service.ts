import { Inject, Injectable } from '@nestjs/common';

import { SandboxClock } from '../clock/sandbox-clock';
import type { SandboxOptions } from '../sandbox-options';
import { SANDBOX_OPTIONS } from '../sandbox.tokens';
import { SandboxSettings } from '../settings/sandbox-settings';
import { type GeneratedAccount, generateAccounts } from './data/account.generator';
import { generateTransaction, slotAt, timelineAt } from './data/transaction.generator';
import type { TransactionQuery } from './transaction-query';

const ACCOUNT_CACHE_LIMIT = 4096;

/**
 * The seeded data behind the Trader API. Accounts are generated per user (and cached); transactions
 * are generated lazily, only for the grid slots a query's date range covers.
 */
@Injectable()
export class TraderDataService {
  private readonly accountsByUser = new Map<string, GeneratedAccount[]>();

  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: SandboxOptions,
    private readonly settings: SandboxSettings,
    private readonly clock: SandboxClock,
  ) {}

  accounts(user: string): GeneratedAccount[] {
    let accounts = this.accountsByUser.get(user);
    if (!accounts) {
      if (this.accountsByUser.size >= ACCOUNT_CACHE_LIMIT) this.accountsByUser.clear();
      accounts = generateAccounts(this.options.seed, user);
      this.accountsByUser.set(user, accounts);
    }
    return accounts;
  }

  account(user: string, hashValue: string): GeneratedAccount | undefined {
    return this.accounts(user).find((a) => a.hashValue === hashValue);
  }

  /** Newest first, at most the page limit: a full page means the caller must narrow the range. */
  transactions(user: string, account: GeneratedAccount, query: TransactionQuery): Record<string, unknown>[] {
    const timeline = timelineAt(this.clock.now(), this.settings.current.transactionsPerAccount);
    const from = Math.max(timeline.first, slotAt(query.start, timeline));
    const to = Math.min(timeline.last, slotAt(query.end, timeline));
    const found: Record<string, unknown>[] = [];
    for (let slot = to; slot >= from && found.length < this.options.transactionsPageLimit; slot--) {
      const tx = generateTransaction(this.options.seed, user, account, slot, timeline);
      if (tx.timeMs < query.start || tx.timeMs > query.end || !query.types.has(tx.type)) continue;
      if (query.symbol !== undefined && tx.symbol !== query.symbol) continue;
      found.push(tx.json);
    }
    return found;
  }
}
