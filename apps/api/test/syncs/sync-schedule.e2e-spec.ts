import { randomBytes } from 'node:crypto';

import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';

import { getConfig } from '@dashtam/config';
import { buildDataSourceOptions, truncateAllTables } from '@dashtam/database';
import {
  createSignedInUser,
  type LinkingStack,
  type Page,
  type ProviderBody,
  ProvidersApi,
  startLinkingStack,
  SYNC_QUEUE,
  type SyncBody,
  SyncsApi,
  waitFor,
} from '@dashtam/testing';

import { auditTrail, connectionIdOf, linkSandbox, storedRows } from '../support/sync-fixtures';

const STALE_SECONDS = 5;

/**
 * The schedule on the job engine: a scan every second (one per interval across instances, a BullMQ
 * job scheduler) queues a sync for each connection whose next_sync_at has passed, and re-dispatches
 * syncs nobody has touched for the stale timeout. Linking queues nothing here, so every sync seen is
 * the scan's. The scan sees the whole database: it starts empty.
 */
describe('scheduled syncs', () => {
  const queuePrefix = `dashtam-test-${randomBytes(6).toString('hex')}`;
  let stack: LinkingStack;
  let providers: ProvidersApi;
  let syncs: SyncsApi;
  let queueConnection: Redis;
  let queue: Queue;

  beforeAll(async () => {
    const cleaner = await new DataSource(buildDataSourceOptions(getConfig().database)).initialize();
    await truncateAllTables(cleaner);
    await cleaner.destroy();
    stack = await startLinkingStack({
      sync: { onLink: false, scanSeconds: 1, staleSeconds: STALE_SECONDS },
      jobs: { queuePrefix },
    });
    const owner = await createSignedInUser(stack.api);
    providers = new ProvidersApi(stack.api.url, owner.auth);
    syncs = new SyncsApi(stack.api.url, owner.auth);
    queueConnection = new Redis(getConfig().redis.url!, { maxRetriesPerRequest: null });
    queue = new Queue(SYNC_QUEUE, { connection: queueConnection, prefix: queuePrefix });
  });

  afterAll(async () => {
    await stack?.close();
    // The job scheduler outlives the app in Redis; nothing of this suite may scan for the next one.
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await queueConnection?.quit();
  });

  const db = () => stack.api.dataSource;
  const syncsOf = async (providerId: string) =>
    ((await syncs.list(providerId, { per_page: 100 }).expect(200)).body as Page<SyncBody>).items;
  const providerBody = async (providerId: string) => (await providers.get(providerId).expect(200)).body as ProviderBody;

  /** Waits for the provider's `n`th sync to have finished, and returns it. */
  const nthSyncFinished = (providerId: string, n: number) =>
    waitFor(`sync #${n} of ${providerId}`, async () => {
      const list = await syncsOf(providerId);
      const sync = list.length >= n ? list[list.length - n] : undefined;
      return sync && (sync.status === 'succeeded' || sync.status === 'failed') ? sync : undefined;
    });

  const makeDue = (providerId: string) =>
    db().query(`UPDATE provider_connections SET next_sync_at = now() - interval '1 second' WHERE provider_id = $1`, [
      providerId,
    ]);

  /** Linked, and its first scheduled sync (it has never synced, so it is due at once) finished. */
  async function linkedAndSynced(alias: string): Promise<{ provider: ProviderBody; first: SyncBody }> {
    const provider = await linkSandbox(stack, providers, alias);
    const first = await nthSyncFinished(provider.id, 1);
    return { provider, first };
  }

  it('a connection that never synced is due: one scheduled sync, and the next one a frequency later', async () => {
    const { provider, first } = await linkedAndSynced('Scheduled');
    expect(first).toMatchObject({ trigger: 'scheduled', status: 'succeeded' });
    const body = await providerBody(provider.id);
    expect(new Date(body.next_sync_at!).getTime() - new Date(body.last_sync_at!).getTime()).toBe(3_600_000);
    // Scans went on (another connection was picked up): this one was not due again.
    await linkedAndSynced('Scheduled later');
    expect(await syncsOf(provider.id)).toHaveLength(1);
  });

  it('once next_sync_at has passed the scan queues the next sync; nothing changed, so nothing is written', async () => {
    const { provider, first } = await linkedAndSynced('Due again');
    await makeDue(provider.id);
    const second = await nthSyncFinished(provider.id, 2);
    expect(second).toMatchObject({
      trigger: 'scheduled',
      status: 'succeeded',
      accounts: { created: 0, updated: 0, unchanged: first.accounts.created },
      transactions: { created: 0, updated: 0 },
    });
  });

  it('connections that require re-authorization or were disconnected are not synced', async () => {
    const { provider: refused } = await linkedAndSynced('Refused');
    await stack.controls.fault({ endpoint: 'token', mode: 'invalid_grant' });
    await providers.refresh(refused.id).expect(409);
    const { provider: disconnected } = await linkedAndSynced('Disconnected');
    await providers.disconnect(disconnected.id).expect(204);
    const { provider: witness } = await linkedAndSynced('Witness');
    await makeDue(refused.id);
    await makeDue(disconnected.id);
    await makeDue(witness.id);
    // The scan that queued the witness's sync saw the other two as well.
    await nthSyncFinished(witness.id, 2);
    expect(await syncsOf(refused.id)).toHaveLength(1);
    expect(await syncsOf(disconnected.id)).toHaveLength(1);
  });

  it('a sync left running by a process that died is taken over once its heartbeat is stale, and finishes', async () => {
    const { provider, first } = await linkedAndSynced('Orphaned');
    const connectionId = await connectionIdOf(db(), provider.id);
    // What a killed process leaves behind: running, last heartbeat a while ago, no job.
    const [orphan] = (await db().query(
      `INSERT INTO syncs (connection_id, trigger, status, started_at, created_at, updated_at)
       VALUES ($1, 'manual', 'running', now() - interval '10 minutes', now() - interval '10 minutes',
               now() - interval '10 minutes')
       RETURNING id`,
      [connectionId],
    )) as [{ id: string }];
    const resumed = await syncs.finished(provider.id, orphan.id);
    expect(resumed).toMatchObject({
      status: 'succeeded',
      accounts: { created: 0, updated: 0, unchanged: first.accounts.created },
    });
    const started = (await auditTrail(providers, provider.id)).filter(
      (row) => row.action === 'sync_started' && row.details.sync_id === orphan.id,
    );
    expect(started).toMatchObject([{ details: { resumed: true } }]);
    const rows = await storedRows(db(), connectionId);
    expect(rows.transactions).toBe(first.transactions.created);
    expect(rows.distinctTransactions).toBe(rows.transactions);
  });

  it('a queued sync whose job was lost is dispatched again', async () => {
    const { provider } = await linkedAndSynced('Lost job');
    const connectionId = await connectionIdOf(db(), provider.id);
    const [lost] = (await db().query(
      `INSERT INTO syncs (connection_id, trigger, status, created_at, updated_at)
       VALUES ($1, 'manual', 'queued', now() - interval '1 minute', now() - interval '1 minute')
       RETURNING id`,
      [connectionId],
    )) as [{ id: string }];
    expect(await syncs.finished(provider.id, lost.id)).toMatchObject({ status: 'succeeded' });
  });
});
