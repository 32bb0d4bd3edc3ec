import { readAlpacaSecret, sealableAlpacaSecret } from './alpaca-credentials';
import { ALPACA_HOSTS, AlpacaClient } from './alpaca.client';
import { InvalidCredentialsError, StoredCredentialUnreadableError } from '../provider.errors';

describe('AlpacaClient without the network', () => {
  it("resolves each environment's real host unless a base URL overrides both", () => {
    const real = new AlpacaClient({ timeoutMs: 1000 });
    expect(real.baseUrlFor('paper')).toBe('https://paper-api.alpaca.markets');
    expect(real.baseUrlFor('live')).toBe('https://api.alpaca.markets');
    expect(new AlpacaClient({ baseUrl: '', timeoutMs: 1000 }).baseUrlFor('live')).toBe(ALPACA_HOSTS.live);
    const sandbox = new AlpacaClient({ baseUrl: 'http://127.0.0.1:8283/', timeoutMs: 1000 });
    expect(sandbox.baseUrlFor('paper')).toBe('http://127.0.0.1:8283');
    expect(sandbox.baseUrlFor('live')).toBe('http://127.0.0.1:8283');
  });

  it.each([
    { apiKeyId: '', apiSecret: 'Sekrit9', environment: 'paper' },
    { apiKeyId: 'PK1', apiSecret: '', environment: 'paper' },
    { apiKeyId: 'PK 1', apiSecret: 'Sekrit9', environment: 'paper' },
    { apiKeyId: 'PK1', apiSecret: 'Sekrit9\r\nX-Injected: 1', environment: 'live' },
    { apiKeyId: 'PK1', apiSecret: 'Sekrit9', environment: 'sandbox' },
    { apiKeyId: 'K'.repeat(129), apiSecret: 'Sekrit9', environment: 'paper' },
  ])('refuses malformed keys before any request: %p', async (input) => {
    // An unroutable base URL: a request would fail as a transient network error, not as invalid keys.
    const client = new AlpacaClient({ baseUrl: 'http://192.0.2.1:9', timeoutMs: 200 });
    const error = await client.link({ kind: 'api_key', ...input } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect(error).toMatchObject({ code: 'PROVIDER.CREDENTIALS_INVALID', providerKey: 'alpaca' });
    expect((error as Error).message).not.toMatch(/Sekrit9|PK/);
  });

  it('refuses a setup token: Alpaca links with an API key pair only', async () => {
    const client = new AlpacaClient({ baseUrl: 'http://192.0.2.1:9', timeoutMs: 200 });
    await expect(client.link({ kind: 'setup_token', setupToken: 'abc' })).rejects.toBeInstanceOf(
      InvalidCredentialsError,
    );
  });

  it('stored secrets round-trip; anything else is unreadable, before any request', async () => {
    const credentials = { apiKeyId: 'PKTEST', apiSecret: 'sec/ret+=', environment: 'live' as const };
    expect(readAlpacaSecret(sealableAlpacaSecret(credentials))).toEqual(credentials);
    for (const secret of ['', 'not json', '[]', '{"api_key_id":"x","api_secret":"y"}', 'null']) {
      expect(readAlpacaSecret(secret)).toBeNull();
    }
    const client = new AlpacaClient({ baseUrl: 'http://192.0.2.1:9', timeoutMs: 200 });
    await expect(client.accounts('{"broken":')).rejects.toBeInstanceOf(StoredCredentialUnreadableError);
    await expect(client.accounts('{"broken":')).rejects.toMatchObject({ code: 'PROVIDER.CREDENTIAL_UNREADABLE' });
  });
});
