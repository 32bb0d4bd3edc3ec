import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { Queue } from 'bullmq';
import Redis from 'ioredis';
import type { Response } from 'supertest';

import { getConfig } from '@dashtam/config';
import {
  type ApiCluster,
  type ApiProcess,
  browserGet,
  consentAtSandbox,
  ProvidersApi,
  signUp,
  startApiCluster,
  type TokenStatusBody,
  waitFor,
} from '@dashtam/testing';

import { REFRESH_JOB, TOKEN_REFRESH_QUEUE } from '../../src/queues/token-refresh/token-refresh.jobs';
import {
  auditActions,
  connectionIdOf,
  expectStoredRefreshTokenIsCurrent,
  RefreshQueueWatch,
  storedToken,
} from '../support/token-refresh-fixtures';

const ROOT = join(__dirname, '..', '..', '..');
const LOG_FILE = join(ROOT, '.data', 'token-refresh-multiprocess.log');
const LEAD_SECONDS = 10;
const REQUESTS_PER_PROCESS = 10;
// Long enough that every concurrent PATCH is in before the one refresh call returns.
const TOKEN_LATENCY_MS = 3_000;
// Okta's default; Cognito allows up to 60 s.
const GRACE_SECONDS = 30;

/**
 * SPEC §5/§7 across real processes: three api processes (apps/api/src/main.ts, spawned) on one
 * PostgreSQL database and one Redis index, the Sandbox in rotating mode with reuse detection (a lost
 * or doubly used refresh token revokes the grant, so every assertion on the grant is also an assertion
 * that none was lost), and the callback app over TLS. Then processes are killed mid-refresh.
 */
describe('token refresh across three api processes', () => {
  let cluster: ApiCluster;
  let auth: Record<string, string>;
  let api1: ApiProcess;
  let api2: ApiProcess;
  let api3: ApiProcess;
  let replacement: Promise<ApiProcess> | undefined;
  let survivor: ApiProcess | undefined;
  let spare: ApiProcess | undefined;
  // The process still up after the last kill.
  let standing: ApiProcess | undefined;
  let queue: Queue;
  let queueConnection: Redis;
  let watch: RefreshQueueWatch;

  beforeAll(async () => {
    cluster = await startApiCluster({
      size: 3,
      env: {
        AUTH_REQUIRE_VERIFIED_EMAIL: 'false',
        PROVIDER_TOKEN_REFRESH_LEAD_SECONDS: String(LEAD_SECONDS),
        PROVIDER_HTTP_TIMEOUT_MS: '5000',
        PROVIDER_REFRESH_SCAN_SECONDS: '1',
        PROVIDER_REFRESH_BACKOFF_MS: '500',
        LOG_LEVEL: 'warn',
      },
    });
    [api1, api2, api3] = cluster.processes;
    auth = await signUp(api1.url);
    queueConnection = new Redis(getConfig().redis.url!, { maxRetriesPerRequest: null });
    queue = new Queue(TOKEN_REFRESH_QUEUE, { connection: queueConnection, prefix: cluster.queuePrefix });
    watch = await RefreshQueueWatch.start(queue, getConfig().redis.url!, cluster.queuePrefix);
  }, 240_000);

  afterAll(async () => {
    // What the processes logged, for a failed run: .data/ is not committed.
    const processes = [
      ...(cluster?.processes ?? []),
      ...(replacement ? [await replacement.catch(() => null)] : []),
      ...(spare ? [spare] : []),
    ];
    await mkdir(join(ROOT, '.data'), { recursive: true });
    await writeFile(LOG_FILE, processes.map((p) => p?.output() ?? '').join('\n'));
    await watch?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await queueConnection?.quit();
    await cluster?.close();
  }, 60_000);

  const via = (p: ApiProcess): ProvidersApi => new ProvidersApi(p.url, auth);
  const refreshCalls = async (): Promise<number> => (await cluster.controls.counters()).token_grants.refresh_token;
  const expectCurrent = (connectionId: string) =>
    expectStoredRefreshTokenIsCurrent(cluster.controls, cluster.cipher, cluster.dataSource, connectionId);

  /** The real flow: authorization URL from `starter`, Approve on the consent page, the callback app over TLS. */
  async function link(alias: string, starter: ApiProcess): Promise<{ providerId: string; connectionId: string }> {
    const provider = await via(starter).created(alias);
    const started = await via(starter).authorize(provider.id).expect(201);
    const redirect = await consentAtSandbox((started.body as { authorization_url: string }).authorization_url);
    expect(redirect.origin).toBe(cluster.callbackUrl);
    const page = await browserGet(redirect.toString());
    expect(page.status).toBe(200);
    expect(page.body).toContain(alias);
    return { providerId: provider.id, connectionId: await connectionIdOf(cluster.dataSource, provider.id) };
  }

  /** Sends a PATCH that is not awaited now; keeps its response, or the error a killed process leaves. */
  const pendingRefresh = (p: ApiProcess, providerId: string): Promise<{ res?: Response; error?: string }> =>
    via(p)
      .refresh(providerId)
      .then(
        (res) => ({ res }),
        (error: Error) => ({ error: error.message }),
      );
  // What a client of a SIGKILLed process sees: the connection dropped, no HTTP answer.
  const DROPPED = { error: expect.stringMatching(/socket hang up|ECONNRESET/) };

  describe('one connection, refreshed from every process', () => {
    let main: { providerId: string; connectionId: string };

    beforeAll(async () => {
      main = await link('Shared brokerage', api2);
    });

    it('is linked through one process and active on all three', async () => {
      for (const p of cluster.processes) {
        const res = await via(p).tokenStatus(main.providerId).expect(200);
        expect(res.body).toMatchObject({ status: 'active', has_refresh_token: true, refresh_count: 0 });
      }
      expect((await cluster.controls.counters()).token_grants).toEqual({
        authorization_code: 1,
        refresh_token: 0,
        other: 0,
      });
    });

    it('30 concurrent PATCH /authorization over three processes, three rounds: one token call per round, one new expiry for all', async () => {
      let previousExpiry = (await storedToken(cluster.dataSource, main.connectionId)).expiresAt!.toISOString();
      for (let round = 1; round <= 3; round += 1) {
        const before = await refreshCalls();
        await cluster.controls.fault({ endpoint: 'token', mode: 'latency', ms: TOKEN_LATENCY_MS });

        const responses = await Promise.all(
          Array.from({ length: 3 * REQUESTS_PER_PROCESS }, (_, i) =>
            via(cluster.processes[i % 3]).refresh(main.providerId),
          ),
        );

        expect(responses.map((res) => res.status)).toEqual(responses.map(() => 200));
        const bodies = responses.map((res) => res.body as TokenStatusBody);
        const expiries = new Set(bodies.map((body) => body.expires_at));
        expect(expiries.size).toBe(1);
        const [expiry] = [...expiries];
        expect(expiry).not.toBe(previousExpiry);
        expect(new Set(bodies.map((body) => body.refresh_count))).toEqual(new Set([round]));
        expect(bodies.every((body) => body.status === 'active')).toBe(true);
        expect(await refreshCalls()).toBe(before + 1);

        const grant = await expectCurrent(main.connectionId);
        expect(grant.map((token) => token.status)).toEqual([...Array(round).fill('rotated'), 'active']);
        previousExpiry = expiry!;
      }
      // Every process reads the same stored state.
      for (const p of cluster.processes) {
        const res = await via(p).tokenStatus(main.providerId).expect(200);
        expect(res.body).toMatchObject({ status: 'active', refresh_count: 3, expires_at: previousExpiry });
      }
    }, 120_000);

    it('the scheduled job in all three processes refreshes across several expiries with exactly one call each', async () => {
      const since = new Date();
      const start = await storedToken(cluster.dataSource, main.connectionId);
      const callsBefore = await refreshCalls();
      // Tokens now live 14 s, 4 s of it outside the 10 s lead: each is due 4 s after it was issued.
      await cluster.controls.settings({ access_ttl_seconds: 14 });
      await via(api1).refresh(main.providerId).expect(200);
      await waitFor(
        'three proactive refreshes in a row',
        async () => {
          const [{ count }] = (await cluster.dataSource.query(
            `SELECT count(*)::int AS count FROM provider_audit_logs
              WHERE connection_id = $1 AND action = 'token_refreshed' AND created_at > $2 AND request_id LIKE $3`,
            [main.connectionId, since, `${REFRESH_JOB}-%`],
          )) as Array<{ count: number }>;
          return count >= 3;
        },
        { timeoutMs: 60_000 },
      );
      // Back to long tokens: the next proactive refresh ends the chain.
      await cluster.controls.settings({ access_ttl_seconds: 1800 });
      const end = await waitFor('a long-lived token', async () => {
        const row = await storedToken(cluster.dataSource, main.connectionId);
        return row.expiresAt!.getTime() - Date.now() > 60_000 ? row : undefined;
      });
      await watch.settled();

      const proactive = (
        (await cluster.dataSource.query(
          `SELECT request_id AS "requestId", details FROM provider_audit_logs
            WHERE connection_id = $1 AND action = 'token_refreshed' AND created_at > $2
            ORDER BY created_at`,
          [main.connectionId, since],
        )) as Array<{ requestId: string; details: { expires_at: string; refresh_count: number } }>
      ).filter((row) => row.requestId.startsWith(`${REFRESH_JOB}-`));

      expect(proactive.length).toBeGreaterThanOrEqual(3);
      // One call per refresh, one refresh per call: nothing wasted, nothing doubled.
      const calls = (await refreshCalls()) - callsBefore;
      expect(end.refreshCount - start.refreshCount).toBe(calls);
      expect(calls).toBe(proactive.length + 1);
      // Each job is named after the expiry it replaced, and each expiry was replaced by one job.
      const jobIds = proactive.map((row) => row.requestId);
      expect(new Set(jobIds).size).toBe(jobIds.length);
      for (let i = 1; i < proactive.length; i += 1) {
        const replaced = new Date(proactive[i - 1].details.expires_at).getTime();
        expect(proactive[i].requestId).toBe(`${REFRESH_JOB}-${main.connectionId}-${replaced}`);
      }
      const processedBy = await Promise.all(jobIds.map(async (id) => (await queue.getJob(id))?.processedBy));
      console.log(`proactive refreshes: ${proactive.length}, processed by ${new Set(processedBy).size} processes`);

      const grant = await expectCurrent(main.connectionId);
      expect(grant.filter((token) => token.status === 'active')).toHaveLength(1);
      expect(grant.filter((token) => token.status === 'rotated')).toHaveLength(grant.length - 1);
      expect(end.status).toBe('active');
    }, 120_000);

    it('SIGKILL of the process whose refresh the institution holds unanswered: another process completes it with the same, still current token', async () => {
      const before = await refreshCalls();
      const refreshedBefore = (await storedToken(cluster.dataSource, main.connectionId)).refreshCount;
      await cluster.controls.fault({ endpoint: 'token', mode: 'timeout', ms: 60_000 });
      const inside = pendingRefresh(api2, main.providerId);
      await waitFor('api-2 inside the refresh', async () => (await refreshCalls()) > before);
      // api-3's PATCH queues behind api-2's lock on the token row.
      const waiting = pendingRefresh(api3, main.providerId);
      await waitFor('api-3 waiting for the token row', async () => {
        const [{ count }] = (await cluster.dataSource.query(
          `SELECT count(*)::int AS count FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )) as Array<{ count: number }>;
        return count > 0;
      });

      expect(await api2.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
      replacement = cluster.spawn('api-4');

      expect(await inside).toEqual(DROPPED);
      const { res } = await waiting;
      expect(res?.status).toBe(200);
      expect(res?.body).toMatchObject({ status: 'active', refresh_count: refreshedBefore + 1 });
      expect(await refreshCalls()).toBe(before + 2);
      await expectCurrent(main.connectionId);
      // Still usable: one more refresh with reuse detection armed.
      await via(api1).refresh(main.providerId).expect(200);
      await expectCurrent(main.connectionId);
    }, 60_000);

    it("SIGKILL during the institution's answer with Schwab's non-rotating refresh tokens: the answer is lost, nothing else", async () => {
      await cluster.controls.settings({ rotation: 'static' });
      try {
        const before = await refreshCalls();
        const refreshedBefore = (await storedToken(cluster.dataSource, main.connectionId)).refreshCount;
        await cluster.controls.fault({ endpoint: 'token', mode: 'latency', ms: 2_000 });
        const accessTokens = async () =>
          (await cluster.controls.issuedTokens()).filter((token) => token.kind === 'access_token').length;
        const issuedBefore = await accessTokens();
        const inside = pendingRefresh(api3, main.providerId);
        await waitFor('api-3 inside the refresh', async () => (await refreshCalls()) > before);

        await api3.kill('SIGKILL');
        expect(await inside).toEqual(DROPPED);
        const res = await via(api1).refresh(main.providerId).expect(200);
        // The Sandbox still answers the dead process's request: harmless with a static refresh token.
        await waitFor(
          'the Sandbox to answer the dead process too',
          async () => (await accessTokens()) >= issuedBefore + 2,
        );
        await via(api1).refresh(main.providerId).expect(200);

        expect(res.body).toMatchObject({ status: 'active', refresh_count: refreshedBefore + 1 });
        expect(await refreshCalls()).toBe(before + 3);
        expect((await storedToken(cluster.dataSource, main.connectionId)).status).toBe('active');
        await expectCurrent(main.connectionId);
      } finally {
        await cluster.controls.settings({ rotation: 'rotating' });
      }
    }, 60_000);
  });

  /**
   * An institution that rotates with reuse detection and the usual retry grace (Okta's grace period,
   * Cognito's RetryGracePeriodSeconds; the Sandbox's reuse_grace_seconds): whatever point of a refresh
   * a process dies at, even after the institution rotated and before anyone saw the answer, the
   * connection stays active and holds the institution's one current refresh token.
   */
  describe('rotating institution with a reuse grace: a process killed at any point of a refresh loses no connection', () => {
    beforeAll(() => cluster.controls.settings({ reuse_grace_seconds: GRACE_SECONDS }));
    afterAll(() => cluster.controls.settings({ reuse_grace_seconds: 0 }));

    it('the answer is lost after the institution rotated (reset_after_commit): the same request asks once more and answers 200', async () => {
      const linked = await link('Lost answer', api1);
      const before = await refreshCalls();
      await cluster.controls.fault({ endpoint: 'token', mode: 'reset_after_commit' });

      const res = await via(api1).refresh(linked.providerId).expect(200);
      expect(res.body).toMatchObject({ status: 'active', refresh_count: 1 });
      expect(await refreshCalls()).toBe(before + 2);
      // The code's token, the successor whose answer was lost (void), the stored one.
      const grant = await expectCurrent(linked.connectionId);
      expect(grant.map((token) => token.status)).toEqual(['rotated', 'rotated', 'active']);
      const actions = (await auditActions(cluster.dataSource, linked.connectionId)).map((e) => e.action);
      expect(actions.filter((action) => action === 'token_refreshed')).toHaveLength(1);
      expect(actions).not.toContain('token_refresh_failed');
    }, 60_000);

    it('SIGKILL while the institution rotates (it answers a dead process): the next refresh elsewhere redeems the rotated-out token', async () => {
      survivor = await replacement!;
      const linked = await link('Killed while rotating', api1);
      const before = await refreshCalls();
      const refreshTokens = async () =>
        (await cluster.controls.issuedTokens()).filter((token) => token.kind === 'refresh_token').length;
      const issuedBefore = await refreshTokens();
      await cluster.controls.fault({ endpoint: 'token', mode: 'latency', ms: 1_500 });
      const inside = pendingRefresh(api1, linked.providerId);
      await waitFor('api-1 inside the refresh', async () => (await refreshCalls()) > before);

      await api1.kill('SIGKILL');
      expect(await inside).toEqual(DROPPED);
      // The Sandbox finishes the dead process's refresh (it rotates) after its latency.
      await waitFor('the Sandbox to rotate for the dead process', async () => (await refreshTokens()) > issuedBefore);
      expect((await cluster.controls.issuedTokens()).filter((t) => t.kind === 'refresh_token').at(-1)?.status).toBe(
        'active',
      );

      const res = await via(survivor).refresh(linked.providerId).expect(200);
      expect(res.body).toMatchObject({ status: 'active', refresh_count: 1 });
      expect(await refreshCalls()).toBe(before + 2);
      await expectCurrent(linked.connectionId);
      // Reuse detection is still armed and the chain goes on.
      await via(survivor).refresh(linked.providerId).expect(200);
      const grant = await expectCurrent(linked.connectionId);
      expect(grant.map((token) => token.status)).toEqual(['rotated', 'rotated', 'rotated', 'active']);
    }, 60_000);

    it('SIGKILL of the instance running a proactive refresh: another instance takes over the stalled job, no request needed', async () => {
      spare = await cluster.spawn('api-5');
      cluster.routeCallbacksTo(survivor!);
      const alive = [survivor!, spare];
      const linked = await link('Killed in the job', survivor!);
      // A token due 4 s after it is issued (14 s life, 10 s lead), then a slow institution.
      await cluster.controls.settings({ access_ttl_seconds: 14 });
      await via(survivor!).refresh(linked.providerId).expect(200);
      const due = await storedToken(cluster.dataSource, linked.connectionId);
      const before = await refreshCalls();
      await cluster.controls.fault({ endpoint: 'token', mode: 'latency', ms: 4_000 });

      const job = await waitFor('the proactive refresh inside the institution', async () => {
        if ((await refreshCalls()) === before) return undefined;
        const active = await queue.getActive();
        return active.find((j) => (j.data as { connectionId?: string }).connectionId === linked.connectionId);
      });
      const holder = alive.find((p) => job.processedBy?.endsWith(`:${p.pid}`));
      expect(holder).toBeDefined();
      await holder!.kill('SIGKILL');
      await cluster.controls.settings({ access_ttl_seconds: 1800 });

      const end = await waitFor(
        'the refresh completed by the other instance',
        async () => {
          const row = await storedToken(cluster.dataSource, linked.connectionId);
          return row.refreshCount > due.refreshCount ? row : undefined;
        },
        { timeoutMs: 60_000 },
      );
      expect(end).toMatchObject({ status: 'active', refreshCount: due.refreshCount + 1 });
      expect(end.expiresAt!.getTime() - Date.now()).toBeGreaterThan(60_000);
      expect(await refreshCalls()).toBe(before + 2);
      await expectCurrent(linked.connectionId);
      const other = alive.find((p) => p !== holder)!;
      standing = other;
      expect((await queue.getJob(job.id!))?.processedBy).toMatch(new RegExp(`:${other.pid}$`));
      const [audit] = (await cluster.dataSource.query(
        `SELECT request_id AS "requestId" FROM provider_audit_logs
          WHERE connection_id = $1 AND action = 'token_refreshed' ORDER BY created_at DESC LIMIT 1`,
        [linked.connectionId],
      )) as Array<{ requestId: string }>;
      expect(audit.requestId).toBe(job.id);
      await via(other).tokenStatus(linked.providerId).expect(200);
    }, 120_000);
  });

  /**
   * The limit no client can cross: a strict institution (reuse detection, no grace) rotated and the
   * answer never arrived. The database still holds the old token (never a half-written one), the retry
   * presents it and the institution revokes the grant. The connection then says so (requires_reauth +
   * audit); it is never silently broken or retried forever.
   */
  describe('strict institution (reuse detection, no grace): the documented limit', () => {
    it('strict institution, answer lost after it rotated: the retry is refused as reuse, requires_reauth at once', async () => {
      cluster.routeCallbacksTo(standing!);
      const linked = await link('Strict lost answer', standing!);
      const before = await refreshCalls();
      await cluster.controls.fault({ endpoint: 'token', mode: 'reset_after_commit' });

      const refused = await via(standing!).refresh(linked.providerId).expect(409);
      expect(refused.body).toMatchObject({ code: 'PROVIDER.REAUTH_REQUIRED' });
      expect((await storedToken(cluster.dataSource, linked.connectionId)).status).toBe('requires_reauth');
      expect((await auditActions(cluster.dataSource, linked.connectionId)).map((e) => e.action)).toEqual(
        expect.arrayContaining(['token_refresh_failed']),
      );
      const stored = cluster.cipher.decrypt(
        (await storedToken(cluster.dataSource, linked.connectionId)).refreshTokenEncrypted!,
        { aad: linked.connectionId },
      );
      const issued = await cluster.controls.issuedTokens();
      const family = issued.find((token) => token.value === stored)!.family_id;
      const grant = issued.filter((token) => token.family_id === family && token.kind === 'refresh_token');
      expect(grant.map((token) => token.status)).toEqual(grant.map(() => 'revoked'));
      expect(await refreshCalls()).toBe(before + 2);
    }, 60_000);
  });
});
