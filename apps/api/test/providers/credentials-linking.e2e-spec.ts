import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  createSignedInUser,
  type LinkingStack,
  type ProviderBody,
  ProvidersApi,
  type SignedInUser,
  startLinkingStack,
} from '@dashtam/testing';

import { auditTrail, connectionIdOf } from '../support/sync-fixtures';

const setupTokenFor = (url: string) => Buffer.from(url, 'utf8').toString('base64');

/**
 * `POST /providers/{id}/credentials` with SimpleFIN against the Sandbox's Bridge: the setup token is
 * claimed once, only the Access URL it proved is stored (sealed, like any token), and nothing is ever
 * sent to a host outside SIMPLEFIN_ALLOWED_HOSTS.
 */
describe('linking with credentials: SimpleFIN setup tokens', () => {
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
  const simplefin = (alias: string) => providers.created(alias, 'simplefin');

  it('claims the setup token, stores the Access URL sealed (no refresh token, no expiry) and answers the active provider', async () => {
    const provider = await simplefin('My banks');
    const setupToken = await stack.controls.simplefinSetupToken();
    const res = await providers.linkCredentials(provider.id, { setup_token: setupToken }).expect(200);
    const body = res.body as ProviderBody;
    expect(body).toMatchObject({ id: provider.id, provider_key: 'simplefin', status: 'active', is_connected: true });
    expect(JSON.stringify(res.body)).not.toContain(setupToken);

    const [row] = await tokenRows(provider.id);
    expect(row).toMatchObject({ refresh_token_encrypted: null, expires_at: null, token_type: 'credential' });
    expect(row.access_token_encrypted).not.toMatch(/simplefin|127\.0\.0\.1|@/);
    expect((await stack.controls.counters()).simplefin_claim).toBe(1);

    const actions = (await auditTrail(providers, provider.id)).map((entry) => entry.action);
    expect(actions).toEqual(['provider_created', 'token_created']);
    const status = await providers.tokenStatus(provider.id).expect(200);
    expect(status.body).toMatchObject({
      status: 'active',
      expires_at: null,
      has_refresh_token: false,
      refresh_token_expires_at: null,
    });

    // OAuth-only operations refuse a credential provider, and the stored credential is untouched.
    const refresh = await providers.refresh(provider.id).expect(409);
    expect(refresh.body.code).toBe('PROVIDER.AUTH_TYPE_MISMATCH');
    expect((await providers.authorize(provider.id).expect(409)).body.code).toBe('PROVIDER.AUTH_TYPE_MISMATCH');
    expect((await providers.get(provider.id).expect(200)).body.status).toBe('active');

    // Disconnecting deletes the stored credential.
    await providers.disconnect(provider.id).expect(204);
    expect(await tokenRows(provider.id)).toEqual([]);
    expect((await providers.get(provider.id).expect(200)).body.status).toBe('disconnected');
  });

  it('refused or malformed setup tokens: 400 PROVIDER.CREDENTIALS_INVALID and nothing stored', async () => {
    const provider = await simplefin('Refused');
    const garbage = await providers.linkCredentials(provider.id, { setup_token: 'not a setup token' }).expect(400);
    expect(garbage.body.code).toBe('PROVIDER.CREDENTIALS_INVALID');

    const setupToken = await stack.controls.simplefinSetupToken();
    const other = await simplefin('Claims first');
    await providers.linkCredentials(other.id, { setup_token: setupToken }).expect(200);
    // Already claimed: the Bridge answers 403.
    const claimed = await providers.linkCredentials(provider.id, { setup_token: setupToken }).expect(400);
    expect(claimed.body).toMatchObject({ code: 'PROVIDER.CREDENTIALS_INVALID', status: 400 });
    expect(JSON.stringify(claimed.body)).not.toContain(setupToken);
    expect(await tokenRows(provider.id)).toEqual([]);
    expect((await providers.get(provider.id).expect(200)).body.status).toBe('pending');
  });

  describe('a setup token naming a host that is not allowed', () => {
    let server: Server;
    let requests = 0;
    let port: number;

    beforeAll(async () => {
      server = createServer((req, res) => {
        requests += 1;
        res.writeHead(200, { 'content-type': 'text/plain' }).end('http://user:pass@127.0.0.1:1/simplefin');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it.each([
      ['another port on the same address', (p: number) => `http://127.0.0.1:${p}/simplefin/claim/abc`],
      ['the same port by another name', (p: number) => `http://localhost:${p}/claim/abc`],
      ['the address as a number', (p: number) => `http://2130706433:${p}/claim/abc`],
      ['the allowed host in the userinfo', (p: number) => `http://127.0.0.1:${p}@127.0.0.1:${p}/claim/abc`],
    ])('%s: 400 PROVIDER.SETUP_TOKEN_HOST_NOT_ALLOWED and no request made', async (_name, url) => {
      const provider = await simplefin(`Elsewhere ${_name}`);
      const res = await providers.linkCredentials(provider.id, { setup_token: setupTokenFor(url(port)) }).expect(400);
      expect(res.body.code).toBe('PROVIDER.SETUP_TOKEN_HOST_NOT_ALLOWED');
      expect(requests).toBe(0);
      expect(await tokenRows(provider.id)).toEqual([]);
    });
  });

  it('validates the fields against the auth type; an OAuth provider is 409', async () => {
    const provider = await simplefin('Fields');
    const wrongKind = await providers
      .linkCredentials(provider.id, { api_key_id: 'AK', api_secret: 'secret', environment: 'paper' })
      .expect(400);
    expect(wrongKind.body.code).toBe('VALIDATION.FAILED');
    expect(wrongKind.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'api_key_id',
      'api_secret',
      'environment',
      'setup_token',
    ]);
    expect((await providers.linkCredentials(provider.id, { setup_token: 'x', extra: 1 }).expect(400)).body.code).toBe(
      'VALIDATION.FAILED',
    );
    expect((await providers.linkCredentials(provider.id, {}).expect(400)).body.code).toBe('VALIDATION.FAILED');

    const oauth = await providers.created('OAuth one', 'sandbox');
    const res = await providers.linkCredentials(oauth.id, { setup_token: 'abc' }).expect(409);
    expect(res.body.code).toBe('PROVIDER.AUTH_TYPE_MISMATCH');
    expect((await stack.controls.counters()).simplefin_claim).toBe(0);
  });

  it('claims once: PostgreSQL refusing the store after the claim, the retry uses the kept Access URL', async () => {
    const provider = await simplefin('Claim once');
    const setupToken = await stack.controls.simplefinSetupToken();
    await db().query(`
      CREATE OR REPLACE FUNCTION refuse_token_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the database is starting up' USING ERRCODE = '57P03'; END $$;
      CREATE TRIGGER refuse_token_insert BEFORE INSERT ON provider_tokens
        FOR EACH ROW EXECUTE FUNCTION refuse_token_insert();`);
    try {
      const failed = await providers.linkCredentials(provider.id, { setup_token: setupToken });
      expect(failed.status).toBe(503);
      expect(JSON.stringify(failed.body)).not.toContain(setupToken);
    } finally {
      await db().query('DROP TRIGGER refuse_token_insert ON provider_tokens; DROP FUNCTION refuse_token_insert();');
    }
    expect(await tokenRows(provider.id)).toEqual([]);
    expect((await stack.controls.counters()).simplefin_claim).toBe(1);

    await providers.linkCredentials(provider.id, { setup_token: setupToken }).expect(200);
    expect((await stack.controls.counters()).simplefin_claim).toBe(1);
    expect(await tokenRows(provider.id)).toHaveLength(1);
    // Stored, the slot is released: the same (spent) token claims again and the Bridge refuses it.
    const again = await simplefin('Claim once, again');
    await providers.linkCredentials(again.id, { setup_token: setupToken }).expect(400);
  });

  it('two concurrent links with one setup token: one claim, one link, the other 409 LINK_IN_PROGRESS', async () => {
    const provider = await simplefin('Racing token');
    const setupToken = await stack.controls.simplefinSetupToken();
    // The first claim is held long enough for the second request to arrive meanwhile.
    await stack.controls.fault({ endpoint: 'simplefin_claim', mode: 'latency', ms: 700, count: 2 });
    const answers = await Promise.all([
      providers.linkCredentials(provider.id, { setup_token: setupToken }),
      new Promise((resolve) => setTimeout(resolve, 150)).then(() =>
        providers.linkCredentials(provider.id, { setup_token: setupToken }),
      ),
    ]);
    expect(answers.map((res) => res.status)).toEqual([200, 409]);
    expect(answers[1].body).toMatchObject({ code: 'PROVIDER.LINK_IN_PROGRESS', status: 409 });
    expect(JSON.stringify(answers[1].body)).not.toContain(setupToken);
    expect((await stack.controls.counters()).simplefin_claim).toBe(1);
    expect(await tokenRows(provider.id)).toHaveLength(1);
    expect((await providers.get(provider.id).expect(200)).body.status).toBe('active');
  });

  it('relinking an active provider with a new setup token replaces the Access URL', async () => {
    const provider = await simplefin('Rotated token');
    await providers.linkCredentials(provider.id, { setup_token: await stack.controls.simplefinSetupToken() });
    const [before] = await tokenRows(provider.id);
    await providers
      .linkCredentials(provider.id, { setup_token: await stack.controls.simplefinSetupToken() })
      .expect(200);
    const rows = await tokenRows(provider.id);
    expect(rows).toHaveLength(1);
    expect(rows[0].access_token_encrypted).not.toBe(before.access_token_encrypted);
    expect((await stack.controls.counters()).simplefin_claim).toBe(2);
  });
});
