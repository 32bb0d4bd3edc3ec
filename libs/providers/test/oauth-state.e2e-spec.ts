import Redis from 'ioredis';

import { getConfig } from '@dashtam/config';
import { redisKeys } from '@dashtam/platform';
import { OAUTH_STATE_TTL_MS, OAuthStateStore, RedisOAuthStateBackend } from '@dashtam/providers';
import { stateKey, waitFor } from '@dashtam/testing';

const NEW_STATE = {
  userId: '0b6f7c8e-1111-4000-8000-000000000001',
  providerId: '0b6f7c8e-1111-4000-8000-000000000002',
  providerKey: 'sandbox',
  redirectUri: 'https://127.0.0.1:8282/callback',
  codeVerifier: 'x'.repeat(64),
};

describe('OAuthStateStore on Redis (three clients, as three api instances)', () => {
  const clients: Redis[] = [];
  let stores: OAuthStateStore[];

  beforeAll(() => {
    for (let i = 0; i < 3; i += 1) clients.push(new Redis(getConfig().redis.url!));
    stores = clients.map((redis) => new OAuthStateStore(new RedisOAuthStateBackend(redis)));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit()));
  });

  it('of 30 concurrent consumes across instances exactly one gets the record', async () => {
    const { state, record } = await stores[0].create(NEW_STATE);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => stores[i % 3].consume(state)));
    const winners = results.filter((r) => r !== null);
    expect(winners).toEqual([record]);
  });

  it('many states consumed concurrently: each exactly once', async () => {
    const created = await Promise.all(Array.from({ length: 10 }, (_, i) => stores[i % 3].create(NEW_STATE)));
    const attempts = created.flatMap(({ state }) =>
      Array.from({ length: 5 }, (_, i) => ({ state, store: stores[i % 3] })),
    );
    const results = await Promise.all(
      attempts.map(({ state, store }) => store.consume(state).then((r) => ({ state, r }))),
    );
    for (const { state } of created) {
      expect(results.filter((x) => x.state === state && x.r !== null)).toHaveLength(1);
    }
  });

  it('expires with Redis: a state older than its TTL is refused', async () => {
    const shortLived = new OAuthStateStore(new RedisOAuthStateBackend(clients[1]), { ttlMs: 300 });
    const { state } = await shortLived.create(NEW_STATE);
    await waitFor('Redis to expire the state', async () => (await clients[2].exists(stateKey(state))) === 0, {
      timeoutMs: 2_000,
    });
    await expect(stores[2].consume(state)).resolves.toBeNull();
  });

  it('stores under a digest with a 10-minute TTL; neither key nor value contains the state', async () => {
    const { state } = await stores[0].create(NEW_STATE);
    const key = redisKeys.oauthState(state);
    expect(key).not.toContain(state);
    const value = await clients[0].get(key);
    expect(value).not.toBeNull();
    expect(value).not.toContain(state);
    const ttl = await clients[0].pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(OAUTH_STATE_TTL_MS);
    await stores[1].consume(state);
    expect(await clients[0].exists(key)).toBe(0);
  });

  it('refuses unknown and forged states without touching Redis state', async () => {
    const { state, record } = await stores[0].create(NEW_STATE);
    const forged = `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`;
    await expect(stores[1].consume(forged)).resolves.toBeNull();
    await expect(stores[1].consume('')).resolves.toBeNull();
    await expect(stores[2].consume(state)).resolves.toEqual(record);
  });
});
