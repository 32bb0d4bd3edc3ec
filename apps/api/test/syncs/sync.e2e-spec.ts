import { randomBytes, randomUUID } from 'node:crypto';

import {
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

import { auditTrail, connectionIdOf, linkSandbox, type StoredRows, storedRows } from '../support/sync-fixtures';

const HOUR_MS = 3_600_000;

/**
 * Syncs end to end on loopback: the Sandbox institution (Schwab's wire protocol, seeded data, faults),
 * the callback app over TLS, the api with its BullMQ queue on real Redis, and PostgreSQL. Every
 * provider links the same Sandbox user, so every full sync must store the same rows.
 */
describe('syncs: accounts, positions, balances and transactions from a linked institution', () => {
  let stack: LinkingStack;
  let owner: SignedInUser;
  let providers: ProvidersApi;
  let syncs: SyncsApi;
  /** What one complete sync of the Sandbox user stores (set by the first test). */
  let full: StoredRows;

  beforeAll(async () => {
    stack = await startLinkingStack({
      sync: { onLink: true },
      // Own BullMQ keys: nothing another suite left in Redis reaches this one.
      jobs: { queuePrefix: `dashtam-test-${randomBytes(6).toString('hex')}` },
    });
    owner = await createSignedInUser(stack.api);
    providers = new ProvidersApi(stack.api.url, owner.auth);
    syncs = new SyncsApi(stack.api.url, owner.auth);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const db = () => stack.api.dataSource;
  const rowsOf = async (providerId: string) => storedRows(db(), await connectionIdOf(db(), providerId));
  const providerBody = async (providerId: string) => (await providers.get(providerId).expect(200)).body as ProviderBody;
  const syncList = async (providerId: string) =>
    ((await syncs.list(providerId).expect(200)).body as Page<SyncBody>).items;

  /** A provider linked and its first (linked) sync finished. */
  async function linked(alias: string): Promise<{ provider: ProviderBody; first: SyncBody }> {
    const provider = await linkSandbox(stack, providers, alias);
    const [queued] = await syncList(provider.id);
    const first = await syncs.finished(provider.id, queued.id);
    return { provider: await providerBody(provider.id), first };
  }

  describe('the first sync, queued by linking', () => {
    let provider: ProviderBody;
    let first: SyncBody;

    beforeAll(async () => {
      provider = await linkSandbox(stack, providers, 'First sync');
    });

    it('is queued at once with trigger linked and writes what the institution holds', async () => {
      const list = (await syncs.list(provider.id).expect(200)).body as Page<SyncBody>;
      expect(list).toMatchObject({ total: 1, page: 1, pages: 1, has_next: false });
      expect(list.items[0].trigger).toBe('linked');
      first = await syncs.finished(provider.id, list.items[0].id);
      expect(first).toMatchObject({ status: 'succeeded', error: null });
      expect(new Date(first.started_at!).getTime()).toBeLessThanOrEqual(new Date(first.finished_at!).getTime());
      full = await rowsOf(provider.id);
      expect(first.accounts).toEqual({ created: full.accounts, updated: 0, unchanged: 0 });
      expect(first.positions).toEqual({ created: full.positions, updated: 0, unchanged: 0 });
      expect(first.transactions).toEqual({ created: full.transactions, updated: 0, unchanged: 0 });
      expect(full.accounts).toBeGreaterThan(0);
      expect(full.positions).toBeGreaterThan(0);
      expect(full.transactions).toBeGreaterThan(0);
      expect(full.snapshots).toBe(full.accounts);
      expect(full.distinctTransactions).toBe(full.transactions);
    });

    it('read two years in requests of at most one year each', async () => {
      // At least two transaction requests per account (more where a full page made the client narrow the range).
      expect((await stack.controls.counters()).transactions).toBeGreaterThanOrEqual(2 * full.accounts);
    });

    it('stores money and quantities as exact decimals and no full account number', async () => {
      const connectionId = await connectionIdOf(db(), provider.id);
      const accounts = (await db().query(
        `SELECT mask, provider_account_id AS "providerAccountId", current_balance::text AS balance
           FROM accounts WHERE connection_id = $1`,
        [connectionId],
      )) as Array<{ mask: string | null; providerAccountId: string; balance: string }>;
      for (const account of accounts) {
        // The last four digits at most, never the account number.
        expect(account.mask === null || /^[0-9]{1,4}$/.test(account.mask)).toBe(true);
        expect(account.balance).toMatch(/^-?\d+\.\d{4}$/);
      }
      const [{ snapshotsMatch }] = (await db().query(
        `SELECT bool_and(
                  b.balance IS NOT DISTINCT FROM a.current_balance
                  AND b.holdings_value = (SELECT COALESCE(sum(p.market_value), 0) FROM positions p
                                           WHERE p.account_id = a.id AND p.is_active)) AS "snapshotsMatch"
           FROM balance_snapshots b JOIN accounts a ON a.id = b.account_id WHERE a.connection_id = $1`,
        [connectionId],
      )) as [{ snapshotsMatch: boolean }];
      expect(snapshotsMatch).toBe(true);
    });

    it('makes the provider resource true: last and next sync, active accounts, no error; audits the sync', async () => {
      const body = await providerBody(provider.id);
      expect(body).toMatchObject({ status: 'active', accounts_count: full.activeAccounts, error_message: null });
      expect(body.last_sync_at).not.toBeNull();
      expect(new Date(body.next_sync_at!).getTime() - new Date(body.last_sync_at!).getTime()).toBe(HOUR_MS);
      const trail = await auditTrail(providers, provider.id);
      expect(trail.slice(-2)).toMatchObject([
        { action: 'sync_started', details: { sync_id: first.id, trigger: 'linked', resumed: false } },
        {
          action: 'sync_completed',
          details: {
            sync_id: first.id,
            accounts_count: full.activeAccounts,
            transactions_created: full.transactions,
          },
        },
      ]);
    });

    it('a second sync: 202 with the sync, then every count unchanged, reading only the overlap window', async () => {
      const before = await stack.controls.counters();
      const accepted = await syncs.request(provider.id).expect(202);
      const body = accepted.body as SyncBody;
      expect(Object.keys(body).sort()).toEqual(['created_at', 'id', 'status', 'trigger']);
      expect(body).toMatchObject({ trigger: 'manual', status: expect.stringMatching(/^(queued|running|succeeded)$/) });
      expect(accepted.headers.location).toBe(`/api/v1/providers/${provider.id}/syncs/${body.id}`);
      const second = await syncs.finished(provider.id, body.id);
      expect(second).toMatchObject({
        status: 'succeeded',
        accounts: { created: 0, updated: 0, unchanged: full.accounts },
        positions: { created: 0, updated: 0, unchanged: full.positions },
        transactions: { created: 0, updated: 0 },
      });
      expect(second.transactions.unchanged).toBeGreaterThan(0);
      expect((await stack.controls.counters()).transactions - before.transactions).toBe(full.accounts);
      const after = await rowsOf(provider.id);
      expect(after).toEqual({ ...full, snapshots: 2 * full.accounts, syncs: 2 });
      // Newest first.
      expect((await syncList(provider.id)).map((sync) => sync.id)).toEqual([second.id, first.id]);
    });
  });

  describe('one sync at a time per connection', () => {
    it('eight concurrent requests answer one sync, which runs once', async () => {
      const { provider } = await linked('Concurrent');
      const answers = await Promise.all(Array.from({ length: 8 }, () => syncs.request(provider.id)));
      expect(answers.map((res) => res.status)).toEqual(answers.map(() => 202));
      const ids = new Set(answers.map((res) => (res.body as SyncBody).id));
      expect(ids.size).toBe(1);
      const [id] = [...ids];
      expect(await syncs.finished(provider.id, id)).toMatchObject({ status: 'succeeded' });
      const started = (await auditTrail(providers, provider.id)).filter(
        (row) => row.action === 'sync_started' && row.details.sync_id === id,
      );
      expect(started).toHaveLength(1);
      expect(await rowsOf(provider.id)).toEqual({ ...full, snapshots: 2 * full.accounts, syncs: 2 });
    });
  });

  describe('Idempotency-Key', () => {
    it('a retry answers the same sync, also once it finished; the key with another request is 422', async () => {
      const { provider } = await linked('Keyed');
      const { provider: other } = await linked('Keyed other');
      const key = randomUUID();
      const first = (await syncs.request(provider.id, { 'idempotency-key': key }).expect(202)).body as SyncBody;
      // The draft's sf-string form names the same key.
      const retried = await syncs.request(provider.id, { 'idempotency-key': `"${key}"` }).expect(202);
      expect((retried.body as SyncBody).id).toBe(first.id);
      await syncs.finished(provider.id, first.id);
      const replayed = await syncs.request(provider.id, { 'idempotency-key': key }).expect(202);
      expect(replayed.body).toMatchObject({ id: first.id, status: 'succeeded', trigger: 'manual' });

      for (const reuse of [
        syncs.request(other.id, { 'idempotency-key': key }),
        syncs.request(provider.id, { 'idempotency-key': key }, { accounts_only: true }),
      ]) {
        const res = await reuse.expect(422);
        expect(res.body).toMatchObject({ status: 422, code: 'IDEMPOTENCY.KEY_REUSED' });
      }
      expect((await syncList(other.id)).map((sync) => sync.trigger)).toEqual(['linked']);
      expect((await syncList(provider.id)).map((sync) => sync.id)).toContain(first.id);
      expect(await syncList(provider.id)).toHaveLength(2);
    });

    it('a key is the user’s own: another user may use the same key', async () => {
      const { provider } = await linked('Mine');
      const key = randomUUID();
      await syncs.requested(provider.id, { 'idempotency-key': key });
      const stranger = await createSignedInUser(stack.api);
      const theirProviders = new ProvidersApi(stack.api.url, stranger.auth);
      const theirs = await linkSandbox(stack, theirProviders, 'Theirs');
      const theirSyncs = new SyncsApi(stack.api.url, stranger.auth);
      await theirSyncs.finished(theirs.id, ((await theirSyncs.list(theirs.id)).body as Page<SyncBody>).items[0].id);
      const res = await theirSyncs.request(theirs.id, { 'idempotency-key': key }).expect(202);
      expect((res.body as SyncBody).trigger).toBe('manual');
    });

    it('keys live 24 hours: an expired key names a new sync', async () => {
      const { provider } = await linked('Expiring key');
      const key = randomUUID();
      const first = await syncs.requested(provider.id, { 'idempotency-key': key });
      await syncs.finished(provider.id, first);
      const [{ ttl }] = (await db().query(
        `SELECT extract(epoch FROM idempotency_expires_at - created_at)::int AS ttl FROM syncs WHERE id = $1`,
        [first],
      )) as [{ ttl: number }];
      expect(ttl).toBe(24 * 3600);
      // A day passes.
      await db().query(`UPDATE syncs SET idempotency_expires_at = now() - interval '1 second' WHERE id = $1`, [first]);
      const second = await syncs.requested(provider.id, { 'idempotency-key': key });
      expect(second).not.toBe(first);
      await syncs.finished(provider.id, second);
      expect((await syncs.request(provider.id, { 'idempotency-key': key }).expect(202)).body).toMatchObject({
        id: second,
      });
    });

    it.each([
      ['empty', ''],
      ['too long', 'k'.repeat(256)],
      ['with a space', 'two words'],
      ['non-ASCII', 'clé-1'],
    ])('an Idempotency-Key %s is a 400 and queues nothing', async (_label, key) => {
      const { provider } = await linked(`Bad key ${_label}`);
      const res = await syncs.request(provider.id, { 'idempotency-key': key }).expect(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION.FAILED',
        errors: [expect.objectContaining({ field: 'Idempotency-Key' })],
      });
      expect(await syncList(provider.id)).toHaveLength(1);
    });
  });

  describe('who and what may sync', () => {
    it('a provider never linked, or disconnected: 409 PROVIDER.NOT_CONNECTED, nothing queued', async () => {
      const pending = await providers.created('Never linked');
      expect((await syncs.request(pending.id).expect(409)).body).toMatchObject({ code: 'PROVIDER.NOT_CONNECTED' });
      const { provider } = await linked('Disconnected');
      await providers.disconnect(provider.id).expect(204);
      expect((await syncs.request(provider.id).expect(409)).body).toMatchObject({ code: 'PROVIDER.NOT_CONNECTED' });
      expect(await syncList(pending.id)).toEqual([]);
      expect(await syncList(provider.id)).toHaveLength(1);
    });

    it('a connection that requires re-authorization: 409 PROVIDER.REAUTH_REQUIRED', async () => {
      const { provider } = await linked('Refused grant');
      await stack.controls.fault({ endpoint: 'token', mode: 'invalid_grant' });
      await providers.refresh(provider.id).expect(409);
      const res = await syncs.request(provider.id).expect(409);
      expect(res.body).toMatchObject({ code: 'PROVIDER.REAUTH_REQUIRED' });
      expect(await syncList(provider.id)).toHaveLength(1);
    });

    it("another user's provider and sync are 404, like unknown ones; ids must be UUIDs", async () => {
      const { provider, first } = await linked('Private');
      const stranger = new SyncsApi(stack.api.url, (await createSignedInUser(stack.api)).auth);
      for (const res of [
        await stranger.request(provider.id),
        await stranger.list(provider.id),
        await stranger.get(provider.id, first.id),
        await syncs.request(randomUUID()),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ code: 'PROVIDER.NOT_FOUND' });
      }
      const { provider: sibling } = await linked('Sibling');
      for (const res of [await syncs.get(provider.id, randomUUID()), await syncs.get(sibling.id, first.id)]) {
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ code: 'SYNC.NOT_FOUND' });
      }
      expect((await syncs.get(provider.id, 'not-a-uuid').expect(400)).body).toMatchObject({
        code: 'VALIDATION.FAILED',
      });
      expect(await syncList(provider.id)).toHaveLength(1);
    });

    it('the list pages like every page-based list', async () => {
      const { provider } = await linked('Paged');
      await syncs.run(provider.id);
      await syncs.run(provider.id);
      const page = (await syncs.list(provider.id, { page: 2, per_page: 2 }).expect(200)).body as Page<SyncBody>;
      expect(page).toMatchObject({ total: 3, page: 2, per_page: 2, pages: 2, has_next: false, has_prev: true });
      expect(page.items.map((sync) => sync.trigger)).toEqual(['linked']);
      await syncs.list(provider.id, { per_page: 101 }).expect(400);
    });
  });

  describe('institution failures', () => {
    it('a 5xx on transactions after the accounts were written: a failed sync with a readable error, then a resume without duplicates', async () => {
      await stack.controls.fault({ endpoint: 'transactions', mode: '5xx' });
      const provider = await linkSandbox(stack, providers, 'Fails mid-sync');
      const [queued] = await syncList(provider.id);
      const failed = await syncs.finished(provider.id, queued.id);
      expect(failed).toMatchObject({
        status: 'failed',
        error: 'The institution answered with a server error (HTTP 500)',
        accounts: { created: full.accounts, updated: 0, unchanged: 0 },
        transactions: { created: 0, updated: 0, unchanged: 0 },
      });
      const partial = await rowsOf(provider.id);
      expect(partial).toMatchObject({ accounts: full.accounts, positions: full.positions, transactions: 0 });
      const body = await providerBody(provider.id);
      expect(body).toMatchObject({
        status: 'active',
        error_message: 'The institution answered with a server error (HTTP 500)',
      });
      // Backed off: frequency × 2 after the first failure.
      expect(new Date(body.next_sync_at!).getTime() - Date.now()).toBeGreaterThan(2 * HOUR_MS - 60_000);
      expect((await auditTrail(providers, provider.id)).at(-1)).toMatchObject({
        action: 'sync_failed',
        details: { sync_id: failed.id, reason: 'institution_error', error_count: 1, connection_status: 'active' },
      });

      const resumed = await syncs.run(provider.id);
      expect(resumed).toMatchObject({
        status: 'succeeded',
        accounts: { created: 0, updated: 0, unchanged: full.accounts },
        transactions: { created: full.transactions, updated: 0, unchanged: 0 },
      });
      expect(await rowsOf(provider.id)).toEqual({ ...full, snapshots: 2 * full.accounts, syncs: 2 });
      expect(await providerBody(provider.id)).toMatchObject({ status: 'active', error_message: null });
    });

    /** How many calls one clean read of the accounts makes (account numbers, accounts, preferences…). */
    async function accountCallsPerSync(providerId: string): Promise<number> {
      const before = (await stack.controls.counters()).accounts;
      expect(await syncs.run(providerId)).toMatchObject({ status: 'succeeded' });
      return (await stack.controls.counters()).accounts - before;
    }

    it("respects the institution's 429 Retry-After: waits it out once, then carries on", async () => {
      const { provider } = await linked('Rate limited');
      const perRead = await accountCallsPerSync(provider.id);
      const before = (await stack.controls.counters()).accounts;
      await stack.controls.fault({ endpoint: 'accounts', mode: '429', ms: 2000 });
      const sync = await syncs.run(provider.id);
      expect(sync).toMatchObject({ status: 'succeeded', accounts: { unchanged: full.accounts } });
      expect(new Date(sync.finished_at!).getTime() - new Date(sync.started_at!).getTime()).toBeGreaterThanOrEqual(2000);
      // Refused once, read once more: no hammering.
      expect((await stack.controls.counters()).accounts - before).toBe(2 * perRead);
    });

    it('a Retry-After longer than a sync may wait fails the sync without asking again', async () => {
      const { provider } = await linked('Rate limited long');
      const perRead = await accountCallsPerSync(provider.id);
      const before = (await stack.controls.counters()).accounts;
      await stack.controls.fault({ endpoint: 'accounts', mode: '429', ms: 600_000 });
      const sync = await syncs.run(provider.id);
      expect(sync).toMatchObject({ status: 'failed', error: 'The institution asked Dashtam to slow down (HTTP 429)' });
      const calls = (await stack.controls.counters()).accounts - before;
      expect(calls).toBeGreaterThan(0);
      expect(calls).toBeLessThanOrEqual(perRead);
      const body = await providerBody(provider.id);
      expect(new Date(body.next_sync_at!).getTime() - Date.now()).toBeGreaterThan(600_000 - 60_000);
    });

    it('an institution that does not answer in time: a failed sync saying so', async () => {
      const { provider } = await linked('Silent');
      await stack.controls.fault({ endpoint: 'transactions', mode: 'timeout' });
      expect(await syncs.run(provider.id)).toMatchObject({
        status: 'failed',
        error: 'The institution did not answer in time',
      });
    });

    it('three failures in a row make the connection error (readable, backed off); a later success clears it', async () => {
      const { provider } = await linked('Keeps failing');
      await stack.controls.fault({ endpoint: 'transactions', mode: '5xx', count: 3 });
      for (let failure = 1; failure <= 3; failure += 1) {
        expect(await syncs.run(provider.id)).toMatchObject({ status: 'failed' });
        expect(await providerBody(provider.id)).toMatchObject({ status: failure < 3 ? 'active' : 'error' });
      }
      const failing = await providerBody(provider.id);
      expect(failing).toMatchObject({
        status: 'error',
        is_connected: true,
        error_message: 'The institution answered with a server error (HTTP 500)',
      });
      // frequency × 2^3
      const wait = new Date(failing.next_sync_at!).getTime() - Date.now();
      expect(wait).toBeGreaterThan(8 * HOUR_MS - 60_000);
      expect(wait).toBeLessThanOrEqual(8 * HOUR_MS);
      const failures = (await auditTrail(providers, provider.id)).filter((row) => row.action === 'sync_failed');
      expect(failures.map((row) => [row.details.error_count, row.details.connection_status])).toEqual([
        [1, 'active'],
        [2, 'active'],
        [3, 'error'],
      ]);

      expect(await syncs.run(provider.id)).toMatchObject({ status: 'succeeded' });
      const recovered = await providerBody(provider.id);
      expect(recovered).toMatchObject({ status: 'active', error_message: null, accounts_count: full.activeAccounts });
      expect(new Date(recovered.next_sync_at!).getTime() - new Date(recovered.last_sync_at!).getTime()).toBe(HOUR_MS);
    });
  });

  describe('transactions the institution no longer returns', () => {
    it('a pending transaction inside the window that is gone (it posted under a new id) is replaced; older rows stay', async () => {
      const { provider } = await linked('Pending posts');
      const connectionId = await connectionIdOf(db(), provider.id);
      const [account] = (await db().query(
        'SELECT id, user_id AS "userId" FROM accounts WHERE connection_id = $1 ORDER BY id LIMIT 1',
        [connectionId],
      )) as Array<{ id: string; userId: string }>;
      // What an earlier sync stored and the institution has since replaced.
      const insert = (id: string, status: string, daysAgo: number) =>
        db().query(
          `INSERT INTO transactions (account_id, user_id, provider_transaction_id, date, type, raw_type, status, amount)
           VALUES ($1, $2, $3, current_date - $4::int, 'buy', 'TRADE', $5, '-10')`,
          [account.id, account.userId, id, daysAgo, status],
        );
      await insert('pending-posted-since', 'pending', 1);
      await insert('posted-kept', 'posted', 1);
      await insert('pending-outside-window', 'pending', 60);

      expect(await syncs.run(provider.id)).toMatchObject({ status: 'succeeded' });
      const left = (await db().query(
        `SELECT provider_transaction_id AS id FROM transactions WHERE account_id = $1 AND provider_transaction_id = ANY($2)
          ORDER BY 1`,
        [account.id, ['pending-posted-since', 'posted-kept', 'pending-outside-window']],
      )) as Array<{ id: string }>;
      expect(left.map((row) => row.id)).toEqual(['pending-outside-window', 'posted-kept']);
      expect((await rowsOf(provider.id)).transactions).toBe(full.transactions + 2);
    });
  });

  describe('deleting the provider', () => {
    it('deletes its accounts, positions, balances, transactions and syncs in the same transaction; the audit trail stays', async () => {
      const { provider } = await linked('Deleted with data');
      const connectionId = await connectionIdOf(db(), provider.id);
      expect((await rowsOf(provider.id)).transactions).toBe(full.transactions);
      await providers.remove(provider.id).expect(204);
      expect(await storedRows(db(), connectionId)).toEqual({
        accounts: 0,
        activeAccounts: 0,
        positions: 0,
        snapshots: 0,
        transactions: 0,
        distinctTransactions: 0,
        syncs: 0,
      });
      const actions = (
        (await db().query('SELECT action FROM provider_audit_logs WHERE provider_id = $1 ORDER BY created_at', [
          provider.id,
        ])) as Array<{ action: string }>
      ).map((row) => row.action);
      expect(actions).toEqual(expect.arrayContaining(['sync_started', 'sync_completed', 'provider_deleted']));
      await syncs.list(provider.id).expect(404);
    });
  });

  describe('an access token the institution stops accepting mid-sync', () => {
    it('forces one refresh through the vault and carries on, missing nothing', async () => {
      const { provider } = await linked('Expires mid-sync');
      const refreshes = (await stack.controls.counters()).token_grants.refresh_token;
      // The accounts are read; the first transactions request finds the token expired.
      await stack.controls.fault({ endpoint: 'transactions', mode: 'expire_token' });
      const sync = await syncs.run(provider.id);
      expect(sync).toMatchObject({ status: 'succeeded', error: null, transactions: { created: 0, updated: 0 } });
      expect((await stack.controls.counters()).token_grants.refresh_token - refreshes).toBe(1);
      const refreshed = (await auditTrail(providers, provider.id)).filter((row) => row.action === 'token_refreshed');
      expect(refreshed.map((row) => row.request_id)).toEqual([`sync-${sync.id}`]);
      expect((await rowsOf(provider.id)).transactions).toBe(full.transactions);
    });
  });

  // From here on the Sandbox's clock and data move: these come last.
  describe('an account the institution no longer reports', () => {
    it('is kept, inactive, with its transactions; the provider counts only active accounts', async () => {
      const { provider } = await linked('Closes an account');
      const connectionId = await connectionIdOf(db(), provider.id);
      const accountsBefore = (await rowsOf(provider.id)).accounts;
      // Past the closed account's closing date (and past the access token's lifetime: one refresh).
      await stack.controls.advanceClock(2 * 86_400 + 60);
      const sync = await syncs.run(provider.id);
      expect(sync).toMatchObject({ status: 'succeeded', accounts: { created: 0 } });
      expect(sync.accounts.updated).toBeGreaterThanOrEqual(1);
      const accounts = (await db().query(
        `SELECT a.is_active AS "isActive", (SELECT count(*)::int FROM transactions t WHERE t.account_id = a.id) AS n
           FROM accounts a WHERE a.connection_id = $1`,
        [connectionId],
      )) as Array<{ isActive: boolean; n: number }>;
      expect(accounts).toHaveLength(accountsBefore);
      const closed = accounts.filter((account) => !account.isActive);
      expect(closed).toHaveLength(1);
      expect(closed[0].n).toBeGreaterThan(0);
      expect(await providerBody(provider.id)).toMatchObject({ accounts_count: accountsBefore - 1 });
    });
  });

  describe('a pending transaction that posts under a new id (raw Schwab objects as fixtures)', () => {
    const schwabTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
    const yesterday = schwabTime(Date.now() - 86_400_000);
    const anHourAgo = schwabTime(Date.now() - 3_600_000);
    const account = {
      securitiesAccount: {
        accountNumber: '55550001',
        type: 'CASH',
        currentBalances: { liquidationValue: 1350, cashBalance: 1350 },
        positions: [],
      },
    };
    const transfer = (activityId: number, status: 'VALID' | 'PENDING', time: string, amount: number) => ({
      activityId,
      time,
      tradeDate: time,
      settlementDate: time,
      accountNumber: '55550001',
      type: 'ACH_RECEIPT',
      status,
      description: 'ACH DEPOSIT',
      netAmount: amount,
      activityType: 'TRANSFER',
      transferItems: [{ instrument: { assetType: 'CURRENCY', symbol: 'CURRENCY_USD' }, amount, cost: amount }],
    });

    it('replaces the pending row: the transfer is listed once, posted', async () => {
      await stack.controls.fixtures({
        accounts: [account],
        transactions: {
          '55550001': [transfer(900001, 'VALID', yesterday, 100), transfer(900002, 'PENDING', yesterday, 250)],
        },
      });
      const { provider, first } = await linked('Posts under a new id');
      expect(first.transactions).toEqual({ created: 2, updated: 0, unchanged: 0 });
      const stored = async () =>
        (
          (await db().query(
            `SELECT t.provider_transaction_id AS id, t.status, t.amount::text AS amount FROM transactions t
               JOIN accounts a ON a.id = t.account_id WHERE a.connection_id = $1 ORDER BY 1`,
            [await connectionIdOf(db(), provider.id)],
          )) as Array<{ id: string; status: string; amount: string }>
        ).map((row) => `${row.id} ${row.status} ${row.amount}`);
      expect(await stored()).toEqual(['900001 posted 100.0000', '900002 pending 250.0000']);

      // The institution now reports the deposit posted, under a new activity id.
      await stack.controls.fixtures({
        accounts: [account],
        transactions: {
          '55550001': [transfer(900001, 'VALID', yesterday, 100), transfer(900003, 'VALID', anHourAgo, 250)],
        },
      });
      const second = await syncs.run(provider.id);
      expect(second.transactions).toEqual({ created: 1, updated: 0, unchanged: 1 });
      expect(await stored()).toEqual(['900001 posted 100.0000', '900003 posted 250.0000']);
      // And again: nothing moves.
      expect((await syncs.run(provider.id)).transactions).toEqual({ created: 0, updated: 0, unchanged: 2 });
    });
  });
});
