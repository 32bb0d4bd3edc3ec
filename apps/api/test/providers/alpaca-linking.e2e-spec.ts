import { TokenCipherService } from '@dashtam/crypto';
import { readAlpacaSecret } from '@dashtam/providers';
import {
  type AlpacaKeyPair,
  createSignedInUser,
  type LinkingStack,
  type ProviderBody,
  ProvidersApi,
  type SignedInUser,
  startLinkingStack,
} from '@dashtam/testing';

import { auditTrail, connectionIdOf } from '../support/sync-fixtures';

/**
 * `POST /providers/{id}/credentials` with Alpaca API keys against the Sandbox's Trading API: the keys
 * are proven with one `GET /v2/account`, stored only sealed, refused keys are a 400 with nothing stored,
 * and an outage while linking is never mistaken for bad keys.
 */
describe('linking with credentials: Alpaca API keys', () => {
  let stack: LinkingStack;
  let owner: SignedInUser;
  let providers: ProvidersApi;

  beforeAll(async () => {
    stack = await startLinkingStack();
    owner = await createSignedInUser(stack.api);
    providers = new ProvidersApi(stack.api.url, owner.auth);
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(() => stack.controls.reset());

  const db = () => stack.api.dataSource;
  const alpaca = (alias: string) => providers.created(alias, 'alpaca');
  const fieldsOf = (keys: AlpacaKeyPair) => ({
    api_key_id: keys.api_key_id,
    api_secret: keys.api_secret,
    environment: keys.environment,
  });
  const tokenRows = async (providerId: string) =>
    (await db().query(
      `SELECT access_token_encrypted, refresh_token_encrypted, expires_at, token_type
         FROM provider_tokens WHERE connection_id = $1`,
      [await connectionIdOf(db(), providerId)],
    )) as Array<{
      access_token_encrypted: string;
      refresh_token_encrypted: string | null;
      expires_at: Date | null;
      token_type: string;
    }>;

  /** The tables (of the public schema) in which some row's text holds `value`. */
  async function tablesHolding(value: string): Promise<string[]> {
    const tables = (await db().query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    )) as Array<{ table_name: string }>;
    const holding: string[] = [];
    for (const { table_name: table } of tables) {
      const [row] = (await db().query(`SELECT count(*)::int AS n FROM "${table}" t WHERE strpos(t::text, $1) > 0`, [
        value,
      ])) as [{ n: number }];
      if (row.n > 0) holding.push(table);
    }
    return holding;
  }

  it('proves issued keys with one call, stores them only sealed and answers the active provider', async () => {
    const provider = await alpaca('My Alpaca');
    const keys = await stack.controls.alpacaKeys('paper');
    const res = await providers.linkCredentials(provider.id, fieldsOf(keys)).expect(200);
    expect(res.body as ProviderBody).toMatchObject({
      id: provider.id,
      provider_key: 'alpaca',
      status: 'active',
      is_connected: true,
    });
    expect(JSON.stringify(res.body)).not.toContain(keys.api_key_id);
    expect(JSON.stringify(res.body)).not.toContain(keys.api_secret);
    expect(await stack.controls.counters()).toMatchObject({
      alpaca_account: 1,
      alpaca_positions: 0,
      alpaca_activities: 0,
    });

    const [row] = await tokenRows(provider.id);
    expect(row).toMatchObject({ refresh_token_encrypted: null, expires_at: null, token_type: 'credential' });
    // Sealed: neither key appears in any table, in any column.
    expect(await tablesHolding(keys.api_key_id)).toEqual([]);
    expect(await tablesHolding(keys.api_secret)).toEqual([]);

    expect((await auditTrail(providers, provider.id)).map((entry) => entry.action)).toEqual([
      'provider_created',
      'token_created',
    ]);
    expect((await providers.tokenStatus(provider.id).expect(200)).body).toMatchObject({
      status: 'active',
      expires_at: null,
      has_refresh_token: false,
      refresh_token_expires_at: null,
    });
    // Nothing to refresh: the keys are used as they are.
    expect((await providers.refresh(provider.id).expect(409)).body.code).toBe('PROVIDER.AUTH_TYPE_MISMATCH');
    expect((await providers.authorize(provider.id).expect(409)).body.code).toBe('PROVIDER.AUTH_TYPE_MISMATCH');

    // Disconnecting deletes the stored keys.
    await providers.disconnect(provider.id).expect(204);
    expect(await tokenRows(provider.id)).toEqual([]);
    expect((await providers.get(provider.id).expect(200)).body.status).toBe('disconnected');
  });

  it('links live keys the same way', async () => {
    const provider = await alpaca('Live');
    const keys = await stack.controls.alpacaKeys('live');
    await providers.linkCredentials(provider.id, fieldsOf(keys)).expect(200);
    expect(await tokenRows(provider.id)).toHaveLength(1);
  });

  it.each([
    ['the wrong secret', (k: AlpacaKeyPair) => ({ ...fieldsOf(k), api_secret: `${k.api_secret}x` })],
    ['a key id never issued', (k: AlpacaKeyPair) => ({ ...fieldsOf(k), api_key_id: 'PKNOTISSUED000000000' })],
  ])('%s: 400 PROVIDER.CREDENTIALS_INVALID, nothing stored, no key in the answer', async (_name, tamper) => {
    const provider = await alpaca(`Refused: ${_name}`);
    const keys = await stack.controls.alpacaKeys();
    const res = await providers.linkCredentials(provider.id, tamper(keys)).expect(400);
    expect(res.body).toMatchObject({ code: 'PROVIDER.CREDENTIALS_INVALID', status: 400 });
    for (const value of [keys.api_key_id, keys.api_secret]) expect(JSON.stringify(res.body)).not.toContain(value);
    expect((await stack.controls.counters()).alpaca_account).toBe(1);
    expect(await tokenRows(provider.id)).toEqual([]);
    expect((await providers.get(provider.id).expect(200)).body.status).toBe('pending');
    expect((await auditTrail(providers, provider.id)).map((entry) => entry.action)).toEqual(['provider_created']);
  });

  it('malformed keys are refused the same way without a call', async () => {
    const provider = await alpaca('Malformed');
    const res = await providers
      .linkCredentials(provider.id, { api_key_id: 'PK WITH SPACES', api_secret: 'secret', environment: 'paper' })
      .expect(400);
    expect(res.body.code).toBe('PROVIDER.CREDENTIALS_INVALID');
    expect((await stack.controls.counters()).alpaca_account).toBe(0);
    expect(await tokenRows(provider.id)).toEqual([]);
  });

  it.each([
    ['a header injection in the secret', { api_secret: 'secret\r\nX-Injected: 1' }],
    ['a NUL in the key id', { api_key_id: 'PK\u0000ID' }],
    ['a lone surrogate in the secret', { api_secret: 'x\ud800y' }],
    ['a key id longer than any key', { api_key_id: 'K'.repeat(200) }],
    ['a secret past the field limit', { api_secret: 's'.repeat(257) }],
  ])('hostile values (%s): a 400, never sent, nothing stored', async (_name, override) => {
    const provider = await alpaca(`Hostile: ${_name}`);
    const res = await providers
      .linkCredentials(provider.id, { api_key_id: 'PKVALID', api_secret: 'secret', environment: 'paper', ...override })
      .expect(400);
    expect(['VALIDATION.FAILED', 'PROVIDER.CREDENTIALS_INVALID']).toContain(res.body.code);
    expect((await stack.controls.counters()).alpaca_account).toBe(0);
    expect(await tokenRows(provider.id)).toEqual([]);
  });

  it.each([
    ['a missing secret', { api_key_id: 'PK1', environment: 'paper' }, ['api_secret']],
    ['a missing environment', { api_key_id: 'PK1', api_secret: 's' }, ['environment']],
    ['no fields at all', {}, ['api_key_id', 'api_secret', 'environment']],
    [
      "another auth type's field",
      { api_key_id: 'PK1', api_secret: 's', environment: 'paper', setup_token: 'x' },
      ['setup_token'],
    ],
    ['an environment other than paper|live', { api_key_id: 'PK1', api_secret: 's', environment: 'sandbox' }, null],
    ['a number for a key', { api_key_id: 42, api_secret: 's', environment: 'paper' }, null],
    ['an unknown field', { api_key_id: 'PK1', api_secret: 's', environment: 'paper', extra: 1 }, null],
  ])('%s: 400 VALIDATION.FAILED and no call', async (_name, body, fields) => {
    const provider = await alpaca(`Fields: ${_name}`);
    const res = await providers.linkCredentials(provider.id, body).expect(400);
    expect(res.body.code).toBe('VALIDATION.FAILED');
    if (fields) expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(fields);
    expect((await stack.controls.counters()).alpaca_account).toBe(0);
    expect(await tokenRows(provider.id)).toEqual([]);
  });

  it.each([
    ['5xx', undefined],
    ['429', 3000],
  ] as const)(
    'Alpaca answering %s while linking: 502 PROVIDER.UNAVAILABLE, nothing stored, link again later',
    async (mode, ms) => {
      const provider = await alpaca(`Outage ${mode}`);
      const keys = await stack.controls.alpacaKeys();
      await stack.controls.fault({ endpoint: 'alpaca_account', mode, ms });
      const res = await providers.linkCredentials(provider.id, fieldsOf(keys)).expect(502);
      expect(res.body.code).toBe('PROVIDER.UNAVAILABLE');
      if (ms !== undefined) expect(res.headers['retry-after']).toBe(String(ms / 1000));
      expect(JSON.stringify(res.body)).not.toContain(keys.api_secret);
      expect(await tokenRows(provider.id)).toEqual([]);
      expect((await providers.get(provider.id).expect(200)).body.status).toBe('pending');

      // The same keys work once Alpaca answers again.
      await providers.linkCredentials(provider.id, fieldsOf(keys)).expect(200);
      expect(await tokenRows(provider.id)).toHaveLength(1);
    },
  );

  /** The key id of the credential the vault holds for the provider (decrypted, as the sync would read it). */
  async function storedKeyId(providerId: string): Promise<string> {
    const connectionId = await connectionIdOf(db(), providerId);
    const [row] = await tokenRows(providerId);
    const secret = stack.api.app.get(TokenCipherService).decrypt(row.access_token_encrypted, { aad: connectionId });
    return readAlpacaSecret(secret)!.apiKeyId;
  }

  it('two concurrent links of one provider: one proves and stores its keys, the other is 409 LINK_IN_PROGRESS', async () => {
    const provider = await alpaca('Racing keys');
    const [first, second] = [await stack.controls.alpacaKeys('paper'), await stack.controls.alpacaKeys('paper')];
    // The first request holds the institution call long enough for the second to arrive meanwhile.
    await stack.controls.fault({ endpoint: 'alpaca_account', mode: 'latency', ms: 700, count: 2 });
    const answers = await Promise.all([
      providers.linkCredentials(provider.id, fieldsOf(first)),
      new Promise((resolve) => setTimeout(resolve, 150)).then(() =>
        providers.linkCredentials(provider.id, fieldsOf(second)),
      ),
    ]);
    expect(answers.map((res) => res.status)).toEqual([200, 409]);
    expect(answers[1].body).toMatchObject({ code: 'PROVIDER.LINK_IN_PROGRESS', status: 409 });
    expect((await stack.controls.counters()).alpaca_account).toBe(1);
    expect(await tokenRows(provider.id)).toHaveLength(1);
    expect(await storedKeyId(provider.id)).toBe(first.api_key_id);
    const created = (await auditTrail(providers, provider.id)).filter((entry) => entry.action === 'token_created');
    expect(created).toHaveLength(1);

    // Once the first is done the provider can be linked again at once (the lock is released).
    await providers.linkCredentials(provider.id, fieldsOf(second)).expect(200);
  });

  it('relinking an active provider replaces its keys (rotated at Alpaca); refused new keys keep the old ones', async () => {
    const provider = await alpaca('Rotated keys');
    const [old, rotated] = [await stack.controls.alpacaKeys('paper'), await stack.controls.alpacaKeys('paper')];
    await providers.linkCredentials(provider.id, fieldsOf(old)).expect(200);
    expect(await storedKeyId(provider.id)).toBe(old.api_key_id);

    const res = await providers.linkCredentials(provider.id, fieldsOf(rotated)).expect(200);
    expect(res.body).toMatchObject({ status: 'active', is_connected: true });
    expect(await tokenRows(provider.id)).toHaveLength(1);
    expect(await storedKeyId(provider.id)).toBe(rotated.api_key_id);
    const created = (await auditTrail(providers, provider.id)).filter((entry) => entry.action === 'token_created');
    expect(created.map((entry) => entry.details)).toEqual([
      expect.objectContaining({ reconnect: false }),
      expect.objectContaining({ reconnect: true }),
    ]);

    const refused = await providers
      .linkCredentials(provider.id, { ...fieldsOf(rotated), api_secret: 'not-the-secret' })
      .expect(400);
    expect(refused.body.code).toBe('PROVIDER.CREDENTIALS_INVALID');
    expect(await storedKeyId(provider.id)).toBe(rotated.api_key_id);
    expect((await providers.get(provider.id).expect(200)).body.status).toBe('active');
  });
});
