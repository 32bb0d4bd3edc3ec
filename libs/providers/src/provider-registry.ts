import { Inject, Injectable } from '@nestjs/common';

import { appConfig, type AppConfig, providersConfig, type ProvidersConfig } from '@dashtam/config';

import { AlpacaClient } from './alpaca/alpaca.client';
import { isLoopbackUrl } from './http/institution-http';
import {
  isProviderKey,
  PROVIDER_CATALOG,
  PROVIDER_KEYS,
  type ProviderCatalogEntry,
  type ProviderDefinition,
  type ProviderKey,
} from './provider-catalog';
import type { CredentialProviderClient, OAuthProviderClient, ProviderClient } from './provider-client';
import { ProviderAuthTypeError, ProviderNotConfiguredError, UnknownProviderError } from './provider.errors';
import { SchwabClient } from './schwab/schwab.client';
import { allowedSimplefinHosts } from './simplefin/simplefin-hosts';
import { SimplefinClient } from './simplefin/simplefin.client';

type RegistryAppConfig = Pick<AppConfig, 'environment' | 'disableExternalCalls'>;

/** What configuration makes of a provider: how to build its client, or why it is not usable here. */
type Resolution =
  | { kind: 'oauth'; baseUrl: string; clientId: string; clientSecret: string }
  | { kind: 'simplefin' }
  // null: Alpaca's own host for each environment (paper, live).
  | { kind: 'alpaca'; baseUrl: string | null }
  // Usable, but with no client at all (file imports).
  | { kind: 'no_client'; reason: string }
  | { kind: 'unusable'; reason: string };

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
    return isProviderKey(key) && this.resolve(key).kind !== 'unusable';
  }

  /** Static facts (auth type, refresh-token lifetime, PKCE, revocation) for a known key. */
  catalogEntry(key: string): ProviderCatalogEntry {
    if (!isProviderKey(key)) throw new UnknownProviderError(key);
    return PROVIDER_CATALOG[key];
  }

  /**
   * The client for `key`, whatever its auth type. Throws UnknownProviderError for a key outside the
   * catalog, ProviderNotConfiguredError when configuration does not allow it (missing credentials,
   * sandbox in production, a non-loopback base URL while external calls are disabled) or when it has
   * no client (file imports).
   */
  client(key: string): ProviderClient {
    if (!isProviderKey(key)) throw new UnknownProviderError(key);
    const resolved = this.resolve(key);
    if (resolved.kind === 'unusable' || resolved.kind === 'no_client') {
      throw new ProviderNotConfiguredError(key, resolved.reason);
    }
    let client = this.clients.get(key);
    if (!client) {
      client = this.build(key, resolved);
      this.clients.set(key, client);
    }
    return client;
  }

  /** The client of an OAuth institution; ProviderAuthTypeError (a 409 to the API) for any other kind. */
  oauthClient(key: string): OAuthProviderClient {
    this.expectAuthType(key, 'oauth2');
    return this.client(key) as OAuthProviderClient;
  }

  /** The client of a credential institution (setup token, API key); ProviderAuthTypeError otherwise. */
  credentialClient(key: string): CredentialProviderClient {
    const { authType } = this.catalogEntry(key);
    if (authType !== 'setup_token' && authType !== 'api_key') {
      throw new ProviderAuthTypeError(key, authType, 'setup_token or api_key');
    }
    return this.client(key) as CredentialProviderClient;
  }

  private expectAuthType(key: string, expected: ProviderCatalogEntry['authType']): void {
    const { authType } = this.catalogEntry(key);
    if (authType !== expected) throw new ProviderAuthTypeError(key, authType, expected);
  }

  private build(key: ProviderKey, resolved: Exclude<Resolution, { kind: 'unusable' | 'no_client' }>): ProviderClient {
    switch (resolved.kind) {
      case 'oauth':
        return this.oauth(key, resolved);
      case 'simplefin':
        return this.simplefin(key);
      case 'alpaca':
        return new AlpacaClient({ baseUrl: resolved.baseUrl, timeoutMs: this.config.httpTimeoutMs });
    }
  }

  private oauth(key: ProviderKey, endpoint: { baseUrl: string; clientId: string; clientSecret: string }) {
    const entry = PROVIDER_CATALOG[key];
    return new SchwabClient({
      key,
      baseUrl: endpoint.baseUrl,
      clientId: endpoint.clientId,
      clientSecret: endpoint.clientSecret,
      timeoutMs: this.config.httpTimeoutMs,
      supportsPkce: entry.supportsPkce,
      supportsRevocation: entry.supportsRevocation,
    });
  }

  private simplefin(key: ProviderKey): SimplefinClient {
    return new SimplefinClient({
      key,
      allowedHosts: allowedSimplefinHosts(this.config.simplefin.allowedHosts, this.app.disableExternalCalls),
      timeoutMs: this.config.httpTimeoutMs,
    });
  }

  private definition(key: ProviderKey): ProviderDefinition {
    const { refreshTokenLifetimeSeconds: _lifetime, ...entry } = PROVIDER_CATALOG[key];
    return { ...entry, isConfigured: this.resolve(key).kind !== 'unusable' };
  }

  private resolve(key: ProviderKey): Resolution {
    switch (key) {
      case 'schwab':
      case 'sandbox':
        return this.resolveOAuth(key);
      case 'simplefin':
        return allowedSimplefinHosts(this.config.simplefin.allowedHosts, this.app.disableExternalCalls).length > 0
          ? { kind: 'simplefin' }
          : { kind: 'unusable', reason: 'no allowed SimpleFIN host is reachable (SIMPLEFIN_ALLOWED_HOSTS)' };
      case 'alpaca': {
        // ALPACA_BASE_URL replaces the host of both environments, so checking it here covers every
        // call the client can make; without it the real hosts are never on loopback.
        const baseUrl = this.config.alpaca.baseUrl;
        if (this.app.disableExternalCalls && (baseUrl === null || !isLoopbackUrl(baseUrl))) {
          return { kind: 'unusable', reason: 'external calls are disabled and its base URL is not on loopback' };
        }
        return { kind: 'alpaca', baseUrl };
      }
      case 'file':
        return { kind: 'no_client', reason: 'file imports have no institution client' };
    }
  }

  private resolveOAuth(key: 'schwab' | 'sandbox'): Resolution {
    const { baseUrl, clientId, clientSecret } = key === 'schwab' ? this.config.schwab : this.config.sandbox;
    const unusable = (reason: string): Resolution => ({ kind: 'unusable', reason });
    if (key === 'sandbox' && this.app.environment === 'production') {
      return unusable('the sandbox is not offered in production');
    }
    if (!baseUrl) return unusable('no base URL');
    if (!clientId || !clientSecret) return unusable('no client credentials');
    if (this.app.disableExternalCalls && !isLoopbackUrl(baseUrl)) {
      return unusable('external calls are disabled and its base URL is not on loopback');
    }
    return { kind: 'oauth', baseUrl, clientId, clientSecret };
  }
}
