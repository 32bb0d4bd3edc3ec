// `npm run bench:sync [-- TRANSACTIONS_PER_ACCOUNT]` with ENVIRONMENT=testing: SPEC §9's "sync of 10,000
// transactions for one account from the Sandbox ≤ 10 s, idempotent on re-run (≤ 3 s when nothing
// changed)". Empties the test database, starts the Sandbox (one account holding TRANSACTIONS_PER_ACCOUNT
// transactions, 10,000 by default), the callback app and one real api process
// (apps/api/src/main.ts, BullMQ on Redis), links the Sandbox as a person does and times the sync that
// linking queues; then asks for a second sync (the overlap window, as every later sync reads) and a
// third that reads the whole history again, and times them. Each is timed from the moment it was
// queued until the api reports it finished, and checked: every transaction stored once, the re-syncs
// creating and updating nothing.
import 'reflect-metadata';

import { getConfig, isTestEnvironment } from '@dashtam/config';
import {
  type ApiCluster,
  browserGet,
  consentAtSandbox,
  type Page,
  ProvidersApi,
  signUp,
  startApiCluster,
  type SyncBody,
  SyncsApi,
} from '@dashtam/testing';

const FIRST_TARGET_SECONDS = 10;
const RESYNC_TARGET_SECONDS = 3;

function log(message: string): void {
  console.log(`bench:sync | ${message}`);
}

const seconds = (sync: SyncBody): number =>
  (new Date(sync.finished_at!).getTime() - new Date(sync.created_at).getTime()) / 1000;

interface Stored {
  accounts: number;
  transactions: number;
  distinct: number;
  perAccount: number[];
}

async function stored(cluster: ApiCluster): Promise<Stored> {
  const rows = (await cluster.dataSource.query(
    `SELECT a.id, count(t.id)::int AS n, count(DISTINCT t.provider_transaction_id)::int AS d
       FROM accounts a LEFT JOIN transactions t ON t.account_id = a.id GROUP BY a.id ORDER BY n DESC`,
  )) as Array<{ n: number; d: number }>;
  return {
    accounts: rows.length,
    transactions: rows.reduce((sum, row) => sum + row.n, 0),
    distinct: rows.reduce((sum, row) => sum + row.d, 0),
    perAccount: rows.map((row) => row.n),
  };
}

async function main(): Promise<number> {
  const perAccount = Number(process.argv[2] ?? 10_000);
  const config = getConfig();
  if (!isTestEnvironment(config.app.environment) || !config.database.name.includes('test')) {
    throw new Error('run with ENVIRONMENT=testing against a database whose name contains "test": it is emptied');
  }
  // One api process, as the target is stated; the sync that linking queues is the first sync.
  const cluster = await startApiCluster({
    size: 1,
    env: { AUTH_REQUIRE_VERIFIED_EMAIL: 'false', SYNC_ON_LINK: 'true', LOG_LEVEL: 'warn' },
  });
  try {
    const [api] = cluster.processes;
    // One account, as the target is stated (its scheduled transfers come on top of the grid's count).
    await cluster.controls.settings({ transactions_per_account: perAccount, account_kinds: ['individual'] });
    const auth = await signUp(api.url);
    const providers = new ProvidersApi(api.url, auth);
    const syncs = new SyncsApi(api.url, auth);

    const provider = await providers.created('Bench brokerage');
    const started = await providers.authorize(provider.id).expect(201);
    const redirect = await consentAtSandbox((started.body as { authorization_url: string }).authorization_url);
    const page = await browserGet(redirect.toString());
    if (page.status !== 200) throw new Error(`linking answered ${page.status}`);
    const [linked] = ((await syncs.list(provider.id).expect(200)).body as Page<SyncBody>).items;
    const first = await syncs.finished(provider.id, linked.id, 120_000);
    if (first.status !== 'succeeded') throw new Error(`the first sync failed: ${first.error}`);
    const afterFirst = await stored(cluster);
    log(
      `first sync: ${seconds(first).toFixed(2)} s (target ≤ ${FIRST_TARGET_SECONDS} s) — ` +
        `${afterFirst.accounts} account(s) (${afterFirst.perAccount.join(', ')} transactions), ` +
        `${first.transactions.created} transactions created, ${first.positions.created} positions`,
    );

    const resync = await syncs.run(provider.id);
    if (resync.status !== 'succeeded') throw new Error(`the re-sync failed: ${resync.error}`);
    const afterResync = await stored(cluster);
    log(
      `re-sync with nothing new: ${seconds(resync).toFixed(2)} s (target ≤ ${RESYNC_TARGET_SECONDS} s) — ` +
        `transactions created ${resync.transactions.created}, updated ${resync.transactions.updated}, ` +
        `unchanged ${resync.transactions.unchanged}`,
    );

    // The strictest re-run: forget where the last read ended, so the sync reads the whole history again
    // and compares every stored row (the 10-day overlap above is what scheduled syncs really read).
    await cluster.dataSource.query('UPDATE accounts SET last_synced_at = NULL');
    const reread = await syncs.run(provider.id);
    if (reread.status !== 'succeeded') throw new Error(`the full re-read failed: ${reread.error}`);
    log(
      `re-sync reading the whole history again: ${seconds(reread).toFixed(2)} s (target ≤ ${RESYNC_TARGET_SECONDS} s) — ` +
        `transactions created ${reread.transactions.created}, updated ${reread.transactions.updated}, ` +
        `unchanged ${reread.transactions.unchanged}`,
    );
    const afterReread = await stored(cluster);

    const idempotent =
      afterFirst.transactions === first.transactions.created &&
      afterFirst.distinct === afterFirst.transactions &&
      afterResync.transactions === afterFirst.transactions &&
      resync.transactions.created === 0 &&
      resync.transactions.updated === 0 &&
      afterReread.transactions === afterFirst.transactions &&
      reread.transactions.created + reread.transactions.updated === 0 &&
      reread.transactions.unchanged === afterFirst.transactions &&
      resync.accounts.created + resync.accounts.updated + resync.positions.created + resync.positions.updated === 0;
    log(`every transaction stored once, re-sync wrote nothing: ${idempotent ? 'yes' : 'NO'}`);
    const ok =
      idempotent &&
      seconds(first) <= FIRST_TARGET_SECONDS &&
      seconds(resync) <= RESYNC_TARGET_SECONDS &&
      seconds(reread) <= RESYNC_TARGET_SECONDS;
    log(ok ? 'PASS' : 'FAIL');
    return ok ? 0 : 1;
  } finally {
    await cluster.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench:sync | ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
