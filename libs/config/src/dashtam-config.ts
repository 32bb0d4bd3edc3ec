import type { Environment } from './environment';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  caFile: string | null;
}

export interface AppConfig {
  environment: Environment;
  testing: boolean;
  name: string;
  version: string;
  host: string;
  port: number;
  tls: boolean;
  docs: boolean;
  publicUrl: string;
  corsOrigins: string[];
  frontendUrl: string;
  bodyLimitBytes: number;
  shutdownTimeoutMs: number;
  logLevel: string;
  logPretty: boolean;
  disableExternalCalls: boolean;
  /** Fastify `trustProxy`: proxies whose X-Forwarded-For is believed; false trusts none. */
  trustProxy: string[] | false;
}

export interface DatabaseConfig {
  url: string;
  /** Database name parsed from the URL; TestDbBootstrap's first guard reads it. */
  name: string;
  adminUrl: string | null;
  ssl: boolean;
  caFile: string | null;
  poolMax: number;
  synchronize: boolean;
  migrationsRun: boolean;
}

export interface RedisConfig {
  /** null: no Redis configured (development only) — the cache falls back to memory. */
  url: string | null;
}

export interface CallbackConfig {
  host: string;
  port: number;
  tls: boolean;
  apiUrl: string;
  publicUrl: string;
  /** The exact redirect URI registered with institutions. */
  redirectUri: string;
  secret: string;
  /** When set, the callback app redirects here (with provider_id and status) instead of rendering a page. */
  resultRedirectUrl: string | null;
  apiTimeoutMs: number;
}

export interface SandboxConfig {
  host: string;
  port: number;
  controls: boolean;
  /** The OAuth client the Sandbox institution knows (its client secret is `clientSecret`). */
  clientId: string;
  clientSecret: string;
  /** Extra registered redirect URIs; the callback's `redirectUri` is always registered too. */
  redirectUris: string[];
  accessTtlSeconds: number;
  /** Fixed when a code is exchanged; refreshing never extends it (Schwab's 7 days). */
  refreshTtlSeconds: number;
  codeTtlSeconds: number;
  rotation: 'rotating' | 'static';
  /**
   * Rotating only: seconds after a rotation during which the rotated-out refresh token may be presented
   * once more (a client whose answer was lost), 0 = none. See RuntimeSettings in apps/sandbox.
   */
  reuseGraceSeconds: number;
  /** Skip the consent page: approve every valid request as `user`. */
  autoApprove: boolean;
  user: string;
  seed: string;
  transactionsPerAccount: number;
}

export interface CryptoConfig {
  /** key id → 32-byte AES key */
  keys: ReadonlyMap<string, Buffer>;
  activeKeyId: string;
}

export interface AuthConfig {
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** How long a session's validity may be served from cache; bounds how late a revocation bites. */
  sessionCacheTtlSeconds: number;
  requireVerifiedEmail: boolean;
  emailVerificationTtlSeconds: number;
  passwordResetTtlSeconds: number;
  argon2: { memoryKib: number; timeCost: number; parallelism: number };
  lockout: { threshold: number; windowSeconds: number; durationSeconds: number };
  /** Per route: at most `perIp` requests per address and `perAccount` per email within `windowSeconds`. */
  rateLimit: { windowSeconds: number; perIp: number; perAccount: number };
}

export interface MailConfig {
  /** null: no SMTP server; messages are written as .eml files to `dir`. */
  smtpUrl: string | null;
  from: string;
  dir: string;
}

/** Where an institution's OAuth and data endpoints live and the client credentials Dashtam uses there. */
export interface InstitutionEndpoint {
  /** null: not configured (no base URL). */
  baseUrl: string | null;
  clientId: string | null;
  clientSecret: string | null;
}

export interface ProvidersConfig {
  schwab: InstitutionEndpoint;
  sandbox: InstitutionEndpoint;
  /** Upper bound of every outbound call to an institution (connect + response + body). */
  httpTimeoutMs: number;
  /** An access token this close to expiry is refreshed before use. */
  refreshLeadSeconds: number;
}

/** Background jobs on BullMQ; they run only where Redis is configured. */
export interface JobsConfig {
  /** Prefix of every BullMQ key, so several deployments (or test runs) can share one Redis index. */
  queuePrefix: string;
  tokenRefresh: {
    /** Seconds between scans for tokens inside the lead time; 0 = off in this instance. */
    scanSeconds: number;
    /** Connections read and enqueued per query. */
    batchSize: number;
    /** Refresh jobs one instance runs at once. */
    concurrency: number;
    /** Tries of one refresh before the job gives up (the next scan enqueues it again). */
    attempts: number;
    /** First retry delay; doubles with every further try. */
    backoffMs: number;
  };
}

export interface DashtamConfig {
  app: AppConfig;
  tls: TlsFiles;
  database: DatabaseConfig;
  redis: RedisConfig;
  callback: CallbackConfig;
  sandbox: SandboxConfig;
  crypto: CryptoConfig;
  auth: AuthConfig;
  mail: MailConfig;
  providers: ProvidersConfig;
  jobs: JobsConfig;
}
