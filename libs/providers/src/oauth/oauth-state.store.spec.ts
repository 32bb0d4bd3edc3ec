import { MemoryOAuthStateBackend } from './oauth-state.backend';
import { OAUTH_STATE_TTL_MS, OAuthStateStore } from './oauth-state.store';

const NEW_STATE = {
  userId: '6f1c2d8e-0000-4000-8000-000000000001',
  providerId: '6f1c2d8e-0000-4000-8000-000000000002',
  providerKey: 'sandbox',
  redirectUri: 'https://127.0.0.1:8182/callback',
  codeVerifier: 'v'.repeat(64),
};

describe('OAuthStateStore (in-memory backend)', () => {
  let now: number;
  let store: OAuthStateStore;

  beforeEach(() => {
    now = Date.parse('2026-01-05T10:00:00Z');
    store = new OAuthStateStore(new MemoryOAuthStateBackend(), { now: () => new Date(now) });
  });

  it('creates a 256-bit base64url state bound to user, provider and verifier, expiring in 10 minutes', async () => {
    const { state, record } = await store.create(NEW_STATE);
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(state, 'base64url')).toHaveLength(32);
    expect(record).toEqual({
      ...NEW_STATE,
      createdAt: new Date(now),
      expiresAt: new Date(now + OAUTH_STATE_TTL_MS),
    });
    expect(OAUTH_STATE_TTL_MS).toBe(600_000);
  });

  it('gives the record to the first consumer only', async () => {
    const { state, record } = await store.create(NEW_STATE);
    await expect(store.consume(state)).resolves.toEqual(record);
    await expect(store.consume(state)).resolves.toBeNull();
  });

  it('refuses unknown, malformed and expired states', async () => {
    const { state } = await store.create(NEW_STATE);
    await expect(store.consume('A'.repeat(43))).resolves.toBeNull();
    await expect(store.consume('not a state')).resolves.toBeNull();
    await expect(store.consume(`${state}x`)).resolves.toBeNull();
    now += OAUTH_STATE_TTL_MS;
    await expect(store.consume(state)).resolves.toBeNull();
  });

  it('stores no verifier when the institution takes no PKCE', async () => {
    const { state } = await store.create({ ...NEW_STATE, codeVerifier: undefined });
    expect((await store.consume(state))?.codeVerifier).toBeNull();
  });
});

describe('MemoryOAuthStateBackend (development without Redis)', () => {
  afterEach(() => jest.useRealTimers());

  it('is single-use under concurrency and never overwrites, like SET NX and GETDEL', async () => {
    const backend = new MemoryOAuthStateBackend();
    const created = await Promise.all([backend.setIfAbsent('k', 'a', 60_000), backend.setIfAbsent('k', 'b', 60_000)]);
    expect(created).toEqual([true, false]);
    const taken = await Promise.all(Array.from({ length: 5 }, () => backend.take('k')));
    expect(taken).toEqual(['a', null, null, null, null]);
    expect(await backend.setIfAbsent('k', 'c', 60_000)).toBe(true);
  });

  it('drops a state once its TTL has passed', async () => {
    jest.useFakeTimers({ now: new Date('2026-01-05T10:00:00Z') });
    const backend = new MemoryOAuthStateBackend();
    await backend.setIfAbsent('k', 'v', 1_000);
    jest.advanceTimersByTime(1_001);
    expect(await backend.take('k')).toBeNull();
    expect(await backend.setIfAbsent('k', 'w', 1_000)).toBe(true);
  });
});
