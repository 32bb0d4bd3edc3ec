import type { LoadRequest } from './lib/load';
import { LEDGER, type Seed } from './lib/seed';

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
  {
    key: 'transactions',
    title: `GET /api/v1/transactions (first 50 of ${LEDGER.transactions.toLocaleString('en-US')})`,
    requests: (seed) => [{ path: '/api/v1/transactions?limit=50', headers: bearer(seed.ledger.accessToken) }],
    minRatio: 0.4,
  },
  {
    key: 'portfolio-summary',
    title: `GET /api/v1/portfolio/summary (${LEDGER.accounts} accounts, ${LEDGER.positions} positions)`,
    requests: (seed) => [{ path: '/api/v1/portfolio/summary', headers: bearer(seed.ledger.accessToken) }],
    minRatio: 0.4,
  },
];

/** Rows that are not a request against the baseline; `--only` takes these keys as well. */
export const OTHER_ROWS = ['cold-start', 'rss', 'refresh-sweep', 'sync-first', 'sync-again'] as const;
