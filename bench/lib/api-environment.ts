import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import { TokenCipherService } from '@dashtam/crypto';

/**
 * Secrets minted for one run, strong enough for production's refusal of weak ones
 * (libs/config/src/production-secrets.ts): 256 random bits each, never written anywhere.
 */
export interface BenchSecrets {
  jwtSecret: string;
  callbackSecret: string;
  /** TOKEN_ENCRYPTION_KEYS: one random AES-256 key. */
  tokenKeys: string;
  sandboxClientSecret: string;
}

export function mintSecrets(): BenchSecrets {
  return {
    jwtSecret: randomBytes(32).toString('hex'),
    callbackSecret: randomBytes(32).toString('hex'),
    tokenKeys: `bench:${randomBytes(32).toString('base64')}`,
    sandboxClientSecret: randomBytes(16).toString('hex'),
  };
}

/** The api's own cipher for this run's key ring (the refresh sweep seals its seeded tokens with it). */
export function benchCipher(secrets: BenchSecrets): TokenCipherService {
  const [id, key] = secrets.tokenKeys.split(':');
  return new TokenCipherService({ keys: new Map([[id, Buffer.from(key, 'base64')]]), activeKeyId: id });
}

/** The institution the api links to: the Sandbox, which speaks Schwab's wire protocol, as `schwab`. */
export interface InstitutionEndpoint {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface ApiEnvironmentInput {
  secrets: BenchSecrets;
  databaseUrl: string;
  redisUrl: string;
  institution: InstitutionEndpoint;
  mailDir: string;
  queuePrefix: string;
  port: number;
}

/** Where the callback app would live; the bench never starts it (the frontend's completion is done directly). */
export const CALLBACK_PUBLIC_URL = 'https://127.0.0.1:8182';
export const REDIRECT_URI = `${CALLBACK_PUBLIC_URL}/callback`;

/**
 * glibc's allocator keeps what argon2 frees (19 MiB per hash, in the thread pool's arenas) unless large
 * blocks are always mapped and unmapped: ~100 MiB of RSS after the first few concurrent logins, kept for
 * good. The production image should set the same in its environment (bench/README.md, "Memory").
 */
export const MALLOC_ENVIRONMENT = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' } as const;

/**
 * Node's on-disk compile cache, as the production image sets it (NODE_COMPILE_CACHE): every start after the
 * first skips compiling the api's modules. The bench empties it at the start of a run, so the first (migrating)
 * start fills it and the measured cold starts are restarts, as a deployment's are.
 */
export const COMPILE_CACHE_DIR = join(__dirname, '..', '..', '.data', 'bench', 'compile-cache');

/**
 * The whole environment of an api process, as a production deployment sets it (production reads no env
 * file): nothing is inherited from the shell that runs the bench. Differences from a real deployment, each
 * for the bench's sake: loopback HTTP without TLS to PostgreSQL (explicitly acknowledged), the Sandbox as
 * the `schwab` institution, mail to files (seeding reads the verification links), generous per-address
 * rate limits (every seeded user registers from 127.0.0.1) and hour-long access tokens (a long run must
 * not outlive its tokens).
 */
export function apiEnvironment(input: ApiEnvironmentInput, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ENVIRONMENT: 'production',
    NODE_ENV: 'production',
    ...MALLOC_ENVIRONMENT,
    NODE_COMPILE_CACHE: COMPILE_CACHE_DIR,
    TZ: 'UTC',
    API_HOST: '127.0.0.1',
    API_PORT: String(input.port),
    API_TLS: 'false',
    LOG_LEVEL: 'warn',
    DATABASE_URL: input.databaseUrl,
    DATABASE_SSL: 'false',
    DATABASE_SSL_DISABLED_I_UNDERSTAND: 'true',
    REDIS_URL: input.redisUrl,
    JWT_SECRET: input.secrets.jwtSecret,
    TOKEN_ENCRYPTION_KEYS: input.secrets.tokenKeys,
    CALLBACK_SECRET: input.secrets.callbackSecret,
    CALLBACK_PUBLIC_URL,
    CALLBACK_REDIRECT_URL: 'http://127.0.0.1:3000/linked',
    SCHWAB_BASE_URL: input.institution.baseUrl,
    SCHWAB_CLIENT_ID: input.institution.clientId,
    SCHWAB_CLIENT_SECRET: input.institution.clientSecret,
    // Validated in every environment, though production never offers the sandbox provider.
    SANDBOX_CLIENT_SECRET: input.secrets.sandboxClientSecret,
    MAIL_DIR: input.mailDir,
    AUTH_RATE_LIMIT_PER_IP: '1000000',
    AUTH_RATE_LIMIT_PER_ACCOUNT: '1000000',
    AUTH_ACCESS_TOKEN_TTL_SECONDS: '3600',
    JOBS_QUEUE_PREFIX: input.queuePrefix,
    ...extra,
  };
}
