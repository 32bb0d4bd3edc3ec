import { randomBytes } from 'node:crypto';

import {
  createSignedInUser,
  type LinkingStack,
  type Page,
  type ProviderBody,
  ProvidersApi,
  type SignedInUser,
  startLinkingStack,
  type SyncBody,
  SyncsApi,
} from '@dashtam/testing';

import { SyncLauncher } from '../../src/syncs/sync-launcher.service';
import { connectionIdOf } from '../support/sync-fixtures';

const BUDGET = 3;

/**
 * SimpleFIN through the same sync engine, against the Sandbox's Bridge: one `GET /accounts` per sync
 * for every account, the Bridge's `errors` as the sync's warnings, and the daily budget (the linking
 * sync counts; past it a manual sync is 429 with Retry-After, and the scheduler leaves the connection).
 */
describe('syncs over SimpleFIN', () => {
  let stack: LinkingStack;
  let owner: SignedInUser;
  let providers: ProvidersApi;
  let syncs: SyncsApi;

  beforeAll(async () => {
    stack = await startLinkingStack({
      sync: { onLink: true },
      providers: { simplefin: { dailyBudget: BUDGET } },
      jobs: { queuePrefix: `dashtam-test-${randomBytes(6).toString('hex')}` },
    });
    owner = await createSignedInUser(stack.api);
    providers = new ProvidersApi(stack.api.url, owner.auth);
    syncs = new SyncsApi(stack.api.url, owner.auth);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const db = () => stack.api.dataSource;
  const syncList = async (providerId: string) =>
    ((await syncs.list(providerId).expect(200)).body as Page<SyncBody>).items;

  async function linkSimplefin(alias: string): Promise<{ provider: ProviderBody; first: SyncBody }> {
    const provider = await providers.created(alias, 'simplefin');
    const setupToken = await stack.controls.simplefinSetupToken();
    await providers.linkCredentials(provider.id, { setup_token: setupToken }).expect(200);
    const [queued] = await syncList(provider.id);
    expect(queued.trigger).toBe('linked');
    return { provider, first: await syncs.finished(provider.id, queued.id) };
  }

  it('the linking sync reads every account with one /accounts call and keeps the Bridge errors as warnings', async () => {
    await stack.controls.reset();
    await stack.controls.simplefinErrors(['Connection to Sandbox Bank may need attention']);
    const { provider, first } = await linkSimplefin('Banks');
    expect(first).toMatchObject({
      status: 'succeeded',
      error: null,
      warnings: ['The institution reported: Connection to Sandbox Bank may need attention'],
    });
    expect(await stack.controls.counters()).toEqual(
      expect.objectContaining({ simplefin_claim: 1, simplefin_accounts: 1, accounts: 0, transactions: 0 }),
    );
    expect(first.accounts).toEqual({ created: 4, updated: 0, unchanged: 0 });
    expect(first.positions).toEqual({ created: 2, updated: 0, unchanged: 0 });

    const accounts = (await db().query(
      `SELECT name, account_type, mask, current_balance FROM accounts WHERE connection_id = $1 ORDER BY name`,
      [await connectionIdOf(db(), provider.id)],
    )) as Array<{ name: string; account_type: string; mask: string; current_balance: string }>;
    expect(accounts.map((a) => [a.account_type, a.mask])).toEqual([
      ['individual', '5502'],
      ['checking', '4821'],
      ['savings', '7730'],
      ['credit', '1188'],
    ]);
    const [counts] = (await db().query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE t.status = 'pending')::int AS pending,
              min(t.date)::text AS oldest
         FROM transactions t JOIN accounts a ON a.id = t.account_id WHERE a.connection_id = $1`,
      [await connectionIdOf(db(), provider.id)],
    )) as [{ total: number; pending: number; oldest: string }];
    expect(first.transactions.created).toBe(counts.total);
    expect(counts.pending).toBe(2);
    // The first read is bounded (90 days), never the Bridge's whole history (120 days in the Sandbox).
    expect(Date.now() - Date.parse(counts.oldest)).toBeLessThanOrEqual(91 * 86_400_000);

    const [row] = (await db().query('SELECT warnings FROM syncs WHERE id = $1', [first.id])) as [
      { warnings: string[] },
    ];
    expect(row.warnings).toEqual(['The institution reported: Connection to Sandbox Bank may need attention']);
  });

  it('spends at most the daily budget: 429 with Retry-After past it, and the scheduler leaves the connection', async () => {
    await stack.controls.reset();
    const { provider } = await linkSimplefin('Budgeted');
    for (let used = 1; used < BUDGET; used += 1) {
      const done = await syncs.finished(provider.id, await syncs.requested(provider.id));
      expect(done.status).toBe('succeeded');
    }
    expect((await stack.controls.counters()).simplefin_accounts).toBe(BUDGET);

    const refused = await syncs.request(provider.id).expect(429);
    expect(refused.body.code).toBe('PROVIDER.RATE_BUDGET_EXHAUSTED');
    const retryAfter = Number(refused.headers['retry-after']);
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    expect(Math.abs(retryAfter - (midnight.getTime() - Date.now()) / 1000)).toBeLessThanOrEqual(5);

    // Due by the schedule, yet the scan queues nothing for it.
    await db().query(
      `UPDATE provider_connections SET next_sync_at = now() - interval '1 second' WHERE provider_id = $1`,
      [provider.id],
    );
    await stack.api.app.get(SyncLauncher).scan();
    expect(await syncList(provider.id)).toHaveLength(BUDGET);
    expect((await stack.controls.counters()).simplefin_accounts).toBe(BUDGET);
  });
  it('an Access URL the Bridge no longer accepts (403) makes the connection requires_reauth; the budget is left alone', async () => {
    await stack.controls.reset();
    const { provider } = await linkSimplefin('Revoked');
    // The Sandbox forgets the Access URLs it issued, as the Bridge does when a person revokes one.
    await stack.controls.reset();
    const sync = await syncs.run(provider.id);
    expect(sync).toMatchObject({
      status: 'failed',
      error: 'The institution no longer accepts this authorization; link the provider again',
    });
    expect((await providers.get(provider.id).expect(200)).body).toMatchObject({ status: 'requires_reauth' });
    const calls = (await stack.controls.counters()).simplefin_accounts;
    expect(calls).toBe(1);
    // The scheduler never picks it again, so no call of the day's budget goes to a dead credential.
    await db().query(
      `UPDATE provider_connections SET next_sync_at = now() - interval '1 second' WHERE provider_id = $1`,
      [provider.id],
    );
    await stack.api.app.get(SyncLauncher).scan();
    expect((await stack.controls.counters()).simplefin_accounts).toBe(calls);
    expect(await syncList(provider.id)).toHaveLength(2);
  });
});
