import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { registerAs } from '@nestjs/config';
import * as Joi from 'joi';

import { defineNamespace } from '../config-namespace';
import { ENVIRONMENTS, type Environment } from '../environment';
import { bool, type EnvOf, flag, integer, list, oneOf, port, text, url, withoutTrailingSlash } from '../env-variable';
import { getConfig } from '../load-config';

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
  /** Largest file `POST /api/v1/imports` takes (bytes of the file itself); larger is a 413. */
  importMaxBytes: number;
  shutdownTimeoutMs: number;
  logLevel: string;
  logPretty: boolean;
  disableExternalCalls: boolean;
  /** Fastify `trustProxy`: proxies whose X-Forwarded-For is believed; false trusts none. */
  trustProxy: string[] | false;
}

const variables = {
  ENVIRONMENT: oneOf(ENVIRONMENTS),
  TESTING: flag(bool.required()),
  API_HOST: text(Joi.string().hostname().required()),
  API_PORT: integer(port.required()),
  API_TLS: flag(bool.required()),
  API_DOCS: flag(bool.required()),
  API_PUBLIC_URL: text(url(['http', 'https']).required()),
  CORS_ORIGINS: text(Joi.string().allow('').required()),
  FRONTEND_URL: text(url(['http', 'https']).required()),
  BODY_LIMIT_BYTES: integer(Joi.number().integer().min(1024).required()),
  IMPORT_MAX_BYTES: integer(Joi.number().integer().min(1024).max(104_857_600).required()),
  SHUTDOWN_TIMEOUT_MS: integer(Joi.number().integer().min(0).required()),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  LOG_PRETTY: flag(bool.required()),
  DISABLE_EXTERNAL_CALLS: flag(bool.required()),
  // Addresses/CIDRs (or proxy-addr names: loopback, linklocal, uniquelocal) whose X-Forwarded-For is believed.
  TRUST_PROXY: text(
    Joi.string()
      .allow('')
      .pattern(/^[A-Za-z0-9.:/]+(\s*,\s*[A-Za-z0-9.:/]+)*$/, 'comma-separated addresses or CIDRs')
      .required(),
  ),
};

/** Read by namespaces whose rules depend on the environment. */
export type AppEnv = EnvOf<typeof variables>;

function readVersion(cwd: string): string {
  try {
    return (JSON.parse(readFileSync(resolve(cwd, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export const appNamespace = defineNamespace({
  name: 'app',
  variables,
  map: (env, { cwd }): AppConfig => ({
    environment: env.ENVIRONMENT,
    testing: env.TESTING,
    name: 'dashtam',
    version: readVersion(cwd),
    host: env.API_HOST,
    port: env.API_PORT,
    tls: env.API_TLS,
    docs: env.API_DOCS,
    publicUrl: withoutTrailingSlash(env.API_PUBLIC_URL),
    corsOrigins: list(env.CORS_ORIGINS),
    frontendUrl: withoutTrailingSlash(env.FRONTEND_URL),
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    importMaxBytes: env.IMPORT_MAX_BYTES,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    logLevel: env.LOG_LEVEL,
    logPretty: env.LOG_PRETTY,
    disableExternalCalls: env.DISABLE_EXTERNAL_CALLS,
    trustProxy: list(env.TRUST_PROXY).length > 0 ? list(env.TRUST_PROXY) : false,
  }),
});

export const appConfig = registerAs('app', (): AppConfig => getConfig().app);
