import {
  type ApiCluster,
  type Page,
  ProvidersApi,
  signUp,
  startApiCluster,
  type SyncBody,
  SyncsApi,
  waitFor,
} from '@dashtam/testing';

import { connectionIdOf } from '../support/sync-fixtures';

const BUDGET = 4;

/**
 * SimpleFIN's daily budget through the scheduler, across two real api processes that both scan every
 * second and both run syncs (SPEC §8): the linking sync counts, scheduled syncs are queued only while
 * budget remains and never one that would exceed it, and a manual sync past it — through the other
 * process — is 429 with Retry-After = seconds to the next UTC midnight. The Sandbox's Bridge counts
 * every `GET /accounts`: it never sees more than the budget.
 */
describe('the SimpleFIN budget across two api processes and their schedulers', () => {
  let cluster: ApiCluster;
  let auth: Record<string, string>;

  beforeAll(async () => {
    cluster = await startApiCluster({
      size: 2,
      env: {
        AUTH_REQUIRE_VERIFIED_EMAIL: 'false',
        LOG_LEVEL: 'warn',
        SIMPLEFIN_DAILY_BUDGET: String(BUDGET),
        SYNC_ON_LINK: 'true',
        SYNC_SCAN_SECONDS: '1',
      },
    });
    auth = await signUp(cluster.processes[0].url);
  }, 240_000);
  afterAll(async () => {
    await cluster?.close();
  }, 60_000);

  const db = () => cluster.dataSource;
  const syncsVia = (index: number) => new SyncsApi(cluster.processes[index].url, auth);
  const syncList = async (providerId: string) =>
    ((await syncsVia(0).list(providerId, { per_page: 100 }).expect(200)).body as Page<SyncBody>).items;
  const settled = async (providerId: string) => {
    await waitFor(
      'no sync in flight',
      async () => (await syncList(providerId)).every((s) => ['succeeded', 'failed'].includes(s.status)),
      { timeoutMs: 20_000 },
    );
    return syncList(providerId);
  };
  const makeDue = async (providerId: string) =>
    db().query(`UPDATE provider_connections SET next_sync_at = now() - interval '1 second' WHERE provider_id = $1`, [
      providerId,
    ]);

  it('the linking sync and scheduled syncs spend the budget exactly; then nothing is queued, and a manual sync is 429', async () => {
    const providers = new ProvidersApi(cluster.processes[0].url, auth);
    const provider = await providers.created('Budget banks', 'simplefin');
    const setupToken = await cluster.controls.simplefinSetupToken();
    await providers.linkCredentials(provider.id, { setup_token: setupToken }).expect(200);

    // Every time the last sync has finished, the connection is made due again: the two schedulers
    // queue the next one while budget remains — and stop when it is spent.
    for (let round = 0; round < BUDGET + 3; round += 1) {
      await settled(provider.id);
      await makeDue(provider.id);
      // Two scans (one a second, either process) have looked at the due connection.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
    }
    const syncs = await settled(provider.id);
    expect(syncs.map((s) => s.trigger).sort()).toEqual(['linked', ...Array(BUDGET - 1).fill('scheduled')].sort());
    expect(syncs.every((s) => s.status === 'succeeded')).toBe(true);
    expect((await cluster.controls.counters()).simplefin_accounts).toBe(BUDGET);

    // Through the other process: the count is shared.
    const refused = await syncsVia(1).request(provider.id).expect(429);
    expect(refused.body.code).toBe('PROVIDER.RATE_BUDGET_EXHAUSTED');
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    expect(
      Math.abs(Number(refused.headers['retry-after']) - (midnight.getTime() - Date.now()) / 1000),
    ).toBeLessThanOrEqual(2);

    // Due again, and scanned for a few more seconds: still nothing queued, nothing called.
    await makeDue(provider.id);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await syncList(provider.id)).toHaveLength(BUDGET);
    expect((await cluster.controls.counters()).simplefin_accounts).toBe(BUDGET);
    const [connection] = (await db().query('SELECT status, error_count FROM provider_connections WHERE id = $1', [
      await connectionIdOf(db(), provider.id),
    ])) as Array<{ status: string; error_count: number }>;
    expect(connection).toEqual({ status: 'active', error_count: 0 });
  }, 120_000);
});
