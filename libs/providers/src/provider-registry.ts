import { Inject, Injectable } from '@nestjs/common';

import { appConfig, type AppConfig, providersConfig, type ProvidersConfig } from '@dashtam/config';

import { isLoopbackUrl } from './http/institution-http';
import {
  isProviderKey,
  PROVIDER_CATALOG,
  PROVIDER_KEYS,
  type ProviderCatalogEntry,
  type ProviderDefinition,
  type ProviderKey,
} from './provider-catalog';
import type { ProviderClient } from './provider-client';
import { ProviderNotConfiguredError, UnknownProviderError } from './provider.errors';
import { SchwabClient } from './schwab/schwab.client';

type RegistryAppConfig = Pick<AppConfig, 'environment' | 'disableExternalCalls'>;

/**
 * The catalog plus one client per configured institution. Whether a provider is configured is
 * computed from the validated configuration this instance was given, on every call — nothing is
 * decided at import time. With DISABLE_EXTERNAL_CALLS only loopback base URLs are usable.
 */
@Injectable()
export class ProviderRegistry {
  private readonly clients = new Map<ProviderKey, ProviderClient>();

  constructor(
    @Inject(providersConfig.KEY) private readonly config: ProvidersConfig,
    @Inject(appConfig.KEY) private readonly app: RegistryAppConfig,
  ) {}

  /** Every catalog entry, with `isConfigured` as of now. */
  definitions(): ProviderDefinition[] {
    return PROVIDER_KEYS.map((key) => this.definition(key));
  }

  /** One entry, or null for a key the catalog does not know. */
  find(key: string): ProviderDefinition | null {
    return isProviderKey(key) ? this.definition(key) : null;
  }

  isConfigured(key: string): boolean {
    return isProviderKey(key) && this.configured(key);
  }

  /** Static facts (refresh-token lifetime, PKCE, revocation) for a known key. */
  catalogEntry(key: string): ProviderCatalogEntry {
    if (!isProviderKey(key)) throw new UnknownProviderError(key);
    return PROVIDER_CATALOG[key];
  }

  /**
   * The client for `key`. Throws UnknownProviderError for a key outside the catalog and
   * ProviderNotConfiguredError when configuration does not allow it (missing credentials, sandbox
   * in production, a non-loopback base URL while external calls are disabled).
   */
  client(key: string): ProviderClient {
    if (!isProviderKey(key)) throw new UnknownProviderError(key);
    if (PROVIDER_CATALOG[key].authType === 'file') {
      throw new ProviderNotConfiguredError(key, 'it is imported from files and has no institution client');
    }
    const resolved = this.resolve(key);
    if ('reason' in resolved) throw new ProviderNotConfiguredError(key, resolved.reason);
    let client = this.clients.get(key);
    if (!client) {
      const entry = PROVIDER_CATALOG[key];
      client = new SchwabClient({
        key,
        ...resolved,
        timeoutMs: this.config.httpTimeoutMs,
        supportsPkce: entry.supportsPkce,
        supportsRevocation: entry.supportsRevocation,
      });
      this.clients.set(key, client);
    }
    return client;
  }

  private definition(key: ProviderKey): ProviderDefinition {
    const { refreshTokenLifetimeSeconds: _lifetime, ...entry } = PROVIDER_CATALOG[key];
    return { ...entry, isConfigured: this.configured(key) };
  }

  // Imports need no credentials or client: files are their only source, so they are always available.
  private configured(key: ProviderKey): boolean {
    return PROVIDER_CATALOG[key].authType === 'file' || !('reason' in this.resolve(key));
  }

  private resolve(key: ProviderKey): UsableEndpoint | { reason: string } {
    const { baseUrl, clientId, clientSecret } = key === 'schwab' ? this.config.schwab : this.config.sandbox;
    if (key === 'sandbox' && this.app.environment === 'production') {
      return { reason: 'the sandbox is not offered in production' };
    }
    if (!baseUrl) return { reason: 'no base URL' };
    if (!clientId || !clientSecret) return { reason: 'no client credentials' };
    if (this.app.disableExternalCalls && !isLoopbackUrl(baseUrl)) {
      return { reason: 'external calls are disabled and its base URL is not on loopback' };
    }
    return { baseUrl, clientId, clientSecret };
  }
}

interface UsableEndpoint {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}
