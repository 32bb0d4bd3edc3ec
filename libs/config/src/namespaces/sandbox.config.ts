import { registerAs } from '@nestjs/config';
import * as Joi from 'joi';

import { defineNamespace } from '../config-namespace';
import { bool, type EnvOf, flag, integer, list, oneOf, port, secret, text } from '../env-variable';
import { getConfig } from '../load-config';

/** The Sandbox institution's own settings (apps/sandbox); how Dashtam reaches it is in `providers`. */
export interface SandboxConfig {
  host: string;
  port: number;
  controls: boolean;
  /** The OAuth client the Sandbox institution knows (its client secret is `clientSecret`). */
  clientId: string;
  clientSecret: string;
  /** Extra registered redirect URIs; the callback's `redirectUri` is always registered too. */
  redirectUris: string[];
  accessTtlSeconds: number;
  /** Fixed when a code is exchanged; refreshing never extends it (Schwab's 7 days). */
  refreshTtlSeconds: number;
  codeTtlSeconds: number;
  rotation: 'rotating' | 'static';
  /**
   * Rotating only: seconds after a rotation during which the rotated-out refresh token may be presented
   * once more (a client whose answer was lost), 0 = none. See RuntimeSettings in apps/sandbox.
   */
  reuseGraceSeconds: number;
  /** Skip the consent page: approve every valid request as `user`. */
  autoApprove: boolean;
  user: string;
  seed: string;
  transactionsPerAccount: number;
}

const variables = {
  SANDBOX_HOST: text(Joi.string().hostname().required()),
  SANDBOX_PORT: integer(port.required()),
  SANDBOX_CONTROLS: flag(
    bool.required().when('ENVIRONMENT', {
      is: 'production',
      then: Joi.valid(false).messages({ 'any.only': '"SANDBOX_CONTROLS" must be false in production' }),
    }),
  ),
  // The OAuth client Dashtam is at the Sandbox; the providers namespace reads the same two variables.
  SANDBOX_CLIENT_ID: text(Joi.string().min(1).max(256).required()),
  SANDBOX_CLIENT_SECRET: secret(text(Joi.string().min(8).required())),
  // Registered redirect URIs beyond the callback app's own (CALLBACK_PUBLIC_URL + /callback), comma separated.
  SANDBOX_REDIRECT_URIS: text(Joi.string().allow('').required()),
  SANDBOX_ACCESS_TTL_SECONDS: integer(Joi.number().integer().min(1).max(86_400).required()),
  SANDBOX_REFRESH_TTL_SECONDS: integer(Joi.number().integer().min(1).max(31_536_000).required()),
  SANDBOX_CODE_TTL_SECONDS: integer(Joi.number().integer().min(1).max(3_600).required()),
  SANDBOX_ROTATION: oneOf(['rotating', 'static']),
  SANDBOX_REUSE_GRACE_SECONDS: integer(Joi.number().integer().min(0).max(300).required()),
  SANDBOX_AUTO_APPROVE: flag(bool.required()),
  SANDBOX_USER: text(
    Joi.string()
      .pattern(/^[A-Za-z0-9._@+-]{1,64}$/, 'letters, digits and . _ @ + -')
      .required(),
  ),
  SANDBOX_SEED: text(Joi.string().min(1).max(256).required()),
  SANDBOX_TRANSACTIONS_PER_ACCOUNT: integer(Joi.number().integer().min(1).max(100_000).required()),
};

export type SandboxEnv = EnvOf<typeof variables>;

export const sandboxNamespace = defineNamespace({
  name: 'sandbox',
  variables,
  map: (env): SandboxConfig => ({
    host: env.SANDBOX_HOST,
    port: env.SANDBOX_PORT,
    controls: env.SANDBOX_CONTROLS,
    clientId: env.SANDBOX_CLIENT_ID,
    clientSecret: env.SANDBOX_CLIENT_SECRET,
    redirectUris: list(env.SANDBOX_REDIRECT_URIS),
    accessTtlSeconds: env.SANDBOX_ACCESS_TTL_SECONDS,
    refreshTtlSeconds: env.SANDBOX_REFRESH_TTL_SECONDS,
    codeTtlSeconds: env.SANDBOX_CODE_TTL_SECONDS,
    rotation: env.SANDBOX_ROTATION,
    reuseGraceSeconds: env.SANDBOX_REUSE_GRACE_SECONDS,
    autoApprove: env.SANDBOX_AUTO_APPROVE,
    user: env.SANDBOX_USER,
    seed: env.SANDBOX_SEED,
    transactionsPerAccount: env.SANDBOX_TRANSACTIONS_PER_ACCOUNT,
  }),
});

export const sandboxConfig = registerAs('sandbox', (): SandboxConfig => getConfig().sandbox);
