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

  SANDBOX_HOST: Joi.string().hostname().required(),
  SANDBOX_PORT: port.required(),
  SANDBOX_CONTROLS: bool.required(),
  SANDBOX_CLIENT_SECRET: Joi.string().min(8).required(),

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
    }),
  })
  .when(Joi.object({ ENVIRONMENT: Joi.valid('testing', 'ci') }).unknown(), {
    then: Joi.object({ DATABASE_SYNCHRONIZE: Joi.valid(false) }),
  });
