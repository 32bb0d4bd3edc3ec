import { randomBytes } from 'node:crypto';

import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';

import { getConfig, type JobsConfig } from '@dashtam/config';
import { TokenCipherService } from '@dashtam/crypto';
import { buildDataSourceOptions, truncateAllTables } from '@dashtam/database';
import {
  createSignedInUser,
  createTestApp,
  ProvidersApi,
  type SandboxControlsClient,
  type SandboxHandle,
  startSandbox,
  type TestApp,
  waitFor,
} from '@dashtam/testing';

import { SCAN_SCHEDULER_ID, TOKEN_REFRESH_QUEUE } from '../../src/queues/token-refresh/token-refresh.jobs';
import {
  auditActions,
  expectStoredRefreshTokenIsCurrent,
  expireIn,
  type LinkedProvider,
  linkProvider,
  RefreshQueueWatch,
  storedToken,
} from '../support/token-refresh-fixtures';

const LEAD_SECONDS = 30;
const BACKOFF_MS = 300;

/**
 * The proactive refresh in one api instance against real PostgreSQL, Redis (BullMQ) and the Sandbox
 * in rotating mode: a scan every second, tokens moved into the lead time by rewriting their stored
 * expiry (Dashtam's clock cannot be advanced; the Sandbox does not care what Dashtam thinks).
 */
describe('proactive token refresh (BullMQ job)', () => {
  const config = getConfig();
  const callbackSecret = `cb-${randomBytes(24).toString('base64url')}`;
  const jobs: JobsConfig = {
    // Own keys per run: nothing another suite or an earlier run left in Redis can reach this one.
    queuePrefix: `dashtam-test-${randomBytes(6).toString('hex')}`,
    tokenRefresh: { scanSeconds: 1, batchSize: 2, concurrency: 2, attempts: 4, backoffMs: BACKOFF_MS },
  };
  let sandbox: SandboxHandle;
  let controls: SandboxControlsClient;
  let t: TestApp;
  let providers: ProvidersApi;
  let cipher: TokenCipherService;
  let queue: Queue;
  let queueConnection: Redis;
  let watch: RefreshQueueWatch;
  let apiClosed = false;

  beforeAll(async () => {
    // The scan sees every connection in the database: earlier suites' leftovers (tokens of another
    // Sandbox, some expired) would be refreshed against this one and move its counters.
    const cleaner = await new DataSource(buildDataSourceOptions(config.database)).initialize();
    await truncateAllTables(cleaner);
    await cleaner.destroy();
    const redirectUri = `${config.callback.publicUrl}/callback`;
    ({ sandbox, controls } = await startSandbox({
      clientSecret: `sandbox-secret-${randomBytes(12).toString('hex')}`,
      redirectUris: [redirectUri],
      autoApprove: true,
      rotation: 'rotating',
    }));
    t = await createTestApp({
      config: {
        providers: {
          refreshLeadSeconds: LEAD_SECONDS,
          httpTimeoutMs: 5_000,
          sandbox: {
            baseUrl: sandbox.url,
            clientId: sandbox.options.clientId,
            clientSecret: sandbox.options.clientSecret,
          },
        },
        callback: { redirectUri, secret: callbackSecret },
        jobs,
      },
    });
    cipher = t.app.get(TokenCipherService);
    providers = new ProvidersApi(t.url, (await createSignedInUser(t)).auth);
    queueConnection = new Redis(config.redis.url!, { maxRetriesPerRequest: null });
    queue = new Queue(TOKEN_REFRESH_QUEUE, { connection: queueConnection, prefix: jobs.queuePrefix });
    watch = await RefreshQueueWatch.start(queue, config.redis.url!, jobs.queuePrefix);
  });

  afterAll(async () => {
    if (!apiClosed) await t?.close();
    await watch?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await queueConnection?.quit();
    await sandbox?.close();
  });

  const link = (alias: string): Promise<LinkedProvider> =>
    linkProvider(providers, t.dataSource, alias, { callbackApiUrl: t.url, callbackSecret });
  const refreshCalls = async (): Promise<number> => (await controls.counters()).token_grants.refresh_token;
  const refreshedOnce = (connectionId: string) =>
    waitFor(`connection ${connectionId} refreshed`, async () => {
      const row = await storedToken(t.dataSource, connectionId);
      return row.refreshCount >= 1 ? row : undefined;
    });

  it('refreshes every token inside the lead time once, in batches, and leaves the others alone', async () => {
    const [a, b, c] = [await link('Due A'), await link('Due B'), await link('Not due')];
    // Two scans after three links: nothing was due, nothing was refreshed.
    await watch.settled();
    const before = await refreshCalls();
    expect(before).toBe(0);

    const dueA = await expireIn(t.dataSource, a.connectionId, 5);
    await expireIn(t.dataSource, b.connectionId, -60);
    const [rowA, rowB] = [await refreshedOnce(a.connectionId), await refreshedOnce(b.connectionId)];

    // A fresh 30-minute token each, well past the lead time, so no scan picks them again.
    for (const row of [rowA, rowB]) {
      expect(row.status).toBe('active');
      expect(row.expiresAt!.getTime() - Date.now()).toBeGreaterThan(25 * 60_000);
    }
    await watch.settled();
    expect(await refreshCalls()).toBe(before + 2);
    expect((await storedToken(t.dataSource, a.connectionId)).refreshCount).toBe(1);
    expect((await storedToken(t.dataSource, b.connectionId)).refreshCount).toBe(1);
    expect((await storedToken(t.dataSource, c.connectionId)).refreshCount).toBe(0);

    // The audit row names the job: one per connection and expiry.
    const refreshedA = (await auditActions(t.dataSource, a.connectionId)).filter((e) => e.action === 'token_refreshed');
    expect(refreshedA).toEqual([
      { action: 'token_refreshed', requestId: `refresh-${a.connectionId}-${dueA.getTime()}` },
    ]);
    const job = await queue.getJob(refreshedA[0].requestId!);
    expect(job?.returnvalue).toEqual({ outcome: 'current', expiresAt: rowA.expiresAt!.toISOString() });

    for (const linked of [a, b]) {
      const grant = await expectStoredRefreshTokenIsCurrent(controls, cipher, t.dataSource, linked.connectionId);
      expect(grant.map((token) => token.status)).toEqual(['rotated', 'active']);
    }
  });

  it('retries transient failures with exponential backoff, keeps the tokens and never asks for re-authorization', async () => {
    const linked = await link('Flaky');
    const before = await refreshCalls();
    await controls.fault({ endpoint: 'token', mode: '5xx', count: 2 });
    const due = await expireIn(t.dataSource, linked.connectionId, 5);
    const started = Date.now();

    const row = await refreshedOnce(linked.connectionId);

    expect(row.status).toBe('active');
    expect(await refreshCalls()).toBe(before + 3);
    // Two retries: at least 300 ms then 600 ms, less a fifth of jitter.
    expect(Date.now() - started).toBeGreaterThanOrEqual(0.8 * (BACKOFF_MS + 2 * BACKOFF_MS));
    const job = await queue.getJob(`refresh-${linked.connectionId}-${due.getTime()}`);
    expect(job?.attemptsMade).toBe(3);
    expect(job?.returnvalue).toMatchObject({ outcome: 'current' });
    const actions = (await auditActions(t.dataSource, linked.connectionId)).map((e) => e.action);
    expect(actions).not.toContain('token_refresh_failed');
    expect(actions.filter((action) => action === 'token_refreshed')).toHaveLength(1);
    await expectStoredRefreshTokenIsCurrent(controls, cipher, t.dataSource, linked.connectionId);
  });

  it('records a permanent refusal once: requires_reauth, no retry, no further scans', async () => {
    const linked = await link('Refused');
    const before = await refreshCalls();
    await controls.fault({ endpoint: 'token', mode: 'invalid_grant' });
    const due = await expireIn(t.dataSource, linked.connectionId, 5);

    await waitFor('requires_reauth', async () => {
      const row = await storedToken(t.dataSource, linked.connectionId);
      return row.status === 'requires_reauth' ? row : undefined;
    });
    await watch.settled();

    expect(await refreshCalls()).toBe(before + 1);
    const row = await storedToken(t.dataSource, linked.connectionId);
    expect(row).toMatchObject({ status: 'requires_reauth', refreshCount: 0 });
    // The tokens stay (only a disconnect deletes them); the person is asked to link again.
    expect(row.refreshTokenEncrypted).not.toBeNull();
    const failures = (await auditActions(t.dataSource, linked.connectionId)).filter(
      (e) => e.action === 'token_refresh_failed',
    );
    expect(failures).toEqual([
      { action: 'token_refresh_failed', requestId: `refresh-${linked.connectionId}-${due.getTime()}` },
    ]);
    const job = await queue.getJob(failures[0].requestId!);
    expect(job?.attemptsMade).toBe(1);
    expect(job?.returnvalue).toEqual({ outcome: 'requires_reauth', expiresAt: null });
  });

  // Last: it closes the api.
  it('on shutdown lets a running refresh finish and store the rotated token; the schedule stays for other instances', async () => {
    const linked = await link('Shutdown');
    const before = await refreshCalls();
    await controls.fault({ endpoint: 'token', mode: 'latency', ms: 2_000 });
    await expireIn(t.dataSource, linked.connectionId, 5);
    await waitFor('the refresh call to reach the Sandbox', async () => (await refreshCalls()) > before);

    apiClosed = true;
    await t.close();

    // The api's DataSource is closed: look with our own connection.
    const dataSource = await new DataSource(buildDataSourceOptions(config.database)).initialize();
    try {
      const row = await storedToken(dataSource, linked.connectionId);
      expect(row).toMatchObject({ status: 'active', refreshCount: 1 });
      await expectStoredRefreshTokenIsCurrent(controls, cipher, dataSource, linked.connectionId);
    } finally {
      await dataSource.destroy();
    }
    expect(await refreshCalls()).toBe(before + 1);
    expect((await queue.getJobSchedulers()).map((scheduler) => scheduler.key)).toContain(SCAN_SCHEDULER_ID);
  });
});
