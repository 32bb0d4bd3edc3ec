import { randomBytes } from 'node:crypto';

import { DataSource } from 'typeorm';

import { getConfig } from '@dashtam/config';
import { buildDataSourceOptions, truncateAllTables } from '@dashtam/database';
import {
  createSignedInUser,
  type LinkingStack,
  type Page,
  ProvidersApi,
  startLinkingStack,
  type SyncBody,
  SyncsApi,
  waitFor,
} from '@dashtam/testing';

import { connectionIdOf, linkSandbox, storedRows } from '../support/sync-fixtures';

/**
 * Development without Redis: no queue exists, and syncs still run — in the api process, linked,
 * asked for and scheduled alike. (The suite's Redis is only watched, to prove nothing was queued.)
 */
describe('syncs without Redis (in-process)', () => {
  const queuePrefix = `dashtam-test-${randomBytes(6).toString('hex')}`;
  let stack: LinkingStack;
  let providers: ProvidersApi;
  let syncs: SyncsApi;

  beforeAll(async () => {
    // The scan sees every connection in the database: earlier suites' would be synced against this Sandbox.
    const cleaner = await new DataSource(buildDataSourceOptions(getConfig().database)).initialize();
    await truncateAllTables(cleaner);
    await cleaner.destroy();
    stack = await startLinkingStack({
      redis: { url: null },
      sync: { onLink: true, scanSeconds: 1 },
      jobs: { queuePrefix },
    });
    const owner = await createSignedInUser(stack.api);
    providers = new ProvidersApi(stack.api.url, owner.auth);
    syncs = new SyncsApi(stack.api.url, owner.auth);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const syncsOf = async (providerId: string) =>
    ((await syncs.list(providerId).expect(200)).body as Page<SyncBody>).items;

  it('linking, asking and the schedule each run a sync in the process; nothing touches a queue', async () => {
    const provider = await linkSandbox(stack, providers, 'In process');
    const [linked] = await syncsOf(provider.id);
    const first = await syncs.finished(provider.id, linked.id);
    expect(first).toMatchObject({ trigger: 'linked', status: 'succeeded' });
    const rows = await storedRows(stack.api.dataSource, await connectionIdOf(stack.api.dataSource, provider.id));
    expect(first.transactions.created).toBe(rows.transactions);
    expect(rows.transactions).toBeGreaterThan(0);

    const answers = await Promise.all([syncs.request(provider.id), syncs.request(provider.id)]);
    expect(new Set(answers.map((res) => (res.body as SyncBody).id)).size).toBe(1);
    const manual = await syncs.finished(provider.id, (answers[0].body as SyncBody).id);
    expect(manual).toMatchObject({
      status: 'succeeded',
      transactions: { created: 0, updated: 0, unchanged: expect.any(Number) as number },
    });

    await stack.api.dataSource.query(
      `UPDATE provider_connections SET next_sync_at = now() - interval '1 second' WHERE provider_id = $1`,
      [provider.id],
    );
    const scheduled = await waitFor('a scheduled sync', async () => {
      const [latest] = await syncsOf(provider.id);
      return latest.trigger === 'scheduled' && latest.status === 'succeeded' ? latest : undefined;
    });
    expect(scheduled.accounts).toMatchObject({ created: 0, updated: 0 });

    expect(await stack.redis.keys(`${queuePrefix}*`)).toEqual([]);
  });
});
