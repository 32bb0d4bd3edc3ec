import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { parse as parseDotenv } from 'dotenv';

import { ConfigValidationError } from './config-validation.error';
import type { DashtamConfig } from './dashtam-config';
import { DEVELOPMENT_SECRETS, ENVIRONMENT_DEFAULTS } from './defaults';
import { envSchema } from './env.schema';
import { ENV_FILES, ENVIRONMENTS, type Environment } from './environment';

type Source = Record<string, string | undefined>;
type Validated = Record<string, unknown>;

export interface LoadConfigOptions {
  /** Where env files are looked up; the repository root by default. */
  cwd?: string;
}

/**
 * defaults in code → env file chosen by ENVIRONMENT → process environment; then one joi pass that
 * reports every problem at once. Pure apart from reading the env file, so tests can call it freely.
 */
export function loadConfig(source: Source, options: LoadConfigOptions = {}): DashtamConfig {
  const cwd = options.cwd ?? process.cwd();
  const environment = (source.ENVIRONMENT ?? 'development') as Environment;
  if (!ENVIRONMENTS.includes(environment)) {
    throw new ConfigValidationError([`"ENVIRONMENT" must be one of ${ENVIRONMENTS.join(', ')}`]);
  }

  const fileValues: Source = {};
  for (const file of ENV_FILES[environment]) {
    const path = resolve(cwd, file);
    if (existsSync(path)) Object.assign(fileValues, parseDotenv(readFileSync(path)));
  }

  const known = Object.keys(envSchema.describe().keys ?? {});
  const merged: Source = { ...ENVIRONMENT_DEFAULTS[environment], ...fileValues, ENVIRONMENT: environment };
  for (const key of known) if (source[key] !== undefined) merged[key] = source[key];

  const { value, error } = envSchema.validate(merged, {
    abortEarly: false,
    allowUnknown: true,
    stripUnknown: true,
    convert: true,
    // joi's default messages quote the offending value for some rules; ours never do.
    messages: {
      'string.pattern.base': '{{#label}} does not have the expected format',
      'string.pattern.name': '{{#label}} does not have the expected format ({{#name}})',
      'string.uri': '{{#label}} must be a valid URL',
      'string.uriCustomScheme': '{{#label}} must be a URL with scheme {{#scheme}}',
      'any.only': '{{#label}} has a value that is not allowed',
    },
  });
  const problems = error ? error.details.map((d) => d.message) : [];
  const invalid = new Set((error?.details ?? []).map((d) => String(d.path[0])));
  const env = value as Validated;
  problems.push(...semanticProblems(env, invalid));
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return toConfig(env, cwd);
}

/** Rules joi cannot express; variables that already failed validation are not checked again. */
function semanticProblems(env: Validated, invalid: Set<string>): string[] {
  const problems: string[] = [];
  if (env.ENVIRONMENT === 'production') {
    // Several instances share rate limits, OAuth state and locks: memory is not an option here.
    if (!env.REDIS_URL) problems.push('"REDIS_URL" is required in production');
    for (const [key, devValue] of Object.entries(DEVELOPMENT_SECRETS)) {
      const value = String(env[key] ?? '');
      const devEntries = devValue.split(',');
      if (value === devValue || value.split(',').some((entry) => devEntries.includes(entry))) {
        problems.push(`"${key}" uses a development default; production needs a real secret`);
      }
    }
  }
  if (Boolean(env.SCHWAB_CLIENT_ID) !== Boolean(env.SCHWAB_CLIENT_SECRET)) {
    problems.push('"SCHWAB_CLIENT_ID" and "SCHWAB_CLIENT_SECRET" must be set together');
  }
  if (!invalid.has('DATABASE_URL') && databaseName(String(env.DATABASE_URL)) === '') {
    problems.push('"DATABASE_URL" must name a database');
  }
  if (invalid.has('TOKEN_ENCRYPTION_KEYS')) return problems;
  const ring = parseKeyRing(String(env.TOKEN_ENCRYPTION_KEYS));
  for (const [id, key] of ring) {
    if (key.length !== 32) problems.push(`"TOKEN_ENCRYPTION_KEYS" key "${id}" must decode to 32 bytes`);
  }
  const active = String(env.TOKEN_ENCRYPTION_ACTIVE_KEY_ID || [...ring.keys()][0]);
  if (!ring.has(active))
    problems.push(`"TOKEN_ENCRYPTION_ACTIVE_KEY_ID" names a key that is not in TOKEN_ENCRYPTION_KEYS`);
  return problems;
}

function parseKeyRing(value: string): Map<string, Buffer> {
  const ring = new Map<string, Buffer>();
  for (const entry of value.split(',')) {
    const [id, b64] = entry.split(':');
    ring.set(id, Buffer.from(b64, 'base64'));
  }
  return ring;
}

export function databaseName(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  } catch {
    return '';
  }
}

function readVersion(cwd: string): string {
  try {
    return (JSON.parse(readFileSync(resolve(cwd, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

const optional = (value: unknown): string | null => (value === '' || value === undefined ? null : String(value));
const list = (value: unknown): string[] =>
  String(value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

function toConfig(env: Validated, cwd: string): DashtamConfig {
  const ring = parseKeyRing(String(env.TOKEN_ENCRYPTION_KEYS));
  const callbackPublicUrl = String(env.CALLBACK_PUBLIC_URL).replace(/\/$/, '');
  return {
    app: {
      environment: env.ENVIRONMENT as Environment,
      testing: env.TESTING as boolean,
      name: 'dashtam',
      version: readVersion(cwd),
      host: env.API_HOST as string,
      port: env.API_PORT as number,
      tls: env.API_TLS as boolean,
      docs: env.API_DOCS as boolean,
      publicUrl: String(env.API_PUBLIC_URL).replace(/\/$/, ''),
      corsOrigins: String(env.CORS_ORIGINS)
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
      frontendUrl: String(env.FRONTEND_URL).replace(/\/$/, ''),
      bodyLimitBytes: env.BODY_LIMIT_BYTES as number,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS as number,
      logLevel: env.LOG_LEVEL as string,
      logPretty: env.LOG_PRETTY as boolean,
      disableExternalCalls: env.DISABLE_EXTERNAL_CALLS as boolean,
      trustProxy: list(env.TRUST_PROXY).length > 0 ? list(env.TRUST_PROXY) : false,
    },
    tls: {
      certFile: resolve(cwd, String(env.TLS_CERT_FILE)),
      keyFile: resolve(cwd, String(env.TLS_KEY_FILE)),
      caFile: optional(env.TLS_CA_FILE) && resolve(cwd, String(env.TLS_CA_FILE)),
    },
    database: {
      url: env.DATABASE_URL as string,
      name: databaseName(String(env.DATABASE_URL)),
      adminUrl: optional(env.DATABASE_ADMIN_URL),
      ssl: env.DATABASE_SSL as boolean,
      caFile: optional(env.TLS_CA_FILE),
      poolMax: env.DATABASE_POOL_MAX as number,
      synchronize: env.DATABASE_SYNCHRONIZE as boolean,
      migrationsRun: env.DATABASE_MIGRATIONS_RUN as boolean,
    },
    redis: { url: optional(env.REDIS_URL) },
    callback: {
      host: env.CALLBACK_HOST as string,
      port: env.CALLBACK_PORT as number,
      tls: env.CALLBACK_TLS as boolean,
      apiUrl: String(env.CALLBACK_API_URL).replace(/\/$/, ''),
      publicUrl: callbackPublicUrl,
      redirectUri: `${callbackPublicUrl}/callback`,
      secret: env.CALLBACK_SECRET as string,
      resultRedirectUrl: optional(env.CALLBACK_REDIRECT_URL),
      apiTimeoutMs: env.CALLBACK_API_TIMEOUT_MS as number,
    },
    sandbox: {
      host: env.SANDBOX_HOST as string,
      port: env.SANDBOX_PORT as number,
      controls: env.SANDBOX_CONTROLS as boolean,
      clientId: env.SANDBOX_CLIENT_ID as string,
      clientSecret: env.SANDBOX_CLIENT_SECRET as string,
      redirectUris: String(env.SANDBOX_REDIRECT_URIS)
        .split(',')
        .map((uri) => uri.trim())
        .filter(Boolean),
      accessTtlSeconds: env.SANDBOX_ACCESS_TTL_SECONDS as number,
      refreshTtlSeconds: env.SANDBOX_REFRESH_TTL_SECONDS as number,
      codeTtlSeconds: env.SANDBOX_CODE_TTL_SECONDS as number,
      rotation: env.SANDBOX_ROTATION as 'rotating' | 'static',
      reuseGraceSeconds: env.SANDBOX_REUSE_GRACE_SECONDS as number,
      autoApprove: env.SANDBOX_AUTO_APPROVE as boolean,
      user: env.SANDBOX_USER as string,
      seed: env.SANDBOX_SEED as string,
      transactionsPerAccount: env.SANDBOX_TRANSACTIONS_PER_ACCOUNT as number,
    },
    crypto: {
      keys: ring,
      activeKeyId: String(env.TOKEN_ENCRYPTION_ACTIVE_KEY_ID || [...ring.keys()][0]),
    },
    auth: {
      jwtSecret: env.JWT_SECRET as string,
      accessTokenTtlSeconds: env.AUTH_ACCESS_TOKEN_TTL_SECONDS as number,
      refreshTokenTtlSeconds: env.AUTH_REFRESH_TOKEN_TTL_SECONDS as number,
      sessionCacheTtlSeconds: env.AUTH_SESSION_CACHE_TTL_SECONDS as number,
      requireVerifiedEmail: env.AUTH_REQUIRE_VERIFIED_EMAIL as boolean,
      emailVerificationTtlSeconds: env.AUTH_EMAIL_VERIFICATION_TTL_SECONDS as number,
      passwordResetTtlSeconds: env.AUTH_PASSWORD_RESET_TTL_SECONDS as number,
      argon2: {
        memoryKib: env.AUTH_ARGON2_MEMORY_KIB as number,
        timeCost: env.AUTH_ARGON2_TIME_COST as number,
        parallelism: env.AUTH_ARGON2_PARALLELISM as number,
      },
      lockout: {
        threshold: env.AUTH_LOCKOUT_THRESHOLD as number,
        windowSeconds: env.AUTH_LOCKOUT_WINDOW_SECONDS as number,
        durationSeconds: env.AUTH_LOCKOUT_DURATION_SECONDS as number,
      },
      rateLimit: {
        windowSeconds: env.AUTH_RATE_LIMIT_WINDOW_SECONDS as number,
        perIp: env.AUTH_RATE_LIMIT_PER_IP as number,
        perAccount: env.AUTH_RATE_LIMIT_PER_ACCOUNT as number,
      },
    },
    mail: {
      smtpUrl: optional(env.SMTP_URL),
      from: env.MAIL_FROM as string,
      dir: resolve(cwd, String(env.MAIL_DIR)),
    },
    providers: {
      schwab: {
        baseUrl: String(env.SCHWAB_BASE_URL).replace(/\/$/, ''),
        clientId: optional(env.SCHWAB_CLIENT_ID),
        clientSecret: optional(env.SCHWAB_CLIENT_SECRET),
      },
      sandbox: {
        baseUrl: optional(env.SANDBOX_BASE_URL)?.replace(/\/$/, '') ?? null,
        clientId: env.SANDBOX_CLIENT_ID as string,
        clientSecret: env.SANDBOX_CLIENT_SECRET as string,
      },
      httpTimeoutMs: env.PROVIDER_HTTP_TIMEOUT_MS as number,
      refreshLeadSeconds: env.PROVIDER_TOKEN_REFRESH_LEAD_SECONDS as number,
    },
    jobs: {
      queuePrefix: env.JOBS_QUEUE_PREFIX as string,
      tokenRefresh: {
        scanSeconds: env.PROVIDER_REFRESH_SCAN_SECONDS as number,
        batchSize: env.PROVIDER_REFRESH_BATCH_SIZE as number,
        concurrency: env.PROVIDER_REFRESH_CONCURRENCY as number,
        attempts: env.PROVIDER_REFRESH_ATTEMPTS as number,
        backoffMs: env.PROVIDER_REFRESH_BACKOFF_MS as number,
      },
    },
  };
}

let cached: DashtamConfig | undefined;

/** The process's configuration, validated once. The only reader of `process.env` in Dashtam. */
export function getConfig(): DashtamConfig {
  cached ??= loadConfig(process.env);
  return cached;
}
