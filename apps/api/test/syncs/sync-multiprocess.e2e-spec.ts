import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { Queue } from 'bullmq';
import Redis from 'ioredis';

import { getConfig } from '@dashtam/config';
import {
  type ApiCluster,
  type ApiProcess,
  browserGet,
  consentAtSandbox,
  type Page,
  ProvidersApi,
  signUp,
  startApiCluster,
  SYNC_QUEUE,
  type SyncBody,
  syncJobId,
  SyncsApi,
  waitFor,
} from '@dashtam/testing';

import { auditTrail, connectionIdOf, storedRows } from '../support/sync-fixtures';

const ROOT = join(__dirname, '..', '..', '..', '..');
const LOG_FILE = join(ROOT, '.data', 'sync-multiprocess.log');
// Long enough to kill the process that waits for this answer.
const HELD_MS = 8_000;
// Short enough that the stopping process's shutdown deadline is not reached while it waits for it.
const SHORT_HELD_MS = 3_000;

/**
 * SPEC §7 for syncs: two real api processes (apps/api/src/main.ts) on one PostgreSQL database and one
 * Redis, the Sandbox and the callback app. At most one sync per connection runs across processes, and
 * a process killed mid-sync leaves neither a sync stuck `running` nor a duplicate or a missing row.
 */
describe('syncs across two api processes', () => {
  let cluster: ApiCluster;
  let auth: Record<string, string>;
  let queueConnection: Redis;
  let queue: Queue;

  beforeAll(async () => {
    cluster = await startApiCluster({
      size: 2,
      env: { AUTH_REQUIRE_VERIFIED_EMAIL: 'false', PROVIDER_HTTP_TIMEOUT_MS: '15000', LOG_LEVEL: 'warn' },
    });
    auth = await signUp(cluster.processes[0].url);
    queueConnection = new Redis(getConfig().redis.url!, { maxRetriesPerRequest: null });
    queue = new Queue(SYNC_QUEUE, { connection: queueConnection, prefix: cluster.queuePrefix });
  }, 240_000);

  afterAll(async () => {
    // What the processes logged, for a failed run: .data/ is not committed.
    await mkdir(join(ROOT, '.data'), { recursive: true });
    await writeFile(LOG_FILE, (cluster?.processes ?? []).map((p) => p.output()).join('\n'));
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await queueConnection?.quit();
    await cluster?.close();
  }, 60_000);

  const providersVia = (p: ApiProcess) => new ProvidersApi(p.url, auth);
  const syncsVia = (p: ApiProcess) => new SyncsApi(p.url, auth);

  /** Links through `via` (the callback app must be routed to a live process). */
  async function link(alias: string, via: ApiProcess = cluster.processes[0]): Promise<string> {
    const api = providersVia(via);
    const provider = await api.created(alias);
    const started = await api.authorize(provider.id).expect(201);
    const redirect = await consentAtSandbox((started.body as { authorization_url: string }).authorization_url);
    expect((await browserGet(redirect.toString())).status).toBe(200);
    return provider.id;
  }

  let complete: { transactions: number; positions: number; accounts: number };
  let survivor: ApiProcess;

  it('concurrent requests through both processes answer one sync, run once, by one process', async () => {
    const providerId = await link('Shared');
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => syncsVia(cluster.processes[i % 2]).request(providerId)),
    );
    expect(answers.map((res) => res.status)).toEqual(answers.map(() => 202));
    const ids = new Set(answers.map((res) => (res.body as SyncBody).id));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    const sync = await syncsVia(cluster.processes[1]).finished(providerId, id);
    expect(sync).toMatchObject({ status: 'succeeded' });
    const started = (await auditTrail(providersVia(cluster.processes[0]), providerId)).filter(
      (row) => row.action === 'sync_started',
    );
    expect(started).toHaveLength(1);
    const rows = await storedRows(cluster.dataSource, await connectionIdOf(cluster.dataSource, providerId));
    expect(rows.transactions).toBe(sync.transactions.created);
    expect(rows.distinctTransactions).toBe(rows.transactions);
    complete = { transactions: rows.transactions, positions: rows.positions, accounts: rows.accounts };
  });

  it('a process killed mid-sync: the other takes the sync over; it finishes with no duplicate and no missing row', async () => {
    const providerId = await link('Killed mid-sync');
    const before = (await cluster.controls.counters()).transactions;
    await cluster.controls.fault({ endpoint: 'transactions', mode: 'latency', ms: HELD_MS });
    const id = await syncsVia(cluster.processes[0]).requested(providerId);
    // The accounts are written and the first transactions request is waiting at the institution.
    await waitFor(
      'the first transactions request',
      async () => (await cluster.controls.counters()).transactions > before,
    );
    const job = await queue.getJob(syncJobId(id));
    const holder = cluster.processes.find((p) => job?.processedBy?.endsWith(`:${p.pid}`));
    const other = cluster.processes.find((p) => p !== holder)!;
    expect(holder).toBeDefined();
    const running = (await syncsVia(other).get(providerId, id).expect(200)).body as SyncBody;
    expect(running.status).toBe('running');
    expect(await holder!.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });

    const sync = await syncsVia(other).finished(providerId, id, 60_000);
    expect(sync).toMatchObject({ status: 'succeeded', error: null });
    const started = (await auditTrail(providersVia(other), providerId)).filter((row) => row.action === 'sync_started');
    expect(started.map((row) => row.details.resumed)).toEqual([false, true]);

    const rows = await storedRows(cluster.dataSource, await connectionIdOf(cluster.dataSource, providerId));
    expect(rows).toMatchObject({ ...complete, distinctTransactions: complete.transactions });
    // Syncing again writes nothing new: nothing was missing, nothing doubled.
    const again = await syncsVia(other).run(providerId);
    expect(again).toMatchObject({
      status: 'succeeded',
      accounts: { created: 0, updated: 0 },
      positions: { created: 0, updated: 0 },
      transactions: { created: 0, updated: 0, unchanged: expect.any(Number) as number },
    });
    const list = ((await syncsVia(other).list(providerId).expect(200)).body as Page<SyncBody>).items;
    expect(list.every((s) => s.status === 'succeeded')).toBe(true);
    survivor = other;
  }, 120_000);

  it('a process shut down mid-sync hands the sync back at once; another process finishes it', async () => {
    const spare = await cluster.spawn('api-3');
    const alive = [survivor, spare];
    cluster.routeCallbacksTo(survivor);
    const providerId = await link('Shut down mid-sync', survivor);
    const before = (await cluster.controls.counters()).transactions;
    await cluster.controls.fault({ endpoint: 'transactions', mode: 'latency', ms: SHORT_HELD_MS });
    const id = await syncsVia(spare).requested(providerId);
    await waitFor(
      'the first transactions request',
      async () => (await cluster.controls.counters()).transactions > before,
    );
    const job = await queue.getJob(syncJobId(id));
    const holder = alive.find((p) => job?.processedBy?.endsWith(`:${p.pid}`))!;
    const other = alive.find((p) => p !== holder)!;
    expect(holder).toBeDefined();
    const stopping = Date.now();
    // SIGTERM: the running sync stops after the institution's answer, is queued again and re-dispatched.
    expect((await holder.stop()).signal).not.toBe('SIGKILL');
    const sync = await syncsVia(other).finished(providerId, id, 30_000);
    expect(sync).toMatchObject({ status: 'succeeded', error: null });
    // Well before a stalled job or a stale heartbeat would have been noticed.
    expect(Date.now() - stopping).toBeLessThan(12_000);
    const started = (await auditTrail(providersVia(other), providerId)).filter((row) => row.action === 'sync_started');
    expect(started).toHaveLength(2);
    const rows = await storedRows(cluster.dataSource, await connectionIdOf(cluster.dataSource, providerId));
    expect(rows).toMatchObject({ ...complete, distinctTransactions: complete.transactions });
  }, 120_000);
});
