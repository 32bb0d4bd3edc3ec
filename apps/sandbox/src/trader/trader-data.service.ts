import { Inject, Injectable } from '@nestjs/common';

import { SandboxClock } from '../clock/sandbox-clock';
import type { SandboxOptions } from '../sandbox-options';
import { SANDBOX_OPTIONS } from '../sandbox.tokens';
import { SandboxSettings } from '../settings/sandbox-settings';
import { accountTransactions } from './data/account-activity';
import { type GeneratedAccount, generateAccounts } from './data/account.generator';
import { valuePositions } from './data/positions';
import { dayOf } from './data/quotes';
import { type FixtureAccount, FixtureStore, type RawObject } from './fixtures/fixture.store';
import { toSchwabAccount } from './schwab-account.mapper';
import type { TransactionQuery } from './transaction-query';

const ACCOUNT_CACHE_LIMIT = 4096;

/** An account as the Trader API serves it: generated for the user, or a posted fixture. */
export type ServedAccount =
  | { source: 'generated'; accountNumber: string; hashValue: string; account: GeneratedAccount }
  | { source: 'fixture'; accountNumber: string; hashValue: string; fixture: FixtureAccount };

/**
 * The data behind the Trader API. Accounts are generated per user (and cached); positions are valued
 * for the sandbox clock's UTC day; transactions are generated lazily, only for the range a query
 * covers. Posted fixtures stand in for the configured user's generated data until reset.
 */
@Injectable()
export class TraderDataService {
  private readonly accountsByUser = new Map<string, GeneratedAccount[]>();

  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: SandboxOptions,
    private readonly settings: SandboxSettings,
    private readonly clock: SandboxClock,
    private readonly fixtures: FixtureStore,
  ) {}

  /** The accounts served to this user right now, in accountNumbers order. */
  accounts(user: string): ServedAccount[] {
    const fixtures = this.fixtures.for(user);
    if (fixtures) {
      return fixtures.accounts.map((fixture) => ({ source: 'fixture', ...pick(fixture), fixture }));
    }
    return this.openAccounts(user).map((account) => ({ source: 'generated', ...pick(account), account }));
  }

  account(user: string, hashValue: string): ServedAccount | undefined {
    return this.accounts(user).find((a) => a.hashValue === hashValue);
  }

  /** `{securitiesAccount, aggregatedBalance}`; a fixture as posted (minus positions unless asked for). */
  accountJson(served: ServedAccount, withPositions: boolean): RawObject {
    if (served.source === 'fixture') {
      const raw = served.fixture.raw;
      if (withPositions) return raw;
      const { positions: _positions, ...securitiesAccount } = raw.securitiesAccount as RawObject;
      return { ...raw, securitiesAccount };
    }
    const positions = valuePositions(this.options.seed, served.account, dayOf(this.clock.now()));
    return toSchwabAccount(served.account, positions, withPositions);
  }

  /** Newest first, at most the page limit: a full page means the caller must narrow the range. */
  transactions(user: string, served: ServedAccount, query: TransactionQuery): RawObject[] {
    if (served.source === 'fixture') return this.fixtureTransactions(user, served.accountNumber, query);
    const settings = this.settings.current;
    return accountTransactions(served.account, query, {
      seed: this.options.seed,
      user,
      perAccount: settings.transactionsPerAccount,
      accounts: this.openAccounts(user),
      now: this.clock.now(),
      limit: this.options.transactionsPageLimit,
    }).map((tx) => tx.json);
  }

  /**
   * The user's generated accounts of the configured kinds; the `closed` one only until the clock
   * passes its closing date (start or last reset + closed_account_after_seconds).
   */
  private openAccounts(user: string): GeneratedAccount[] {
    const { accountKinds, closedAccountAfterSeconds } = this.settings.current;
    const closed = this.clock.now() >= this.clock.startedAt + closedAccountAfterSeconds * 1000;
    return this.generated(user).filter((a) => accountKinds.includes(a.kind) && !(a.kind === 'closed' && closed));
  }

  private generated(user: string): GeneratedAccount[] {
    let accounts = this.accountsByUser.get(user);
    if (!accounts) {
      if (this.accountsByUser.size >= ACCOUNT_CACHE_LIMIT) this.accountsByUser.clear();
      accounts = generateAccounts(this.options.seed, user);
      this.accountsByUser.set(user, accounts);
    }
    return accounts;
  }

  /**
   * Posted transactions in their posted order, filtered like generated ones: by `time` (kept when it
   * does not parse), by symbol, and by type — except types the Sandbox does not know, which always pass.
   */
  private fixtureTransactions(user: string, accountNumber: string, query: TransactionQuery): RawObject[] {
    const list = this.fixtures.for(user)?.transactions.get(accountNumber) ?? [];
    return list
      .filter((tx) => {
        const time = typeof tx.time === 'string' ? Date.parse(tx.time.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN;
        if (!Number.isNaN(time) && (time < query.start || time > query.end)) return false;
        if (typeof tx.type === 'string' && query.knownTypes.has(tx.type) && !query.types.has(tx.type)) return false;
        return query.symbol === undefined || symbolsOf(tx).includes(query.symbol);
      })
      .slice(0, this.options.transactionsPageLimit);
  }
}

const pick = (a: { accountNumber: string; hashValue: string }) => ({
  accountNumber: a.accountNumber,
  hashValue: a.hashValue,
});

function symbolsOf(tx: RawObject): unknown[] {
  const items = Array.isArray(tx.transferItems) ? (tx.transferItems as unknown[]) : [];
  return items.map((item) => (item as { instrument?: { symbol?: unknown } } | null)?.instrument?.symbol);
}
