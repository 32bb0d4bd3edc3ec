import request, { type Test } from 'supertest';

type Query = Record<string, string | number | boolean>;

export interface AccountBody {
  id: string;
  provider_id: string;
  name: string;
  account_type: string;
  mask: string | null;
  currency: string;
  current_balance: string | null;
  available_balance: string | null;
  balance_as_of: string | null;
  is_active: boolean;
  last_synced_at: string | null;
}

export interface PositionBody {
  id: string;
  symbol: string;
  description: string | null;
  asset_type: string;
  quantity: string;
  average_price: string | null;
  market_value: string | null;
  cost_basis: string | null;
  as_of: string;
}

export interface BalanceSnapshotBody {
  balance: string | null;
  available_balance: string | null;
  holdings_value: string | null;
  cash_value: string | null;
  captured_at: string;
}

export interface TransactionBody {
  id: string;
  account_id: string;
  provider_transaction_id: string;
  date: string;
  settlement_date: string | null;
  description: string | null;
  type: string;
  raw_type: string;
  status: string;
  amount: string;
  currency: string;
  symbol: string | null;
  quantity: string | null;
  price: string | null;
  fees: string;
}

export interface TransactionPageBody {
  items: TransactionBody[];
  next_cursor: string | null;
}

export interface PortfolioSummaryBody {
  total_value: string;
  cash_value: string;
  holdings_value: string;
  change_since_previous: string | null;
  as_of: string | null;
  accounts: Array<{ id: string; name: string; value: string }>;
  by_asset_type: Array<{ asset_type: string; value: string }>;
}

/** The financial-data read routes of SPEC §8, one method each; answers are raw supertest responses. */
export class FinancialApi {
  constructor(
    private readonly baseUrl: string,
    private readonly auth: Record<string, string>,
  ) {}

  accounts(query: Query = {}): Test {
    return request(this.baseUrl).get('/api/v1/accounts').set(this.auth).query(query);
  }

  account(id: string): Test {
    return request(this.baseUrl).get(`/api/v1/accounts/${id}`).set(this.auth);
  }

  positions(accountId: string): Test {
    return request(this.baseUrl).get(`/api/v1/accounts/${accountId}/positions`).set(this.auth);
  }

  balances(accountId: string, query: Query = {}): Test {
    return request(this.baseUrl).get(`/api/v1/accounts/${accountId}/balances`).set(this.auth).query(query);
  }

  transactions(query: Query = {}): Test {
    return request(this.baseUrl).get('/api/v1/transactions').set(this.auth).query(query);
  }

  transaction(id: string): Test {
    return request(this.baseUrl).get(`/api/v1/transactions/${id}`).set(this.auth);
  }

  portfolioSummary(): Test {
    return request(this.baseUrl).get('/api/v1/portfolio/summary').set(this.auth);
  }

  /** Every transaction matching `query`, following next_cursor; `between` runs before each next page. */
  async allTransactions(
    query: Query = {},
    between: (page: TransactionPageBody) => Promise<void> = async () => undefined,
  ): Promise<{ items: TransactionBody[]; pages: number }> {
    const items: TransactionBody[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await this.transactions(cursor === null ? query : { ...query, cursor });
      if (res.status !== 200) throw new Error(`GET /transactions answered ${res.status}: ${JSON.stringify(res.body)}`);
      const page = res.body as TransactionPageBody;
      pages += 1;
      items.push(...page.items);
      cursor = page.next_cursor;
      if (cursor !== null) await between(page);
    } while (cursor !== null);
    return { items, pages };
  }
}
