export const PROVIDER_KEYS = ['schwab', 'sandbox', 'file'] as const;
export type ProviderKey = (typeof PROVIDER_KEYS)[number];

export type ProviderFeature = 'accounts' | 'balances' | 'positions' | 'transactions' | 'token_refresh' | 'revocation';

/** Static facts about an institution; whether it is usable here is decided by ProviderRegistry. */
export interface ProviderCatalogEntry {
  key: ProviderKey;
  name: string;
  providerType: 'brokerage' | 'import';
  description: string;
  authType: 'oauth2' | 'file';
  supportedFeatures: readonly ProviderFeature[];
  /** Schwab's refresh tokens die this long after consent, however often they are used. */
  refreshTokenLifetimeSeconds: number;
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
  file: {
    key: 'file',
    name: 'File import',
    providerType: 'import',
    description: 'Accounts and transactions imported from OFX, QFX or CSV files exported by any institution.',
    authType: 'file',
    supportedFeatures: ['accounts', 'balances', 'transactions'],
    refreshTokenLifetimeSeconds: 0,
    supportsPkce: false,
    supportsRevocation: false,
  },
};

export function isProviderKey(value: string): value is ProviderKey {
  return (PROVIDER_KEYS as readonly string[]).includes(value);
}
