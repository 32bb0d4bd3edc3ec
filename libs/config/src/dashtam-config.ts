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
}

export interface SandboxConfig {
  host: string;
  port: number;
  controls: boolean;
  clientSecret: string;
}

export interface CryptoConfig {
  /** key id → 32-byte AES key */
  keys: ReadonlyMap<string, Buffer>;
  activeKeyId: string;
}

export interface AuthConfig {
  jwtSecret: string;
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
}
