import type { Response } from 'supertest';

import { getConfig } from '@dashtam/config';
import { TokenCipherService } from '@dashtam/crypto';
import {
  AuthApi,
  createSignedInUser,
  type LinkingStack,
  linkThroughBrowser,
  newPassword,
  type PrivatePostgres,
  type PrivateRedis,
  type ProviderBody,
  ProvidersApi,
  type SignedInUser,
  startLinkingStack,
  startPrivatePostgres,
  startPrivateRedis,
  type TokenStatusBody,
  uniqueEmail,
  waitFor,
} from '@dashtam/testing';

// While the institution holds a refresh's answer the test stops or kills PostgreSQL under it.
const INSTITUTION_LATENCY_MS = 2_500;
const OUTAGE_MS = 10_000;

/**
 * The api runs on a PostgreSQL and a Redis of its own (real server processes on free ports, never the
 * machine's), which this suite stops, kills (SIGKILL) and starts again under running requests and
 * refreshes. The institution is the Sandbox at its strictest: refresh tokens rotate and a reused one
 * revokes the whole grant, so a rotated token that got lost would show as a revoked family and a 409.
 * What must hold: no rotated token lost, 503 problem+json (never 500) during an outage, no request
 * slower than a second while Redis is down, and recovery without restarting the api.
 */
describe('faults: the api on its own PostgreSQL and Redis, stopped, killed and restarted', () => {
  let pg: PrivatePostgres;
  let cache: PrivateRedis;
  let stack: LinkingStack;
  let me: SignedInUser;
  let providers: ProvidersApi;
  let auth: AuthApi;
  const cipher = new TokenCipherService(getConfig().crypto);

  beforeAll(async () => {
    [pg, cache] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
    stack = await startLinkingStack({
      // An empty database: the api migrates it at boot, as in production.
      database: { url: pg.url, name: 'dashtam_fault_test', migrationsRun: true, poolMax: 5 },
      redis: { url: cache.url },
      providers: { httpTimeoutMs: 5_000 },
    });
    me = await createSignedInUser(stack.api);
    providers = new ProvidersApi(stack.api.url, me.auth);
    auth = new AuthApi(stack.api.url);
  }, 60_000);
  // A test that fails half-way must not leave the next one without its servers.
  afterEach(async () => {
    await Promise.all([pg.start(), cache.start()]);
  });
  afterAll(async () => {
    await stack?.close();
    await Promise.all([pg?.destroy(), cache?.destroy()]);
  });

  async function linked(alias: string): Promise<ProviderBody> {
    const provider = await providers.created(alias);
    const page = await linkThroughBrowser(stack, providers, provider.id);
    if (page.status !== 200) throw new Error(`linking ${alias} answered ${page.status}`);
    return provider;
  }

  async function storedRefreshToken(providerId: string): Promise<string> {
    const [row] = (await stack.api.dataSource.query(
      `SELECT t.connection_id AS "connectionId", t.refresh_token_encrypted AS refresh
         FROM provider_tokens t JOIN provider_connections c ON c.id = t.connection_id
        WHERE c.provider_id = $1`,
      [providerId],
    )) as Array<{ connectionId: string; refresh: string }>;
    return cipher.decrypt(row.refresh, { aad: row.connectionId });
  }

  /** The grant (token family) at the Sandbox behind what the provider stores now. */
  async function grantOf(providerId: string): Promise<string> {
    const stored = await storedRefreshToken(providerId);
    const issued = (await stack.controls.issuedTokens()).find((token) => token.value === stored);
    return issued!.family_id!;
  }

  async function grantTokens(family: string) {
    const tokens = (await stack.controls.issuedTokens()).filter(
      (token) => token.family_id === family && token.kind === 'refresh_token',
    );
    return {
      active: tokens.filter((token) => token.status === 'active').map((token) => token.value),
      revoked: tokens.filter((token) => token.status === 'revoked').length,
    };
  }

  const refreshCalls = async () => (await stack.controls.counters()).token_grants.refresh_token;

  /** Starts a refresh that the Sandbox holds INSTITUTION_LATENCY_MS, and waits until it is there. */
  async function refreshHeldByInstitution(providerId: string): Promise<{ answer: Promise<Response> }> {
    const before = await refreshCalls();
    await stack.controls.fault({ endpoint: 'token', mode: 'latency', ms: INSTITUTION_LATENCY_MS });
    const answer = providers.refresh(providerId).then((res) => res);
    await waitFor('the refresh to reach the institution', async () => (await refreshCalls()) > before, {
      intervalMs: 20,
    });
    // Wrapped: an async function's result that is itself a promise would be awaited here.
    return { answer };
  }

  function expectOutageProblem(res: Response, code: string): void {
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.body).toMatchObject({ status: 503, code, request_id: expect.any(String) });
  }

  async function timed(request: PromiseLike<Response>): Promise<{ res: Response; ms: number }> {
    const started = Date.now();
    const res = await request;
    return { res, ms: Date.now() - started };
  }

  /** Once PostgreSQL is back: the kept result is stored (refresh_count moves) without another call. */
  async function waitUntilStored(providerId: string, refreshCount: number): Promise<TokenStatusBody> {
    return waitFor(
      'the refreshed tokens to be stored',
      async () => {
        const res = await providers.tokenStatus(providerId);
        const body = res.body as TokenStatusBody;
        return res.status === 200 && body.refresh_count === refreshCount && body;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
  }

  it('PostgreSQL stopped for 10 s while the institution answers a refresh: the rotated token is kept, stored when it returns, and the next refresh works', async () => {
    const provider = await linked('Stopped during the answer');
    const family = await grantOf(provider.id);
    const calls = await refreshCalls();

    const { answer } = await refreshHeldByInstitution(provider.id);
    await pg.stop();
    const stoppedAt = Date.now();

    // The institution did refresh: the answer says so and promises nothing false about the tokens.
    const res = await answer;
    expectOutageProblem(res, 'PROVIDER.REFRESH_PENDING');
    expect(res.body.detail).not.toMatch(/unchanged/i);
    expect(res.headers['retry-after']).toBe('5');
    const { active } = await grantTokens(family);
    expect(active).toHaveLength(1);
    const rotated = active[0];

    // Ten seconds of outage: every request answers 503 problem+json, none a 500, none hangs.
    await waitFor(
      'ten seconds of outage',
      async () => {
        const { res: read, ms } = await timed(providers.tokenStatus(provider.id));
        expectOutageProblem(read, 'SERVICE.UNAVAILABLE');
        expect(ms).toBeLessThan(1_000);
        return Date.now() - stoppedAt >= OUTAGE_MS;
      },
      { timeoutMs: OUTAGE_MS + 10_000, intervalMs: 500 },
    );
    await pg.start();

    // Stored by the api's retries, with no request and no call to the institution.
    const status = await waitUntilStored(provider.id, 1);
    expect(status.status).toBe('active');
    expect(await refreshCalls()).toBe(calls + 1);
    expect(await storedRefreshToken(provider.id)).toBe(rotated);
    const audit = (await providers.auditLogs(provider.id, { per_page: 100 }).expect(200)).body as {
      items: Array<{ action: string; details: Record<string, unknown> }>;
    };
    expect(audit.items.filter((a) => a.action === 'token_refreshed')).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ rotated: true, deferred: true }) }),
    ]);

    const next = await providers.refresh(provider.id);
    expect(next.status).toBe(200);
    expect(next.body).toMatchObject({ status: 'active', refresh_count: 2 });
    expect(await grantTokens(family)).toEqual({ active: [await storedRefreshToken(provider.id)], revoked: 0 });
  }, 60_000);

  it('PostgreSQL and Redis both killed during the answer: the api retries the write from memory, and after both restart nothing is lost', async () => {
    const provider = await linked('Killed during the answer');
    const family = await grantOf(provider.id);

    const { answer } = await refreshHeldByInstitution(provider.id);
    await Promise.all([pg.kill(), cache.kill()]);
    const res = await answer;
    expectOutageProblem(res, 'PROVIDER.REFRESH_PENDING');
    const [rotated] = (await grantTokens(family)).active;

    // Redis comes back empty (no persistence); PostgreSQL recovers from its log.
    await cache.start();
    await pg.start();
    await waitUntilStored(provider.id, 1);
    expect(await storedRefreshToken(provider.id)).toBe(rotated);

    const next = await providers.refresh(provider.id);
    expect(next.status).toBe(200);
    expect(next.body).toMatchObject({ status: 'active', refresh_count: 2 });
    expect((await grantTokens(family)).revoked).toBe(0);
  }, 60_000);

  it('PostgreSQL killed under concurrent requests: 503 problem+json (never 500), then recovery without restarting the api', async () => {
    const provider = await linked('Killed under load');
    const reads = Array.from({ length: 12 }, (_, i) =>
      timed(i % 2 === 0 ? providers.list() : providers.update(provider.id, { alias: `Renamed ${i}` })),
    );
    await pg.kill();
    for (const { res, ms } of await Promise.all(reads)) {
      expect([200, 503]).toContain(res.status);
      if (res.status === 503) expectOutageProblem(res, 'SERVICE.UNAVAILABLE');
      expect(ms).toBeLessThan(5_000);
    }
    const { res: during } = await timed(providers.get(provider.id));
    expectOutageProblem(during, 'SERVICE.UNAVAILABLE');

    await pg.start();
    const back = await waitFor(
      'reads to work again',
      async () => {
        const res = await providers.get(provider.id);
        return res.status === 200 && res;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    expect(back.body).toMatchObject({ id: provider.id, is_connected: true });
    await providers.refresh(provider.id).expect(200);
  }, 60_000);

  it('Redis stopped: nothing slower than a second, 503 where Redis is required, the rest served from PostgreSQL, a refresh still works; recovery without restart', async () => {
    const provider = await linked('Redis stopped');
    await cache.stop();

    const answers = [
      await timed(auth.me(me.accessToken)),
      await timed(providers.list()),
      await timed(providers.tokenStatus(provider.id)),
      await timed(providers.refresh(provider.id)),
      await timed(auth.login(me.email, me.password)),
      await timed(providers.authorize(provider.id)),
    ];
    for (const { ms } of answers) expect(ms).toBeLessThan(1_000);
    expect(answers.map(({ res }) => res.status)).toEqual([200, 200, 200, 200, 503, 503]);
    for (const { res } of answers.slice(4)) expectOutageProblem(res, 'SERVICE.UNAVAILABLE');
    expect(answers[3].res.body).toMatchObject({ status: 'active', refresh_count: 1 });

    await cache.start();
    await waitFor('sign-in to work again', async () => (await auth.login(me.email, me.password)).status === 200, {
      timeoutMs: 10_000,
      intervalMs: 200,
    });
    await providers.authorize(provider.id).expect(201);
  }, 60_000);

  it('Redis killed while the institution answers a refresh: the tokens are stored all the same, nothing waits on Redis', async () => {
    const provider = await linked('Redis killed during the answer');
    const family = await grantOf(provider.id);
    const started = Date.now();
    const { answer } = await refreshHeldByInstitution(provider.id);
    await cache.kill();
    const res = await answer;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'active', refresh_count: 1 });
    expect(Date.now() - started).toBeLessThan(INSTITUTION_LATENCY_MS + 1_000);
    expect(await grantTokens(family)).toEqual({ active: [await storedRefreshToken(provider.id)], revoked: 0 });

    await cache.start();
    await waitFor('sign-in to work again', async () => (await auth.login(me.email, me.password)).status === 200, {
      timeoutMs: 10_000,
      intervalMs: 200,
    });
  }, 60_000);

  it('Redis killed under concurrent requests: every answer within a second, 200 or 503 problem+json, never 500', async () => {
    const requests = Array.from({ length: 15 }, (_, i) => {
      if (i % 3 === 0) return timed(auth.me(me.accessToken));
      if (i % 3 === 1) return timed(providers.list());
      return timed(auth.login(uniqueEmail('fault'), newPassword()));
    });
    await cache.kill();
    const answers = [...(await Promise.all(requests)), await timed(auth.login(me.email, me.password))];
    for (const { res, ms } of answers) {
      expect(ms).toBeLessThan(1_000);
      expect([200, 401, 503]).toContain(res.status);
      if (res.status !== 200) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expectOutageProblem(answers[answers.length - 1].res, 'SERVICE.UNAVAILABLE');

    await cache.start();
    await waitFor('sign-in to work again', async () => (await auth.login(me.email, me.password)).status === 200, {
      timeoutMs: 10_000,
      intervalMs: 200,
    });
  }, 60_000);
});
