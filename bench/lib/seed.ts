import { randomBytes } from 'node:crypto';

import type { DataSource } from 'typeorm';

import { ASSET_TYPES, type AssetType, type TransactionType } from '@dashtam/database';
import {
  AccountsRepository,
  BalanceSnapshotsRepository,
  EmlDirectoryMailbox,
  PositionsRepository,
  tokenFromLink,
  TransactionsRepository,
  waitForMail,
} from '@dashtam/testing';

export const PROVIDERS_PER_USER = 5;
const SEED_CONCURRENCY = 4;

/** SPEC §9's sizes for the financial-data rows: one user's ledger and portfolio. */
export const LEDGER = { accounts: 10, positions: 200, transactions: 10_000 } as const;
const TRANSACTION_BATCH = 1_000;

/** A seeded user as the load sees it: a token, five providers, one of them linked (it holds tokens). */
export interface SeededUser {
  email: string;
  accessToken: string;
  providerIds: string[];
  linkedProviderId: string;
}

export interface Seed {
  users: SeededUser[];
  /** The financial-data rows' user: LEDGER's accounts, positions and transactions on one provider. */
  ledger: { accessToken: string };
}

async function call(
  apiUrl: string,
  method: string,
  path: string,
  body?: object,
  accessToken?: string,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/**
 * Links a provider the way a person does in production (CALLBACK_MODE=forward): start the authorization,
 * let the institution (the Sandbox, approving by itself) redirect with a code, and complete with the
 * user's own token as the frontend would.
 */
async function link(apiUrl: string, accessToken: string, providerId: string): Promise<void> {
  const started = await call(apiUrl, 'POST', `/api/v1/providers/${providerId}/authorization`, undefined, accessToken);
  const consent = await fetch(String(started.authorization_url), { redirect: 'manual' });
  const location = new URL(consent.headers.get('location') ?? 'x:');
  const code = location.searchParams.get('code');
  const state = location.searchParams.get('state');
  if (!code || !state) throw new Error(`the institution answered ${consent.status} without a code`);
  await call(apiUrl, 'POST', '/api/v1/oauth/completions', { state, code }, accessToken);
}

const SYNC_WAIT_MS = 180_000;
const NO_SYNC_GRACE_MS = 5_000;

/**
 * Linking queues the first sync of the provider's accounts: wait until it has finished, so no sync runs
 * under the load the bench measures (the sync rows measure syncs on their own).
 */
async function syncsSettled(apiUrl: string, accessToken: string, providerId: string): Promise<void> {
  const started = Date.now();
  for (;;) {
    const res = await fetch(`${apiUrl}/api/v1/providers/${providerId}/syncs`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    if (res.status === 404) return;
    const page = (await res.json()) as { items?: Array<{ status: string }> };
    const items = page.items ?? [];
    const open = items.some((sync) => sync.status === 'queued' || sync.status === 'running');
    if (items.length > 0 && !open) return;
    if (items.length === 0 && Date.now() - started > NO_SYNC_GRACE_MS) return;
    if (Date.now() - started > SYNC_WAIT_MS) throw new Error(`provider ${providerId}: its sync did not finish`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Register, verify the email through the link the api mailed, sign in: the user's email and access token. */
export async function signUp(
  apiUrl: string,
  mailDir: string,
  label: string,
): Promise<{ email: string; accessToken: string }> {
  const email = `bench-${label}-${randomBytes(4).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(15).toString('base64url')}`;
  await call(apiUrl, 'POST', '/api/v1/auth/register', { email, password, name: `Bench User ${label}` });
  const mail = await waitForMail(new EmlDirectoryMailbox(mailDir), email, 1, 30_000);
  await call(apiUrl, 'POST', '/api/v1/auth/verify-email', { token: tokenFromLink(mail, '/verify-email') });
  const login = await call(apiUrl, 'POST', '/api/v1/auth/login', { email, password });
  return { email, accessToken: String(login.access_token) };
}

/** A new `schwab` provider of the user (not linked yet): its id. */
export async function addProvider(apiUrl: string, accessToken: string, alias: string): Promise<string> {
  const created = await call(apiUrl, 'POST', '/api/v1/providers', { provider_key: 'schwab', alias }, accessToken);
  return String(created.id);
}

/** Links the provider through the real OAuth flow and waits for the sync linking queues. */
export async function linkAndSettle(apiUrl: string, accessToken: string, providerId: string): Promise<void> {
  await link(apiUrl, accessToken, providerId);
  await syncsSettled(apiUrl, accessToken, providerId);
}

/** Sign up, add five providers, link one. */
async function seedUser(apiUrl: string, mailDir: string, index: number): Promise<SeededUser> {
  const { email, accessToken } = await signUp(apiUrl, mailDir, String(index));
  const providerIds: string[] = [];
  for (let i = 1; i <= PROVIDERS_PER_USER; i += 1) {
    providerIds.push(await addProvider(apiUrl, accessToken, `Brokerage ${i}`));
  }
  await linkAndSettle(apiUrl, accessToken, providerIds[0]);
  return { email, accessToken, providerIds, linkedProviderId: providerIds[0] };
}

const TRANSACTION_KINDS: Array<{ type: TransactionType; rawType: string; sign: number }> = [
  { type: 'buy', rawType: 'TRADE', sign: -1 },
  { type: 'sell', rawType: 'TRADE', sign: 1 },
  { type: 'dividend', rawType: 'DIVIDEND_OR_INTEREST', sign: 1 },
];

const money = (cents: number): string => (cents / 100).toFixed(2);

/**
 * The financial-data rows' user, signed up through the api, with one provider whose accounts, positions,
 * balance snapshots and transactions are written by the sync's own repositories (as a sync of LEDGER's
 * size would store them, without the institution's pages): 10 accounts of 20 positions each and 10,000
 * transactions spread over them, one date in every few across two years.
 */
async function seedLedger(apiUrl: string, mailDir: string, dataSource: DataSource): Promise<Seed['ledger']> {
  const { accessToken } = await signUp(apiUrl, mailDir, 'ledger');
  const providerId = await addProvider(apiUrl, accessToken, 'Ledger brokerage');
  const [owner] = (await dataSource.query(
    `SELECT c.id AS "connectionId", p.id AS "providerId", p.user_id AS "userId"
       FROM providers p JOIN provider_connections c ON c.provider_id = p.id WHERE p.id = $1`,
    [providerId],
  )) as [{ connectionId: string; providerId: string; userId: string }];
  const accounts = new AccountsRepository(dataSource);
  const positions = new PositionsRepository(dataSource);
  const snapshots = new BalanceSnapshotsRepository(dataSource);
  const transactions = new TransactionsRepository(dataSource);
  const asOf = new Date();
  const perAccount = LEDGER.positions / LEDGER.accounts;
  await dataSource.transaction(async (manager) => {
    const written = await accounts.upsertForSync(
      manager,
      owner,
      Array.from({ length: LEDGER.accounts }, (_, i) => ({
        providerAccountId: `bench-account-${i}`,
        mask: String(1000 + i),
        name: `Brokerage ${String(i + 1).padStart(2, '0')}`,
        accountType: 'individual' as const,
        currency: 'USD',
        currentBalance: money(5_000_000 + i * 123_457),
        availableBalance: money(100_000 + i * 1_000),
        balanceAsOf: asOf,
        metadata: {},
      })),
    );
    await positions.upsertForSync(
      manager,
      written.flatMap((account, a) =>
        Array.from({ length: perAccount }, (_, i) => {
          const assetType: AssetType = ASSET_TYPES[(a + i) % 4];
          return {
            accountId: account.id,
            providerPositionId: `${assetType}:SYM${i}`,
            symbol: `SYM${i}`,
            description: `Holding ${i}`,
            assetType,
            rawAssetType: assetType.toUpperCase(),
            quantity: String(10 + i),
            averagePrice: money(1_000 + i * 10),
            marketValue: money((10 + i) * (1_100 + i * 10 + a)),
            costBasis: money((10 + i) * (1_000 + i * 10)),
            asOf,
          };
        }),
      ),
    );
    // Two snapshots per account, so the summary's change since the previous one has something to compare.
    for (const capturedAt of [new Date(asOf.getTime() - 86_400_000), asOf]) {
      await snapshots.insertForSync(
        manager,
        written.map((account) => ({ accountId: account.id, cashValue: money(100_000), capturedAt })),
      );
    }
    const day = 86_400_000;
    for (let start = 0; start < LEDGER.transactions; start += TRANSACTION_BATCH) {
      const batch = Array.from({ length: Math.min(TRANSACTION_BATCH, LEDGER.transactions - start) }, (_, k) => {
        const n = start + k;
        const kind = TRANSACTION_KINDS[n % TRANSACTION_KINDS.length];
        return { n, kind, account: written[n % written.length] };
      });
      for (const account of written) {
        const rows = batch
          .filter((entry) => entry.account === account)
          .map(({ n, kind }) => ({
            providerTransactionId: `bench-${n}`,
            date: new Date(asOf.getTime() - Math.floor(n / 14) * day).toISOString().slice(0, 10),
            settlementDate: null,
            description: `${kind.type} ${n}`,
            type: kind.type,
            rawType: kind.rawType,
            status: 'posted' as const,
            amount: money(kind.sign * (1_000 + (n % 997) * 37)),
            currency: 'USD',
            symbol: kind.type === 'dividend' ? null : `SYM${n % perAccount}`,
            quantity: kind.type === 'dividend' ? null : String(1 + (n % 9)),
            price: kind.type === 'dividend' ? null : money(1_000 + (n % 97) * 10),
            fees: '0',
            details: {},
          }));
        await transactions.upsertBatch(manager, { accountId: account.id, userId: owner.userId }, rows);
      }
    }
  });
  // A live database has statistics (autovacuum); freshly loaded tables have none.
  await dataSource.query('ANALYZE accounts, positions, balance_snapshots, transactions');
  return { accessToken };
}

/**
 * Seeds `count` users through the api's own HTTP routes, a few at a time, and the financial-data rows'
 * user through the sync's repositories on `dataSource` (the bench database).
 */
export async function seed(apiUrl: string, mailDir: string, count: number, dataSource: DataSource): Promise<Seed> {
  const users: SeededUser[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      users.push(await seedUser(apiUrl, mailDir, next));
    }
  };
  await Promise.all(Array.from({ length: Math.min(SEED_CONCURRENCY, count) }, worker));
  return { users, ledger: await seedLedger(apiUrl, mailDir, dataSource) };
}
