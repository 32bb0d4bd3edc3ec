import { registerAs } from '@nestjs/config';
import * as Joi from 'joi';

import { defineNamespace } from '../config-namespace';
import { type EnvOf, integer, list, optional, secret, text, url, withoutTrailingSlash } from '../env-variable';
import { getConfig } from '../load-config';
import type { SandboxEnv } from './sandbox.config';

/** Where an institution's OAuth and data endpoints live and the client credentials Dashtam uses there. */
export interface InstitutionEndpoint {
  /** null: not configured (no base URL). */
  baseUrl: string | null;
  clientId: string | null;
  clientSecret: string | null;
}

/** A host Dashtam may send SimpleFIN setup-token claims and Access URL reads to. */
export interface AllowedHost {
  /** Lower case, as the URL parser normalises it. */
  host: string;
  port: number;
}

export interface SimplefinConfig {
  /** Hosts (and ports) a setup token's claim URL and an Access URL may name; anything else is refused. */
  allowedHosts: AllowedHost[];
  /** `GET /accounts` calls per connection per UTC day (SimpleFIN Bridge expects ~24). */
  dailyBudget: number;
}

export interface AlpacaConfig {
  /** null: Alpaca's real hosts (paper or live, per the linked key's environment). */
  baseUrl: string | null;
}

export interface ProvidersConfig {
  schwab: InstitutionEndpoint;
  sandbox: InstitutionEndpoint;
  simplefin: SimplefinConfig;
  alpaca: AlpacaConfig;
  /** Upper bound of every outbound call to an institution (connect + response + body). */
  httpTimeoutMs: number;
  /** An access token this close to expiry is refreshed before use. */
  refreshLeadSeconds: number;
  /** A forced refresh (PATCH …/authorization) this soon after the last one answers without calling. */
  forcedRefreshMinIntervalSeconds: number;
}

const variables = {
  SCHWAB_BASE_URL: text(url(['http', 'https']).required()),
  // Both empty: the catalog's `schwab` provider is not configured. Both or neither (checked below).
  SCHWAB_CLIENT_ID: text(Joi.string().allow('').max(256).required()),
  SCHWAB_CLIENT_SECRET: secret(text(Joi.string().allow('').max(256).required())),
  // Empty: the catalog's `sandbox` provider is not configured (always the case in production).
  SANDBOX_BASE_URL: text(url(['http', 'https']).allow('').required()),
  // Comma separated `host` (port 443) or `host:port` entries.
  SIMPLEFIN_ALLOWED_HOSTS: text(
    Joi.string()
      .allow('')
      .pattern(
        /^\s*[A-Za-z0-9.-]+(:\d{1,5})?\s*(,\s*[A-Za-z0-9.-]+(:\d{1,5})?\s*)*$/,
        'host or host:port, comma separated',
      )
      .required(),
  ),
  SIMPLEFIN_DAILY_BUDGET: integer(Joi.number().integer().min(1).max(96).required()),
  // Empty: Alpaca's real hosts.
  ALPACA_BASE_URL: text(url(['http', 'https']).allow('').required()),
  PROVIDER_HTTP_TIMEOUT_MS: integer(Joi.number().integer().min(100).max(120000).required()),
  PROVIDER_TOKEN_REFRESH_LEAD_SECONDS: integer(Joi.number().integer().min(0).max(3600).required()),
  PROVIDER_FORCED_REFRESH_MIN_INTERVAL_SECONDS: integer(Joi.number().integer().min(0).max(3600).required()),
};

// The Sandbox's OAuth client is declared once, by the sandbox namespace; Dashtam is that client.
type ProvidersEnv = EnvOf<typeof variables> & Pick<SandboxEnv, 'SANDBOX_CLIENT_ID' | 'SANDBOX_CLIENT_SECRET'>;

export const providersNamespace = defineNamespace({
  name: 'providers',
  variables,
  check: (env) =>
    Boolean(env.SCHWAB_CLIENT_ID) !== Boolean(env.SCHWAB_CLIENT_SECRET)
      ? ['"SCHWAB_CLIENT_ID" and "SCHWAB_CLIENT_SECRET" must be set together']
      : [],
  map: (env: ProvidersEnv): ProvidersConfig => ({
    schwab: {
      baseUrl: withoutTrailingSlash(env.SCHWAB_BASE_URL),
      clientId: optional(env.SCHWAB_CLIENT_ID),
      clientSecret: optional(env.SCHWAB_CLIENT_SECRET),
    },
    sandbox: {
      baseUrl: optional(withoutTrailingSlash(env.SANDBOX_BASE_URL)),
      clientId: env.SANDBOX_CLIENT_ID,
      clientSecret: env.SANDBOX_CLIENT_SECRET,
    },
    simplefin: {
      allowedHosts: parseAllowedHosts(env.SIMPLEFIN_ALLOWED_HOSTS),
      dailyBudget: env.SIMPLEFIN_DAILY_BUDGET,
    },
    alpaca: { baseUrl: optional(withoutTrailingSlash(env.ALPACA_BASE_URL)) },
    httpTimeoutMs: env.PROVIDER_HTTP_TIMEOUT_MS,
    refreshLeadSeconds: env.PROVIDER_TOKEN_REFRESH_LEAD_SECONDS,
    forcedRefreshMinIntervalSeconds: env.PROVIDER_FORCED_REFRESH_MIN_INTERVAL_SECONDS,
  }),
});

/** `host` means port 443 (SimpleFIN Bridge speaks HTTPS only); `host:port` that exact port. */
export function parseAllowedHosts(value: string): AllowedHost[] {
  return list(value).map((entry) => {
    const [host, port] = entry.toLowerCase().split(':');
    return { host, port: port === undefined ? 443 : Number(port) };
  });
}

export const providersConfig = registerAs('providers', (): ProvidersConfig => getConfig().providers);
