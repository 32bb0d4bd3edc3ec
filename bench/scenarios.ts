import type { LoadRequest } from './lib/load';
import type { Seed } from './lib/seed';

/**
 * A request SPEC §9 measures against the baseline: the same request to both servers, side by side. Each
 * seeded user gets an equal share of the connections.
 */
export interface LoadScenario {
  key: string;
  title: string;
  requests: (seed: Seed) => LoadRequest[];
  /** SPEC §9: the api's req/s at least this share of the baseline's (and p99 at most this many times its). */
  minRatio: number;
  maxP99Ratio?: number;
}

const bearer = (accessToken: string): Record<string, string> => ({ authorization: `Bearer ${accessToken}` });

export const LOAD_SCENARIOS: LoadScenario[] = [
  {
    key: 'providers',
    title: 'GET /api/v1/providers (5 rows)',
    requests: (seed) => seed.users.map((user) => ({ path: '/api/v1/providers', headers: bearer(user.accessToken) })),
    minRatio: 0.6,
    maxP99Ratio: 2,
  },
  {
    key: 'token-status',
    title: 'GET /api/v1/providers/{id}/authorization',
    requests: (seed) =>
      seed.users.map((user) => ({
        path: `/api/v1/providers/${user.linkedProviderId}/authorization`,
        headers: bearer(user.accessToken),
      })),
    minRatio: 0.5,
  },
  // BENCH HOOK (issue: financial data), once GET /api/v1/transactions and GET /api/v1/portfolio/summary exist
  // (the baseline answers them in bench/baseline/server.ts, the seed writes their data in lib/seed.ts):
  // { key: 'transactions', title: 'GET /api/v1/transactions (first 50 of 10,000)', minRatio: 0.4,
  //   requests: (seed) => [{ path: '/api/v1/transactions?per_page=50', headers: bearer(seed.<ledger user>.accessToken) }] },
  // { key: 'portfolio-summary', title: 'GET /api/v1/portfolio/summary (10 accounts, 200 positions)', minRatio: 0.4,
  //   requests: (seed) => [{ path: '/api/v1/portfolio/summary', headers: bearer(seed.<portfolio user>.accessToken) }] },
];

/** Rows that are not a request against the baseline; `--only` takes these keys as well. */
export const OTHER_ROWS = ['cold-start', 'rss', 'refresh-sweep'] as const;
// BENCH HOOK (issue: financial data): 'sync-first' (10,000 transactions ≤ 10 s) and 'sync-again' (nothing
// changed, ≤ 3 s) join OTHER_ROWS, measured in run.ts like the refresh sweep.
