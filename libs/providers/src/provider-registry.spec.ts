import type { ProvidersConfig } from '@dashtam/config';

import { AlpacaClient } from './alpaca/alpaca.client';
import { ProviderRegistry } from './provider-registry';
import { ProviderAuthTypeError, ProviderNotConfiguredError, UnknownProviderError } from './provider.errors';
import { SchwabClient } from './schwab/schwab.client';
import { SimplefinClient } from './simplefin/simplefin.client';

const PROVIDERS: ProvidersConfig = {
  schwab: { baseUrl: 'https://api.schwabapi.com', clientId: 'AppKey', clientSecret: 'AppSecret' },
  sandbox: { baseUrl: 'http://127.0.0.1:8183', clientId: 'dashtam-sandbox-client', clientSecret: 'sandbox-secret' },
  simplefin: { allowedHosts: [{ host: 'bridge.simplefin.org', port: 443 }], dailyBudget: 24 },
  alpaca: { baseUrl: null },
  httpTimeoutMs: 4000,
  refreshLeadSeconds: 300,
  forcedRefreshMinIntervalSeconds: 30,
};
const DEV = { environment: 'development' as const, disableExternalCalls: false };

function registry(providers: Partial<ProvidersConfig> = {}, app: Partial<typeof DEV> | object = {}) {
  return new ProviderRegistry({ ...PROVIDERS, ...providers }, { ...DEV, ...app } as typeof DEV);
}

describe('ProviderRegistry', () => {
  it('lists the catalog with is_configured computed from configuration', () => {
    expect(registry().definitions()).toEqual([
      expect.objectContaining({
        key: 'schwab',
        name: 'Charles Schwab',
        providerType: 'brokerage',
        authType: 'oauth2',
        isConfigured: true,
        supportedFeatures: ['accounts', 'balances', 'positions', 'transactions', 'token_refresh'],
      }),
      expect.objectContaining({ key: 'sandbox', isConfigured: true, supportsPkce: true, supportsRevocation: true }),
      expect.objectContaining({ key: 'simplefin', authType: 'setup_token', providerType: 'aggregator' }),
      expect.objectContaining({ key: 'alpaca', authType: 'api_key', providerType: 'brokerage', isConfigured: true }),
      expect.objectContaining({ key: 'file', authType: 'file', providerType: 'import', isConfigured: true }),
    ]);
    const withoutSchwab = registry({
      schwab: { baseUrl: 'https://api.schwabapi.com', clientId: null, clientSecret: null },
    });
    expect(withoutSchwab.find('schwab')?.isConfigured).toBe(false);
    expect(() => withoutSchwab.client('schwab')).toThrow(
      new ProviderNotConfiguredError('schwab', 'no client credentials'),
    );
  });

  it('offers file imports everywhere, with no client to hand out', () => {
    const production = registry({}, { environment: 'production', disableExternalCalls: true });
    expect(production.isConfigured('file')).toBe(true);
    expect(() => production.client('file')).toThrow(ProviderNotConfiguredError);
  });

  it('hands out Schwab clients bound to each base URL, one per key', () => {
    const r = registry();
    const schwab = r.oauthClient('schwab');
    const sandbox = r.oauthClient('sandbox');
    expect(schwab).toBeInstanceOf(SchwabClient);
    expect(sandbox).toBeInstanceOf(SchwabClient);
    expect((schwab as SchwabClient).baseUrl).toBe('https://api.schwabapi.com');
    expect((sandbox as SchwabClient).baseUrl).toBe('http://127.0.0.1:8183');
    expect(schwab.supportsPkce).toBe(false);
    expect(sandbox.supportsPkce).toBe(true);
    expect(r.oauthClient('schwab')).toBe(schwab);
  });

  it('does not offer the sandbox in production or without a base URL', () => {
    expect(registry({}, { environment: 'production' }).isConfigured('sandbox')).toBe(false);
    const noUrl = registry({ sandbox: { ...PROVIDERS.sandbox, baseUrl: null } });
    expect(noUrl.isConfigured('sandbox')).toBe(false);
    expect(() => noUrl.client('sandbox')).toThrow(ProviderNotConfiguredError);
  });

  it('refuses non-loopback base URLs when external calls are disabled', () => {
    const offline = registry({}, { disableExternalCalls: true });
    expect(offline.isConfigured('schwab')).toBe(false);
    expect(() => offline.client('schwab')).toThrow(/external calls are disabled/);
    expect(offline.client('sandbox')).toBeInstanceOf(SchwabClient);
    const schwabOnLoopback = registry(
      { schwab: { ...PROVIDERS.schwab, baseUrl: 'http://127.0.0.1:9999' } },
      { disableExternalCalls: true },
    );
    expect(schwabOnLoopback.isConfigured('schwab')).toBe(true);
  });

  it('knows nothing outside the catalog', () => {
    const r = registry();
    expect(r.find('plaid')).toBeNull();
    expect(r.isConfigured('plaid')).toBe(false);
    expect(() => r.oauthClient('plaid')).toThrow(UnknownProviderError);
    expect(() => r.catalogEntry('plaid')).toThrow(UnknownProviderError);
    expect(r.catalogEntry('schwab').refreshTokenLifetimeSeconds).toBe(7 * 24 * 3600);
  });

  it('narrows clients by auth type: OAuth flows and credential linking refuse the other kind', () => {
    const r = registry();
    expect(r.oauthClient('sandbox')).toBeInstanceOf(SchwabClient);
    expect(r.credentialClient('simplefin')).toBeInstanceOf(SimplefinClient);
    expect(r.client('simplefin')).toBe(r.credentialClient('simplefin'));
    expect(() => r.oauthClient('simplefin')).toThrow(ProviderAuthTypeError);
    expect(() => r.credentialClient('schwab')).toThrow(ProviderAuthTypeError);
    expect(() => r.credentialClient('file')).toThrow(ProviderAuthTypeError);
    expect(() => r.oauthClient('file')).toThrow(ProviderAuthTypeError);
    expect(r.credentialClient('alpaca')).toBeInstanceOf(AlpacaClient);
    expect(() => r.oauthClient('alpaca')).toThrow(ProviderAuthTypeError);
    expect(() => r.client('file')).toThrow(ProviderNotConfiguredError);
    expect(r.catalogEntry('simplefin').refreshTokenLifetimeSeconds).toBeNull();
  });

  it('offers SimpleFIN only with a usable allowed host', () => {
    expect(registry().isConfigured('simplefin')).toBe(true);
    expect(registry({ simplefin: { allowedHosts: [], dailyBudget: 24 } }).isConfigured('simplefin')).toBe(false);
    const offline = registry({}, { disableExternalCalls: true });
    expect(offline.isConfigured('simplefin')).toBe(false);
    expect(offline.isConfigured('alpaca')).toBe(false);
    const loopback = registry(
      { simplefin: { allowedHosts: [{ host: '127.0.0.1', port: 8283 }], dailyBudget: 24 } },
      { disableExternalCalls: true },
    );
    expect(loopback.isConfigured('simplefin')).toBe(true);
  });

  it("builds Alpaca's client on its real hosts, or on ALPACA_BASE_URL for both environments", () => {
    const real = registry().credentialClient('alpaca') as AlpacaClient;
    expect(real).toMatchObject({ key: 'alpaca', authType: 'api_key' });
    expect(real.baseUrlFor('paper')).toBe('https://paper-api.alpaca.markets');
    expect(real.baseUrlFor('live')).toBe('https://api.alpaca.markets');
    const sandbox = registry({ alpaca: { baseUrl: 'http://127.0.0.1:8283' } }).credentialClient(
      'alpaca',
    ) as AlpacaClient;
    expect(sandbox.baseUrlFor('paper')).toBe('http://127.0.0.1:8283');
    expect(sandbox.baseUrlFor('live')).toBe('http://127.0.0.1:8283');
  });

  it('offers Alpaca with external calls disabled only when ALPACA_BASE_URL is on loopback', () => {
    const reason = 'external calls are disabled and its base URL is not on loopback';
    expect(() => registry({}, { disableExternalCalls: true }).client('alpaca')).toThrow(
      new ProviderNotConfiguredError('alpaca', reason),
    );
    const elsewhere = registry({ alpaca: { baseUrl: 'https://alpaca.example.com' } }, { disableExternalCalls: true });
    expect(elsewhere.isConfigured('alpaca')).toBe(false);
    expect(() => elsewhere.credentialClient('alpaca')).toThrow(ProviderNotConfiguredError);
    const loopback = registry({ alpaca: { baseUrl: 'http://127.0.0.1:8283' } }, { disableExternalCalls: true });
    expect(loopback.isConfigured('alpaca')).toBe(true);
    expect((loopback.credentialClient('alpaca') as AlpacaClient).baseUrlFor('live')).toBe('http://127.0.0.1:8283');
  });
});
