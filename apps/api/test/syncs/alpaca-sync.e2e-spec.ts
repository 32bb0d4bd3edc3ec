import { randomBytes } from 'node:crypto';

import { TokenCipherService } from '@dashtam/crypto';
import {
  type AlpacaKeyPair,
  createSignedInUser,
  type LinkingStack,
  type Page,
  type ProviderBody,
  ProvidersApi,
  type SignedInUser,
  startLinkingStack,
  type SyncBody,
  SyncsApi,
} from '@dashtam/testing';

import { auditTrail, connectionIdOf, storedRows } from '../support/sync-fixtures';

// Longer than the Sandbox's two years of activities: the first sync reads all of them.
const HISTORY_DAYS = 800;

/**
 * Alpaca through the same sync engine, against the Sandbox's Trading API: the one account a key pair
 * reaches, its positions and every activity, read again without change, and Alpaca's 429 handled like
 * any institution's (a short Retry-After waited out, a long one failing the sync as transient).
 */
describe('syncs over Alpaca', () => {
  let stack: LinkingStack;
  let owner: SignedInUser;
  let providers: ProvidersApi;
  let syncs: SyncsApi;

  beforeAll(async () => {
    stack = await startLinkingStack({
      sync: { onLink: true, historyDays: HISTORY_DAYS },
      jobs: { queuePrefix: `dashtam-test-${randomBytes(6).toString('hex')}` },
    });
    owner = await createSignedInUser(stack.api);
    providers = new ProvidersApi(stack.api.url, owner.auth);
    syncs = new SyncsApi(stack.api.url, owner.auth);
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(() => stack.controls.reset());

  const db = () => stack.api.dataSource;
  const rowsOf = async (providerId: string) => storedRows(db(), await connectionIdOf(db(), providerId));
  const syncList = async (providerId: string) =>
    ((await syncs.list(providerId).expect(200)).body as Page<SyncBody>).items;

  /** Reads the Sandbox's Alpaca API directly, as Alpaca's own documentation describes it. */
  async function wire<T>(keys: AlpacaKeyPair, path: string): Promise<T> {
    const res = await fetch(`${stack.sandbox.url}${path}`, {
      headers: { 'APCA-API-KEY-ID': keys.api_key_id, 'APCA-API-SECRET-KEY': keys.api_secret },
    });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    return (await res.json()) as T;
  }

  /** Every activity id of the key's account, through Alpaca's paging. */
  async function activityIds(keys: AlpacaKeyPair): Promise<string[]> {
    const ids: string[] = [];
    for (let token = ''; ;) {
      const page = await wire<Array<{ id: string }>>(
        keys,
        `/v2/account/activities?page_size=100${token && `&page_token=${token}`}`,
      );
      ids.push(...page.map((activity) => activity.id));
      if (page.length < 100) return ids;
      token = page[page.length - 1].id;
    }
  }

  async function linkAlpaca(alias: string): Promise<{ provider: ProviderBody; keys: AlpacaKeyPair; first: SyncBody }> {
    const provider = await providers.created(alias, 'alpaca');
    const keys = await stack.controls.alpacaKeys();
    await providers
      .linkCredentials(provider.id, {
        api_key_id: keys.api_key_id,
        api_secret: keys.api_secret,
        environment: keys.environment,
      })
      .expect(200);
    const [queued] = await syncList(provider.id);
    expect(queued.trigger).toBe('linked');
    return { provider, keys, first: await syncs.finished(provider.id, queued.id) };
  }

  it('the linking sync stores the account, its positions and every activity; a re-sync changes nothing', async () => {
    const { provider, keys, first } = await linkAlpaca('Trading');
    expect(first).toMatchObject({ status: 'succeeded', error: null, warnings: [] });

    const account = await wire<{ id: string; equity: string; buying_power: string; account_number: string }>(
      keys,
      '/v2/account',
    );
    const positions = await wire<Array<{ asset_id: string; qty: string }>>(keys, '/v2/positions');
    const ids = await activityIds(keys);
    expect(ids.length).toBeGreaterThan(200);
    expect(first.accounts).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(first.positions).toEqual({ created: positions.length, updated: 0, unchanged: 0 });
    expect(first.transactions).toEqual({ created: ids.length, updated: 0, unchanged: 0 });

    const connectionId = await connectionIdOf(db(), provider.id);
    const [stored] = (await db().query(
      `SELECT provider_account_id, mask, current_balance::text, available_balance::text, provider_metadata::text
         FROM accounts WHERE connection_id = $1`,
      [connectionId],
    )) as Array<Record<string, string>>;
    const digits = account.account_number.replace(/\D/g, '').slice(-4);
    expect(stored).toMatchObject({ provider_account_id: account.id, mask: digits === '' ? null : digits });
    expect(Number(stored.current_balance)).toBeCloseTo(Number(account.equity), 4);
    expect(Number(stored.available_balance)).toBeCloseTo(Number(account.buying_power), 4);
    expect(JSON.stringify(stored)).not.toContain(account.account_number);
    const storedIds = (await db().query(
      `SELECT t.provider_transaction_id AS id FROM transactions t JOIN accounts a ON a.id = t.account_id
        WHERE a.connection_id = $1`,
      [connectionId],
    )) as Array<{ id: string }>;
    expect(storedIds.map((row) => row.id).sort()).toEqual([...ids].sort());
    const storedPositions = (await db().query(
      `SELECT p.provider_position_id AS id, p.quantity::text AS quantity FROM positions p
         JOIN accounts a ON a.id = p.account_id WHERE a.connection_id = $1`,
      [connectionId],
    )) as Array<{ id: string; quantity: string }>;
    expect(storedPositions.map((p) => p.id).sort()).toEqual(positions.map((p) => p.asset_id).sort());

    const before = await rowsOf(provider.id);
    const again = await syncs.run(provider.id);
    expect(again).toMatchObject({
      status: 'succeeded',
      accounts: { created: 0, updated: 0, unchanged: 1 },
      positions: { created: 0, updated: 0, unchanged: positions.length },
      transactions: { created: 0, updated: 0 },
    });
    // Only the overlap is read again, and it is all unchanged.
    expect(again.transactions.unchanged).toBeLessThan(ids.length);
    expect(await rowsOf(provider.id)).toEqual({ ...before, snapshots: before.snapshots + 1, syncs: before.syncs + 1 });
    expect((await providers.get(provider.id).expect(200)).body).toMatchObject({ status: 'active', accounts_count: 1 });
  });

  it("respects Alpaca's 429 Retry-After: waits it out once, then carries on", async () => {
    const { provider } = await linkAlpaca('Rate limited');
    const before = (await stack.controls.counters()).alpaca_activities;
    await stack.controls.fault({ endpoint: 'alpaca_activities', mode: '429', ms: 2000 });
    const sync = await syncs.run(provider.id);
    expect(sync).toMatchObject({ status: 'succeeded', accounts: { unchanged: 1 } });
    expect(new Date(sync.finished_at!).getTime() - new Date(sync.started_at!).getTime()).toBeGreaterThanOrEqual(2000);
    // A short overlap window is one page: refused once, read once more.
    expect((await stack.controls.counters()).alpaca_activities - before).toBe(2);
  });

  it('a Retry-After longer than a sync may wait fails the sync as rate limited, without asking again', async () => {
    const { provider } = await linkAlpaca('Rate limited long');
    const before = (await stack.controls.counters()).alpaca_activities;
    await stack.controls.fault({ endpoint: 'alpaca_activities', mode: '429', ms: 600_000 });
    const sync = await syncs.run(provider.id);
    expect(sync).toMatchObject({ status: 'failed', error: 'The institution asked Dashtam to slow down (HTTP 429)' });
    expect((await stack.controls.counters()).alpaca_activities - before).toBe(1);
    const body = (await providers.get(provider.id).expect(200)).body as ProviderBody;
    // Transient: the connection stays usable and the next sync waits for the Retry-After.
    expect(body.status).toBe('active');
    expect(new Date(body.next_sync_at!).getTime() - Date.now()).toBeGreaterThan(600_000 - 60_000);
    expect((await syncs.run(provider.id)).status).toBe('succeeded');
  });

  it('a stored credential that decrypts but is no key pair ends like unreadable tokens: error, audited, no call', async () => {
    const { provider } = await linkAlpaca('Unreadable keys');
    const connectionId = await connectionIdOf(db(), provider.id);
    // Sealed properly (the cipher authenticates it) but not the JSON the client wrote.
    const sealed = stack.api.app.get(TokenCipherService).encrypt('{"broken":', { aad: connectionId });
    await db().query('UPDATE provider_tokens SET access_token_encrypted = $2 WHERE connection_id = $1', [
      connectionId,
      sealed,
    ]);
    const before = await stack.controls.counters();

    const sync = await syncs.run(provider.id);
    expect(sync).toMatchObject({
      status: 'failed',
      error: 'The stored authorization cannot be read; link the provider again',
    });
    const body = (await providers.get(provider.id).expect(200)).body as ProviderBody;
    expect(body).toMatchObject({
      status: 'error',
      error_message: 'The stored authorization cannot be read; link the provider again',
    });
    const trail = await auditTrail(providers, provider.id);
    const unreadable = trail.filter((entry) => entry.action === 'connection_error');
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0].details).toMatchObject({ reason: 'tokens_unreadable', failure: 'credential_unreadable' });
    expect(trail.filter((entry) => entry.action === 'sync_failed').map((entry) => entry.details)).toEqual([
      expect.objectContaining({ reason: 'tokens_unreadable' }),
    ]);
    const after = await stack.controls.counters();
    expect(after.alpaca_account + after.alpaca_positions + after.alpaca_activities).toBe(
      before.alpaca_account + before.alpaca_positions + before.alpaca_activities,
    );
  });
  it('keys deleted at Alpaca make the connection requires_reauth: audited once, never retried by the schedule', async () => {
    const { provider } = await linkAlpaca('Keys deleted');
    // The Sandbox forgets every key pair it issued, as Alpaca does when a person deletes the key.
    await stack.controls.reset();
    const sync = await syncs.run(provider.id);
    expect(sync).toMatchObject({
      status: 'failed',
      error: 'The institution no longer accepts this authorization; link the provider again',
    });
    const body = (await providers.get(provider.id).expect(200)).body as ProviderBody;
    expect(body).toMatchObject({ status: 'requires_reauth', needs_reconnection: true });
    const trail = await auditTrail(providers, provider.id);
    expect(trail.filter((entry) => entry.action === 'token_refresh_failed').map((entry) => entry.details)).toEqual([
      expect.objectContaining({ reason: 'credential_refused', http_status: 401, status: 'requires_reauth' }),
    ]);
    // Not a failure of the connection's streak, and nothing is retried: a manual sync is refused without a call.
    const before = await stack.controls.counters();
    expect((await syncs.request(provider.id).expect(409)).body.code).toBe('PROVIDER.REAUTH_REQUIRED');
    expect((await stack.controls.counters()).alpaca_account).toBe(before.alpaca_account);
    const [connection] = (await db().query('SELECT error_count FROM provider_connections WHERE provider_id = $1', [
      provider.id,
    ])) as Array<{ error_count: number }>;
    expect(connection.error_count).toBe(0);

    // New keys link it again, and it syncs.
    const keys = await stack.controls.alpacaKeys();
    await providers
      .linkCredentials(provider.id, { api_key_id: keys.api_key_id, api_secret: keys.api_secret, environment: 'paper' })
      .expect(200);
    expect((await providers.get(provider.id).expect(200)).body).toMatchObject({ status: 'active' });
    expect((await syncs.run(provider.id)).status).toBe('succeeded');
  });
});
