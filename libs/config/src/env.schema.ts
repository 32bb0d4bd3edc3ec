import * as Joi from 'joi';

import { ENVIRONMENTS } from './environment';

const bool = Joi.boolean().truthy('1', 'yes').falsy('0', 'no', '');
const port = Joi.number().integer().min(0).max(65535);
const url = (schemes: string[]) => Joi.string().uri({ scheme: schemes });
// `KEYID:BASE64` entries, comma separated; each key decodes to exactly 32 bytes (checked in crypto config).
const keyRing = Joi.string().pattern(
  /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{40,}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{40,})*$/,
  'KEYID:BASE64[,KEYID:BASE64]',
);

/**
 * The one schema for every variable Dashtam reads. Values arrive as strings (defaults, env file,
 * process environment, in that order) and leave converted. See README "Configuration" for meanings.
 */
export const envSchema = Joi.object({
  ENVIRONMENT: Joi.string()
    .valid(...ENVIRONMENTS)
    .required(),
  TESTING: bool.required(),

  API_HOST: Joi.string().hostname().required(),
  API_PORT: port.required(),
  API_TLS: bool.required(),
  API_DOCS: bool.required(),
  API_PUBLIC_URL: url(['http', 'https']).required(),
  CORS_ORIGINS: Joi.string().allow('').required(),
  FRONTEND_URL: url(['http', 'https']).required(),
  BODY_LIMIT_BYTES: Joi.number().integer().min(1024).required(),
  SHUTDOWN_TIMEOUT_MS: Joi.number().integer().min(0).required(),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').required(),
  LOG_PRETTY: bool.required(),

  TLS_CERT_FILE: Joi.string().required(),
  TLS_KEY_FILE: Joi.string().required(),
  TLS_CA_FILE: Joi.string().allow('').required(),

  CALLBACK_HOST: Joi.string().hostname().required(),
  CALLBACK_PORT: port.required(),
  CALLBACK_TLS: bool.required(),
  CALLBACK_API_URL: url(['http', 'https']).required(),
  CALLBACK_PUBLIC_URL: url(['http', 'https']).required(),
  CALLBACK_SECRET: Joi.string().min(16).required(),
  CALLBACK_REDIRECT_URL: url(['http', 'https']).allow('').required(),
  CALLBACK_API_TIMEOUT_MS: Joi.number().integer().min(100).max(60_000).required(),

  SANDBOX_HOST: Joi.string().hostname().required(),
  SANDBOX_PORT: port.required(),
  SANDBOX_CONTROLS: bool.required(),
  SANDBOX_CLIENT_SECRET: Joi.string().min(8).required(),
  SANDBOX_CLIENT_ID: Joi.string().min(1).max(256).required(),
  // Empty: the catalog's `sandbox` provider is not configured (always the case in production).
  SANDBOX_BASE_URL: url(['http', 'https']).allow('').required(),
  // Registered redirect URIs beyond the callback app's own (CALLBACK_PUBLIC_URL + /callback), comma separated.
  SANDBOX_REDIRECT_URIS: Joi.string().allow('').required(),
  SANDBOX_ACCESS_TTL_SECONDS: Joi.number().integer().min(1).max(86_400).required(),
  SANDBOX_REFRESH_TTL_SECONDS: Joi.number().integer().min(1).max(31_536_000).required(),
  SANDBOX_CODE_TTL_SECONDS: Joi.number().integer().min(1).max(3_600).required(),
  SANDBOX_ROTATION: Joi.string().valid('rotating', 'static').required(),
  SANDBOX_REUSE_GRACE_SECONDS: Joi.number().integer().min(0).max(300).required(),
  SANDBOX_AUTO_APPROVE: bool.required(),
  SANDBOX_USER: Joi.string()
    .pattern(/^[A-Za-z0-9._@+-]{1,64}$/, 'letters, digits and . _ @ + -')
    .required(),
  SANDBOX_SEED: Joi.string().min(1).max(256).required(),
  SANDBOX_TRANSACTIONS_PER_ACCOUNT: Joi.number().integer().min(1).max(100_000).required(),

  SCHWAB_BASE_URL: url(['http', 'https']).required(),
  // Both empty: the catalog's `schwab` provider is not configured. Both or neither (load-config.ts).
  SCHWAB_CLIENT_ID: Joi.string().allow('').max(256).required(),
  SCHWAB_CLIENT_SECRET: Joi.string().allow('').max(256).required(),
  PROVIDER_HTTP_TIMEOUT_MS: Joi.number().integer().min(100).max(120000).required(),
  PROVIDER_TOKEN_REFRESH_LEAD_SECONDS: Joi.number().integer().min(0).max(3600).required(),

  // Background jobs (BullMQ on REDIS_URL). 0 seconds: this instance neither schedules nor runs proactive refreshes.
  JOBS_QUEUE_PREFIX: Joi.string()
    .pattern(/^[A-Za-z0-9:_-]{1,64}$/, 'letters, digits, ":", "_" or "-"')
    .required(),
  PROVIDER_REFRESH_SCAN_SECONDS: Joi.number().integer().min(0).max(3600).required(),
  PROVIDER_REFRESH_BATCH_SIZE: Joi.number().integer().min(1).max(10_000).required(),
  PROVIDER_REFRESH_CONCURRENCY: Joi.number().integer().min(1).max(100).required(),
  PROVIDER_REFRESH_ATTEMPTS: Joi.number().integer().min(1).max(50).required(),
  PROVIDER_REFRESH_BACKOFF_MS: Joi.number().integer().min(100).max(3_600_000).required(),

  DATABASE_URL: url(['postgres', 'postgresql']).required(),
  DATABASE_ADMIN_URL: url(['postgres', 'postgresql']).allow('').required(),
  DATABASE_SSL: bool.required(),
  DATABASE_POOL_MAX: Joi.number().integer().min(1).max(200).required(),
  DATABASE_SYNCHRONIZE: bool.required(),
  DATABASE_MIGRATIONS_RUN: bool.required(),

  REDIS_URL: url(['redis', 'rediss']).allow('').required(),

  JWT_SECRET: Joi.string().min(32).required(),
  TOKEN_ENCRYPTION_KEYS: keyRing.required(),
  TOKEN_ENCRYPTION_ACTIVE_KEY_ID: Joi.string().allow('').default(''),

  DISABLE_EXTERNAL_CALLS: bool.required(),

  // Addresses/CIDRs (or proxy-addr names: loopback, linklocal, uniquelocal) whose X-Forwarded-For is believed.
  TRUST_PROXY: Joi.string()
    .allow('')
    .pattern(/^[A-Za-z0-9.:/]+(\s*,\s*[A-Za-z0-9.:/]+)*$/, 'comma-separated addresses or CIDRs')
    .required(),

  AUTH_ACCESS_TOKEN_TTL_SECONDS: Joi.number().integer().min(30).max(3600).required(),
  AUTH_REFRESH_TOKEN_TTL_SECONDS: Joi.number().integer().min(300).required(),
  // SPEC §8: a revoked session's access tokens fail within 5 seconds.
  AUTH_SESSION_CACHE_TTL_SECONDS: Joi.number().integer().min(0).max(5).required(),
  AUTH_REQUIRE_VERIFIED_EMAIL: bool.required(),
  AUTH_EMAIL_VERIFICATION_TTL_SECONDS: Joi.number().integer().min(60).required(),
  AUTH_PASSWORD_RESET_TTL_SECONDS: Joi.number().integer().min(60).max(3600).required(),
  AUTH_ARGON2_MEMORY_KIB: Joi.number().integer().min(1024).max(4194304).required(),
  AUTH_ARGON2_TIME_COST: Joi.number().integer().min(1).max(20).required(),
  AUTH_ARGON2_PARALLELISM: Joi.number().integer().min(1).max(16).required(),
  AUTH_LOCKOUT_THRESHOLD: Joi.number().integer().min(1).required(),
  AUTH_LOCKOUT_WINDOW_SECONDS: Joi.number().integer().min(1).required(),
  AUTH_LOCKOUT_DURATION_SECONDS: Joi.number().integer().min(1).required(),
  AUTH_RATE_LIMIT_WINDOW_SECONDS: Joi.number().integer().min(1).required(),
  AUTH_RATE_LIMIT_PER_IP: Joi.number().integer().min(1).required(),
  AUTH_RATE_LIMIT_PER_ACCOUNT: Joi.number().integer().min(1).required(),

  SMTP_URL: url(['smtp', 'smtps']).allow('').required(),
  MAIL_FROM: Joi.string().min(3).required(),
  MAIL_DIR: Joi.string().required(),
})
  // Production: the real environment must supply what development gets for free.
  .when(Joi.object({ ENVIRONMENT: Joi.valid('production') }).unknown(), {
    then: Joi.object({
      DATABASE_SYNCHRONIZE: Joi.valid(false).messages({
        'any.only': '"DATABASE_SYNCHRONIZE" must be false in production: the schema changes through migrations only',
      }),
      SANDBOX_CONTROLS: Joi.valid(false).messages({
        'any.only': '"SANDBOX_CONTROLS" must be false in production',
      }),
      AUTH_REQUIRE_VERIFIED_EMAIL: Joi.valid(true).messages({
        'any.only': '"AUTH_REQUIRE_VERIFIED_EMAIL" must be true in production',
      }),
      // OWASP's floor for argon2id: 19 MiB, 2 iterations.
      AUTH_ARGON2_MEMORY_KIB: Joi.number().integer().min(19456),
      AUTH_ARGON2_TIME_COST: Joi.number().integer().min(2),
    }),
  })
  .when(Joi.object({ ENVIRONMENT: Joi.valid('testing', 'ci') }).unknown(), {
    then: Joi.object({ DATABASE_SYNCHRONIZE: Joi.valid(false) }),
  });
