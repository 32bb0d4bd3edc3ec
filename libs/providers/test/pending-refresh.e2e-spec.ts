import Redis from 'ioredis';

import { getConfig } from '@dashtam/config';
import { redisKeys } from '@dashtam/platform';
import { ProviderConnectionsRepository, RefreshPendingError } from '@dashtam/providers';
import { failureOf, startTcpRelay, type TcpRelay, waitFor } from '@dashtam/testing';

import { ProvidersTestKit } from './support/providers-test-kit';

/**
 * A strict institution (rotation with reuse detection, no grace: the Sandbox's default) answers a
 * refresh while the database is unreachable. The rotated refresh token must not be lost: the result
 * waits (sealed) in Redis and in the process, is stored when the database returns, and the next
 * refresh, on any instance, stores a waiting result instead of calling the institution with the
 * refresh token it replaced. Instance 0 reaches PostgreSQL and Redis through relays the test cuts.
 */
describe('a refresh answered while the database is unreachable: nothing lost (PostgreSQL + Redis + Sandbox)', () => {
  let kit: ProvidersTestKit;
  let pg: TcpRelay;
  let cache: TcpRelay;
  let redis: Redis;

  beforeAll(async () => {
    const config = getConfig();
    pg = await startTcpRelay(new URL(config.database.url));
    cache = await startTcpRelay(new URL(config.redis.url!));
    redis = new Redis(config.redis.url!);
    kit = await ProvidersTestKit.start({
      instances: 2,
      httpTimeoutMs: 5000,
      urls: (i) => (i === 1 ? { database: pg.url, redis: cache.url } : {}),
    });
  });
  afterEach(() => {
    pg.restore();
    cache.restore();
  });
  afterAll(async () => {
    await kit.stop();
    await pg.close();
    await cache.close();
    redis.disconnect();
  });
  beforeEach(() => kit.controls.reset());

  const refresher = (i: number) => kit.instances[i].refresher;
  const refreshCalls = async () => (await kit.controls.counters()).token_grants.refresh_token;
  const slotKey = (connectionId: string, version: number) => redisKeys.pendingTokens(connectionId, version);
  const activeRefreshToken = async () => {
    const active = (await kit.controls.issuedTokens()).filter(
      (t) => t.kind === 'refresh_token' && t.status === 'active',
    );
    expect(active).toHaveLength(1);
    return active[0].value;
  };

  /** Instance 1 refreshes; the relays named are cut while the institution holds the answer. */
  async function refreshDuringOutage(connectionId: string, cut: TcpRelay[]): Promise<unknown> {
    await kit.controls.fault({ endpoint: 'token', mode: 'latency', ms: 800 });
    const refreshing = failureOf(refresher(1).refreshNow(connectionId));
    await waitFor('the refresh to reach the institution', async () => (await refreshCalls()) === 1, {
      intervalMs: 20,
    });
    for (const relay of cut) relay.cut();
    return refreshing;
  }

  it('the result waits sealed in Redis and is stored by the retries when the database returns; the next refresh works', async () => {
    const { connectionId, tokens } = await kit.linkedConnection();

    const failure = await refreshDuringOutage(connectionId, [pg]);
    expect(failure).toBeInstanceOf(RefreshPendingError);
    expect(failure).toMatchObject({ code: 'PROVIDER.REFRESH_PENDING', retryAfterMs: 5000 });
    // The institution rotated: the stored refresh token is rotated out, the new one only in the slot.
    const rotated = await activeRefreshToken();
    expect(await kit.decryptedRefreshToken(connectionId)).toBe(tokens.refreshToken);
    const slot = await redis.get(slotKey(connectionId, 1));
    expect(slot).not.toBeNull();
    expect(slot).not.toContain(rotated);
    expect(slot).not.toContain(tokens.refreshToken);
    const sealed = JSON.parse(slot!) as { refreshTokenEncrypted: string };
    expect(kit.cipher.decrypt(sealed.refreshTokenEncrypted, { aad: connectionId })).toBe(rotated);

    pg.restore();
    await waitFor('the kept result to be stored', async () => (await kit.tokenRow(connectionId)).version === 2, {
      timeoutMs: 10_000,
    });
    expect(await kit.decryptedRefreshToken(connectionId)).toBe(rotated);
    expect(await kit.connectionStatus(connectionId)).toEqual({ status: 'active', error_message: null });
    const refreshed = (await kit.auditRows(connectionId)).filter((a) => a.action === 'token_refreshed');
    expect(refreshed).toEqual([
      expect.objectContaining({
        details: expect.objectContaining({ refresh_count: 1, rotated: true, deferred: true }),
      }),
    ]);
    await waitFor('the slot to be released', async () => (await redis.exists(slotKey(connectionId, 1))) === 0);

    await expect(refresher(1).refreshNow(connectionId)).resolves.toMatchObject({ status: 'active', refreshCount: 2 });
    expect(await refreshCalls()).toBe(2);
    expect((await kit.controls.issuedTokens()).filter((t) => t.status === 'revoked')).toEqual([]);
    expect(await kit.decryptedRefreshToken(connectionId)).toBe(await activeRefreshToken());
  });

  it('another instance stores the waiting result before it would call the institution', async () => {
    const { connectionId } = await kit.linkedConnection();
    expect(await refreshDuringOutage(connectionId, [pg])).toBeInstanceOf(RefreshPendingError);
    const rotated = await activeRefreshToken();
    const [issuedAccess] = (await kit.controls.issuedTokens())
      .filter((t) => t.kind === 'access_token' && t.status === 'active')
      .slice(-1);
    // Instance 1 dies before the database returns: only the slot is left.
    await kit.instances[1].pending.beforeApplicationShutdown();
    pg.restore();
    await kit.expireAccessToken(connectionId);

    const token = await refresher(0).getValidAccessToken(connectionId);
    expect(token.accessToken).toBe(issuedAccess.value);
    expect(await refreshCalls()).toBe(1);
    expect(await kit.decryptedRefreshToken(connectionId)).toBe(rotated);
    expect(await redis.exists(slotKey(connectionId, 1))).toBe(0);

    await expect(refresher(0).refreshNow(connectionId)).resolves.toMatchObject({ refreshCount: 2 });
    expect(await refreshCalls()).toBe(2);
    expect((await kit.controls.issuedTokens()).filter((t) => t.status === 'revoked')).toEqual([]);
  });

  it('Redis unreachable too: the process keeps the result and retries the write with backoff', async () => {
    const { connectionId } = await kit.linkedConnection();
    expect(await refreshDuringOutage(connectionId, [pg, cache])).toBeInstanceOf(RefreshPendingError);
    const rotated = await activeRefreshToken();
    expect(await redis.exists(slotKey(connectionId, 1))).toBe(0);
    expect(kit.instances[1].pending.hasKept(connectionId)).toBe(true);

    pg.restore();
    await waitFor('the kept result to be stored', async () => (await kit.tokenRow(connectionId)).version === 2, {
      timeoutMs: 10_000,
    });
    expect(await kit.decryptedRefreshToken(connectionId)).toBe(rotated);
    await waitFor('the result to be settled', async () => !kit.instances[1].pending.hasKept(connectionId));
    await expect(refresher(0).refreshNow(connectionId)).resolves.toMatchObject({ refreshCount: 2 });
    expect((await kit.controls.issuedTokens()).filter((t) => t.status === 'revoked')).toEqual([]);
  });

  it('a normal refresh leaves no slot behind', async () => {
    const { connectionId } = await kit.linkedConnection();
    await refresher(1).refreshNow(connectionId);
    expect(await redis.exists(slotKey(connectionId, 1))).toBe(0);
    expect(await redis.keys(`${redisKeys.pendingTokens(connectionId, 0).slice(0, -1)}*`)).toEqual([]);
  });

  it('a slot left by an earlier life of the row (disconnected and linked again) is never written', async () => {
    const { connectionId } = await kit.linkedConnection();
    expect(await refreshDuringOutage(connectionId, [pg])).toBeInstanceOf(RefreshPendingError);
    await kit.instances[1].pending.beforeApplicationShutdown();
    pg.restore();
    expect(await redis.exists(slotKey(connectionId, 1))).toBe(1);

    // Disconnected and linked again: a new grant, and a token row at version 1 once more.
    const connections = new ProviderConnectionsRepository(kit.db);
    await kit.db.transaction((manager) => connections.disconnect(manager, connectionId));
    const relinked = await kit.exchange();
    await kit.instances[0].vault.storeAuthorizedTokens({ connectionId, tokens: relinked });
    expect((await kit.tokenRow(connectionId)).version).toBe(1);

    await expect(refresher(0).refreshNow(connectionId)).resolves.toMatchObject({ refreshCount: 1 });
    expect(await refreshCalls()).toBe(2);
    expect(await redis.exists(slotKey(connectionId, 1))).toBe(0);
    expect((await kit.auditRows(connectionId)).filter((a) => a.details.deferred === true)).toEqual([]);
    expect(await kit.decryptedRefreshToken(connectionId)).not.toBe(relinked.refreshToken);
  });
});
