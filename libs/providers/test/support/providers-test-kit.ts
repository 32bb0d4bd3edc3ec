import { randomUUID } from 'node:crypto';

import Redis from 'ioredis';
import { DataSource } from 'typeorm';

import { getConfig, type ProvidersConfig } from '@dashtam/config';
import { TokenCipherService } from '@dashtam/crypto';
import { buildDataSourceOptions } from '@dashtam/database';
import {
  PendingRefreshes,
  PendingTokenSlots,
  ProviderConnectionsRepository,
  ProviderRegistry,
  type TokenSet,
  TokenRefreshService,
  TokenVaultService,
} from '@dashtam/providers';
import { type SandboxUnderTest, startSandbox, testConfig } from '@dashtam/testing';

/** One simulated api instance: its own DataSource (pool) and its own services, as a separate process has. */
export interface Instance {
  dataSource: DataSource;
  redis: Redis;
  refresher: TokenRefreshService;
  vault: TokenVaultService;
  pending: PendingRefreshes;
}

export interface Connection {
  userId: string;
  providerId: string;
  connectionId: string;
}

export interface KitOptions {
  instances?: number;
  httpTimeoutMs?: number;
  refreshLeadSeconds?: number;
  /** Points the `schwab` provider at a loopback fake (with throwaway credentials). */
  schwabBaseUrl?: string;
  /** Where instance `index` reaches PostgreSQL and Redis (e.g. through a relay a test cuts); the test's own by default. */
  urls?: (index: number) => { database?: string; redis?: string };
}

/**
 * Real PostgreSQL (the test database), a real in-process Sandbox on a loopback port, and N
 * independent "instances" of the token services sharing them.
 */
export class ProvidersTestKit {
  readonly instances: Instance[] = [];
  readonly cipher = new TokenCipherService(getConfig().crypto);
  registry!: ProviderRegistry;
  providers!: ProvidersConfig;
  t!: SandboxUnderTest;

  static async start(options: KitOptions = {}): Promise<ProvidersTestKit> {
    const kit = new ProvidersTestKit();
    await kit.init(options);
    return kit;
  }

  private async init(options: KitOptions): Promise<void> {
    const config = getConfig();
    this.t = await startSandbox({ autoApprove: true, redirectUris: [config.callback.redirectUri] });
    this.providers = testConfig({
      providers: {
        ...(options.schwabBaseUrl
          ? { schwab: { baseUrl: options.schwabBaseUrl, clientId: 'e2e-app-key', clientSecret: `e2e-${randomUUID()}` } }
          : {}),
        sandbox: {
          baseUrl: this.t.sandbox.url,
          clientId: this.t.sandbox.options.clientId,
          clientSecret: this.t.sandbox.options.clientSecret,
        },
        httpTimeoutMs: options.httpTimeoutMs ?? 2000,
        refreshLeadSeconds: options.refreshLeadSeconds ?? 300,
      },
    }).providers;
    // The environment's own rule applies: testing disables external calls, and the Sandbox is on loopback.
    this.registry = new ProviderRegistry(this.providers, config.app);
    for (let i = 0; i < (options.instances ?? 1); i += 1) {
      const urls = options.urls?.(i) ?? {};
      const database = { ...config.database, url: urls.database ?? config.database.url };
      const dataSource = await new DataSource(buildDataSourceOptions(database, { poolMax: 5 })).initialize();
      // Fail fast as the api's client does: no offline queue, a short command timeout.
      const redis = new Redis(urls.redis ?? config.redis.url!, {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        commandTimeout: 250,
      });
      redis.on('error', () => undefined);
      await redis.connect();
      const connections = new ProviderConnectionsRepository(dataSource);
      const pending = new PendingRefreshes(dataSource, connections, this.cipher, new PendingTokenSlots(redis));
      this.instances.push({
        dataSource,
        redis,
        pending,
        refresher: new TokenRefreshService(
          dataSource,
          connections,
          this.cipher,
          this.registry,
          pending,
          this.providers,
        ),
        vault: new TokenVaultService(dataSource, connections, this.cipher, this.registry),
      });
    }
  }

  get db(): DataSource {
    return this.instances[0].dataSource;
  }

  get controls() {
    return this.t.controls;
  }

  async stop(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.pending.beforeApplicationShutdown()));
    await Promise.all(this.instances.map((i) => i.dataSource.destroy()));
    for (const i of this.instances) i.redis.disconnect();
    await this.t.sandbox.close();
  }

  /** A user with one provider (`sandbox` unless told) and its pending connection, owned by this test alone. */
  async createConnection(providerKey = 'sandbox'): Promise<Connection> {
    const email = `providers-${randomUUID()}@example.test`;
    const [user] = (await this.db.query(
      `INSERT INTO users (email, name, password_hash) VALUES ($1, 'Providers Test', 'not-a-hash') RETURNING id`,
      [email],
    )) as Array<{ id: string }>;
    const [provider] = (await this.db.query(
      `INSERT INTO providers (user_id, provider_key, alias) VALUES ($1, $2, 'My institution') RETURNING id`,
      [user.id, providerKey],
    )) as Array<{ id: string }>;
    const [connection] = (await this.db.query(
      `INSERT INTO provider_connections (provider_id) VALUES ($1) RETURNING id`,
      [provider.id],
    )) as Array<{ id: string }>;
    return { userId: user.id, providerId: provider.id, connectionId: connection.id };
  }

  /**
   * The browser's part of the flow against the Sandbox (auto-approve): follow our authorization URL
   * and return the code exactly as it appears in the redirect, still URL-encoded.
   */
  async authorize(codeChallenge?: string): Promise<string> {
    const client = this.registry.oauthClient('sandbox');
    const url = client.authorizationUrl({
      state: 'e2e-state',
      redirectUri: getConfig().callback.redirectUri,
      codeChallenge,
    });
    const res = await fetch(url, { redirect: 'manual' });
    const location = res.headers.get('location') ?? '';
    const raw = /[?&]code=([^&]+)/.exec(location)?.[1];
    if (res.status !== 302 || !raw) throw new Error(`authorize answered ${res.status} ${location}`);
    return raw;
  }

  async exchange(): Promise<TokenSet> {
    const code = await this.authorize();
    return this.registry.oauthClient('sandbox').exchangeCode({ code, redirectUri: getConfig().callback.redirectUri });
  }

  /** A connection linked through the real code exchange, tokens stored by the vault. */
  async linkedConnection(): Promise<Connection & { tokens: TokenSet }> {
    const connection = await this.createConnection();
    const tokens = await this.exchange();
    await this.instances[0].vault.storeAuthorizedTokens({ connectionId: connection.connectionId, tokens });
    return { ...connection, tokens };
  }

  async tokenRow(connectionId: string): Promise<Record<string, unknown>> {
    const [row] = (await this.db.query('SELECT * FROM provider_tokens WHERE connection_id = $1', [
      connectionId,
    ])) as Array<Record<string, unknown>>;
    return row;
  }

  async decryptedRefreshToken(connectionId: string): Promise<string> {
    const row = await this.tokenRow(connectionId);
    return this.cipher.decrypt(String(row.refresh_token_encrypted), { aad: connectionId });
  }

  async connectionStatus(connectionId: string): Promise<{ status: string; error_message: string | null }> {
    const [row] = (await this.db.query('SELECT status, error_message FROM provider_connections WHERE id = $1', [
      connectionId,
    ])) as Array<{ status: string; error_message: string | null }>;
    return row;
  }

  async auditRows(connectionId: string): Promise<Array<{ action: string; details: Record<string, unknown> }>> {
    return (await this.db.query(
      'SELECT action, details, request_id, ip_address, user_agent, user_id, provider_id FROM provider_audit_logs WHERE connection_id = $1 ORDER BY created_at, action',
      [connectionId],
    )) as Array<{ action: string; details: Record<string, unknown> }>;
  }

  /** Makes the stored access token look expired, as time passing would. */
  async expireAccessToken(connectionId: string): Promise<void> {
    await this.db.query(
      `UPDATE provider_tokens SET expires_at = now() - interval '1 minute' WHERE connection_id = $1`,
      [connectionId],
    );
  }
}
