import type { Environment } from './environment';

/**
 * Secrets that are only ever acceptable on a developer's machine or in tests. `.env` and `.env.test`
 * use exactly these values; production refuses to start with any of them.
 */
export const DEVELOPMENT_SECRETS = {
  JWT_SECRET: 'dev-only-jwt-secret-change-me-0123456789abcdef',
  TOKEN_ENCRYPTION_KEYS: 'dev1:ZGV2LW9ubHktdG9rZW4ta2V5LW5ldmVyLWluLXByb2Q=',
  CALLBACK_SECRET: 'dev-only-callback-secret-change-me',
  SANDBOX_CLIENT_SECRET: 'sandbox-dev-client-secret',
} as const;

type Defaults = Record<string, string>;

const COMMON: Defaults = {
  TESTING: 'false',
  API_HOST: '127.0.0.1',
  API_PORT: '8000',
  API_PUBLIC_URL: 'https://localhost:8000',
  CALLBACK_HOST: '127.0.0.1',
  CALLBACK_PORT: '8182',
  CALLBACK_TLS: 'true',
  CALLBACK_API_URL: 'https://localhost:8000',
  CALLBACK_PUBLIC_URL: 'https://127.0.0.1:8182',
  SANDBOX_HOST: '127.0.0.1',
  SANDBOX_PORT: '8183',
  TLS_CERT_FILE: '.data/certs/localhost.crt',
  TLS_KEY_FILE: '.data/certs/localhost.key',
  TLS_CA_FILE: '',
  CORS_ORIGINS: 'http://localhost:3000',
  FRONTEND_URL: 'http://localhost:3000',
  LOG_LEVEL: 'info',
  LOG_PRETTY: 'false',
  DATABASE_POOL_MAX: '10',
  DATABASE_SSL: 'false',
  DATABASE_SYNCHRONIZE: 'false',
  DATABASE_ADMIN_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  REDIS_URL: '',
  SHUTDOWN_TIMEOUT_MS: '10000',
  BODY_LIMIT_BYTES: '1048576',
  DISABLE_EXTERNAL_CALLS: 'false',
  TRUST_PROXY: '',
  AUTH_ACCESS_TOKEN_TTL_SECONDS: '900',
  AUTH_REFRESH_TOKEN_TTL_SECONDS: '2592000',
  AUTH_SESSION_CACHE_TTL_SECONDS: '5',
  AUTH_REQUIRE_VERIFIED_EMAIL: 'true',
  AUTH_EMAIL_VERIFICATION_TTL_SECONDS: '86400',
  AUTH_PASSWORD_RESET_TTL_SECONDS: '900',
  AUTH_ARGON2_MEMORY_KIB: '19456',
  AUTH_ARGON2_TIME_COST: '2',
  AUTH_ARGON2_PARALLELISM: '1',
  AUTH_LOCKOUT_THRESHOLD: '5',
  AUTH_LOCKOUT_WINDOW_SECONDS: '900',
  AUTH_LOCKOUT_DURATION_SECONDS: '900',
  // Strict by default (production); .env and .env.test raise them for interactive use and test clients.
  AUTH_RATE_LIMIT_WINDOW_SECONDS: '60',
  AUTH_RATE_LIMIT_PER_IP: '20',
  AUTH_RATE_LIMIT_PER_ACCOUNT: '5',
  SMTP_URL: '',
  MAIL_FROM: 'Dashtam <no-reply@localhost>',
  MAIL_DIR: '.data/mail',
};

/** Per-environment defaults in code; the env file and then the process environment override them. */
export const ENVIRONMENT_DEFAULTS: Record<Environment, Defaults> = {
  development: {
    ...COMMON,
    ...DEVELOPMENT_SECRETS,
    API_TLS: 'true',
    API_DOCS: 'true',
    LOG_PRETTY: 'true',
    DATABASE_URL: 'postgres://dashtam_user:dashtam_dev_password@127.0.0.1:5432/dashtam',
    DATABASE_MIGRATIONS_RUN: 'true',
    SANDBOX_CONTROLS: 'true',
    AUTH_RATE_LIMIT_PER_IP: '600',
    AUTH_RATE_LIMIT_PER_ACCOUNT: '600',
  },
  testing: {
    ...COMMON,
    ...DEVELOPMENT_SECRETS,
    TESTING: 'true',
    API_TLS: 'false',
    API_PUBLIC_URL: 'http://127.0.0.1:8000',
    CALLBACK_API_URL: 'http://127.0.0.1:8000',
    API_DOCS: 'true',
    LOG_LEVEL: 'warn',
    DATABASE_URL: 'postgres://dashtam_test_user:dashtam_test_password@127.0.0.1:5432/dashtam_test',
    DATABASE_MIGRATIONS_RUN: 'false',
    REDIS_URL: 'redis://127.0.0.1:6379/1',
    DISABLE_EXTERNAL_CALLS: 'true',
    SANDBOX_CONTROLS: 'true',
    AUTH_RATE_LIMIT_PER_IP: '600',
    AUTH_RATE_LIMIT_PER_ACCOUNT: '600',
    // Cheap hashing keeps suites fast; production enforces OWASP's floor (env.schema.ts).
    AUTH_ARGON2_MEMORY_KIB: '4096',
    AUTH_ARGON2_TIME_COST: '1',
    MAIL_DIR: '.data/test-mail',
  },
  ci: {} as Defaults,
  production: {
    ...COMMON,
    API_HOST: '0.0.0.0',
    CALLBACK_HOST: '0.0.0.0',
    API_TLS: 'false',
    API_DOCS: 'false',
    DATABASE_SSL: 'true',
    DATABASE_MIGRATIONS_RUN: 'true',
    SANDBOX_CONTROLS: 'false',
  },
};
ENVIRONMENT_DEFAULTS.ci = { ...ENVIRONMENT_DEFAULTS.testing };
