export const PROVIDER_KEYS = ['schwab', 'sandbox', 'simplefin', 'alpaca', 'file'] as const;
export type ProviderKey = (typeof PROVIDER_KEYS)[number];

export type ProviderFeature = 'accounts' | 'balances' | 'positions' | 'transactions' | 'token_refresh' | 'revocation';

/**
 * How a person links the institution: `oauth2` through a consent page (`POST …/authorization`),
 * `setup_token` and `api_key` in one call with credentials (`POST …/credentials`), `file` by importing
 * exported files (no client at all).
 */
export type ProviderAuthType = 'oauth2' | 'setup_token' | 'api_key' | 'file';

export type ProviderType = 'brokerage' | 'bank' | 'aggregator' | 'import';

/** Static facts about an institution; whether it is usable here is decided by ProviderRegistry. */
export interface ProviderCatalogEntry {
  key: ProviderKey;
  name: string;
  providerType: ProviderType;
  description: string;
  authType: ProviderAuthType;
  supportedFeatures: readonly ProviderFeature[];
  /**
   * OAuth only: Schwab's refresh tokens die this long after consent, however often they are used.
   * null for every other auth type (their credentials do not expire on a schedule Dashtam knows).
   */
  refreshTokenLifetimeSeconds: number | null;
  supportsPkce: boolean;
  supportsRevocation: boolean;
}

/** A catalog entry as the API shows it: `isConfigured` is computed from validated config per call. */
export interface ProviderDefinition extends Omit<ProviderCatalogEntry, 'refreshTokenLifetimeSeconds'> {
  isConfigured: boolean;
}

const SEVEN_DAYS_SECONDS = 7 * 24 * 60 * 60;
const BROKERAGE_FEATURES = ['accounts', 'balances', 'positions', 'transactions', 'token_refresh'] as const;

export const PROVIDER_CATALOG: Readonly<Record<ProviderKey, ProviderCatalogEntry>> = {
  schwab: {
    key: 'schwab',
    name: 'Charles Schwab',
    providerType: 'brokerage',
    description: 'Charles Schwab brokerage accounts through the Schwab Trader API (OAuth 2.0).',
    authType: 'oauth2',
    supportedFeatures: BROKERAGE_FEATURES,
    refreshTokenLifetimeSeconds: SEVEN_DAYS_SECONDS,
    // Schwab documents neither PKCE nor a revocation endpoint for the Trader API.
    supportsPkce: false,
    supportsRevocation: false,
  },
  sandbox: {
    key: 'sandbox',
    name: 'Sandbox Brokerage',
    providerType: 'brokerage',
    description:
      'A Schwab-compatible test institution with deterministic data, for development, demos and tests. No real money.',
    authType: 'oauth2',
    supportedFeatures: [...BROKERAGE_FEATURES, 'revocation'],
    refreshTokenLifetimeSeconds: SEVEN_DAYS_SECONDS,
    supportsPkce: true,
    supportsRevocation: true,
  },
  simplefin: {
    key: 'simplefin',
    name: 'SimpleFIN Bridge',
    providerType: 'aggregator',
    description:
      'Bank, credit card and investment accounts of thousands of institutions through SimpleFIN Bridge (read-only, linked with a setup token).',
    authType: 'setup_token',
    supportedFeatures: ['accounts', 'balances', 'positions', 'transactions'],
    refreshTokenLifetimeSeconds: null,
    supportsPkce: false,
    // An Access URL is withdrawn on the Bridge's own site; the protocol has no revocation call.
    supportsRevocation: false,
  },
  alpaca: {
    key: 'alpaca',
    name: 'Alpaca',
    providerType: 'brokerage',
    description: 'Alpaca brokerage accounts (paper or live) through the Alpaca Trading API, linked with an API key.',
    authType: 'api_key',
    supportedFeatures: ['accounts', 'balances', 'positions', 'transactions'],
    refreshTokenLifetimeSeconds: null,
    supportsPkce: false,
    supportsRevocation: false,
  },
  file: {
    key: 'file',
    name: 'File import',
    providerType: 'import',
    description: 'Accounts and transactions imported from OFX, QFX or CSV files exported by any institution.',
    authType: 'file',
    supportedFeatures: ['accounts', 'balances', 'transactions'],
    refreshTokenLifetimeSeconds: null,
    supportsPkce: false,
    supportsRevocation: false,
  },
};

export function isProviderKey(value: string): value is ProviderKey {
  return (PROVIDER_KEYS as readonly string[]).includes(value);
}
