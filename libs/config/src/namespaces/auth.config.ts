import { registerAs } from '@nestjs/config';
import * as Joi from 'joi';

import { defineNamespace } from '../config-namespace';
import { bool, flag, integer, secret, text } from '../env-variable';
import { getConfig } from '../load-config';

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

const count = (min: number): Joi.NumberSchema => Joi.number().integer().min(min);
// Production holds argon2id to OWASP's floor (19 MiB, 2 iterations); tests may go cheaper.
const inProductionAtLeast = (schema: Joi.NumberSchema, floor: number): Joi.NumberSchema =>
  schema.when('ENVIRONMENT', { is: 'production', then: Joi.number().min(floor) });

export const authNamespace = defineNamespace({
  name: 'auth',
  variables: {
    JWT_SECRET: secret(text(Joi.string().min(32).required())),
    AUTH_ACCESS_TOKEN_TTL_SECONDS: integer(count(30).max(3600).required()),
    AUTH_REFRESH_TOKEN_TTL_SECONDS: integer(count(300).required()),
    // SPEC §8: a revoked session's access tokens fail within 5 seconds.
    AUTH_SESSION_CACHE_TTL_SECONDS: integer(count(0).max(5).required()),
    AUTH_REQUIRE_VERIFIED_EMAIL: flag(
      bool.required().when('ENVIRONMENT', {
        is: 'production',
        then: Joi.valid(true).messages({ 'any.only': '"AUTH_REQUIRE_VERIFIED_EMAIL" must be true in production' }),
      }),
    ),
    AUTH_EMAIL_VERIFICATION_TTL_SECONDS: integer(count(60).required()),
    AUTH_PASSWORD_RESET_TTL_SECONDS: integer(count(60).max(3600).required()),
    AUTH_ARGON2_MEMORY_KIB: integer(inProductionAtLeast(count(1024).max(4194304).required(), 19456)),
    AUTH_ARGON2_TIME_COST: integer(inProductionAtLeast(count(1).max(20).required(), 2)),
    AUTH_ARGON2_PARALLELISM: integer(count(1).max(16).required()),
    AUTH_LOCKOUT_THRESHOLD: integer(count(1).required()),
    AUTH_LOCKOUT_WINDOW_SECONDS: integer(count(1).required()),
    AUTH_LOCKOUT_DURATION_SECONDS: integer(count(1).required()),
    AUTH_RATE_LIMIT_WINDOW_SECONDS: integer(count(1).required()),
    AUTH_RATE_LIMIT_PER_IP: integer(count(1).required()),
    AUTH_RATE_LIMIT_PER_ACCOUNT: integer(count(1).required()),
  },
  map: (env): AuthConfig => ({
    jwtSecret: env.JWT_SECRET,
    accessTokenTtlSeconds: env.AUTH_ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: env.AUTH_REFRESH_TOKEN_TTL_SECONDS,
    sessionCacheTtlSeconds: env.AUTH_SESSION_CACHE_TTL_SECONDS,
    requireVerifiedEmail: env.AUTH_REQUIRE_VERIFIED_EMAIL,
    emailVerificationTtlSeconds: env.AUTH_EMAIL_VERIFICATION_TTL_SECONDS,
    passwordResetTtlSeconds: env.AUTH_PASSWORD_RESET_TTL_SECONDS,
    argon2: {
      memoryKib: env.AUTH_ARGON2_MEMORY_KIB,
      timeCost: env.AUTH_ARGON2_TIME_COST,
      parallelism: env.AUTH_ARGON2_PARALLELISM,
    },
    lockout: {
      threshold: env.AUTH_LOCKOUT_THRESHOLD,
      windowSeconds: env.AUTH_LOCKOUT_WINDOW_SECONDS,
      durationSeconds: env.AUTH_LOCKOUT_DURATION_SECONDS,
    },
    rateLimit: {
      windowSeconds: env.AUTH_RATE_LIMIT_WINDOW_SECONDS,
      perIp: env.AUTH_RATE_LIMIT_PER_IP,
      perAccount: env.AUTH_RATE_LIMIT_PER_ACCOUNT,
    },
  }),
});

export const authConfig = registerAs('auth', (): AuthConfig => getConfig().auth);
