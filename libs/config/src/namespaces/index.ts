import * as Joi from 'joi';

import { appConfig, appNamespace } from './app.config';
import { authConfig, authNamespace } from './auth.config';
import { callbackConfig, callbackNamespace } from './callback.config';
import { cryptoConfig, cryptoNamespace } from './crypto.config';
import { databaseConfig, databaseNamespace } from './database.config';
import { jobsConfig, jobsNamespace } from './jobs.config';
import { mailConfig, mailNamespace } from './mail.config';
import { providersConfig, providersNamespace } from './providers.config';
import { redisConfig, redisNamespace } from './redis.config';
import { sandboxConfig, sandboxNamespace } from './sandbox.config';
import { syncConfig, syncNamespace } from './sync.config';
import { tlsConfig, tlsNamespace } from './tls.config';

export * from './app.config';
export * from './auth.config';
export * from './callback.config';
export * from './crypto.config';
export * from './database.config';
export * from './jobs.config';
export * from './mail.config';
export * from './providers.config';
export * from './redis.config';
export * from './sandbox.config';
export * from './sync.config';
export * from './tls.config';

// Namespace files import getConfig lazily (inside their registerAs factory); everything computed from
// them at load time lives here, after every namespace file has been evaluated.

/** Every namespace, in the order of DashtamConfig; the loader validates and maps them all at once. */
export const CONFIG_NAMESPACES = [
  appNamespace,
  tlsNamespace,
  databaseNamespace,
  redisNamespace,
  callbackNamespace,
  sandboxNamespace,
  cryptoNamespace,
  authNamespace,
  mailNamespace,
  providersNamespace,
  jobsNamespace,
  syncNamespace,
] as const;

/** The `registerAs` factories DashtamConfigModule loads; inject one with `@Inject(databaseConfig.KEY)`. */
export const ALL_NAMESPACES = [
  appConfig,
  tlsConfig,
  databaseConfig,
  redisConfig,
  callbackConfig,
  sandboxConfig,
  cryptoConfig,
  authConfig,
  mailConfig,
  providersConfig,
  jobsConfig,
  syncConfig,
];

const VARIABLES = CONFIG_NAMESPACES.flatMap((namespace) => Object.entries(namespace.variables));

/**
 * The one schema for every variable Dashtam reads, assembled from the namespaces. Values arrive as
 * strings (defaults, env file, process environment, in that order) and leave converted.
 */
export const envSchema = Joi.object(Object.fromEntries(VARIABLES.map(([name, variable]) => [name, variable.rule])));

/** Variables that hold secrets, as their namespaces declare them with `secret()`. */
export const SENSITIVE_ENV_KEYS: readonly string[] = VARIABLES.filter(([, variable]) => variable.sensitive).map(
  ([name]) => name,
);
