import { registerAs } from '@nestjs/config';
import * as Joi from 'joi';

import { defineNamespace } from '../config-namespace';
import { bool, flag, integer, oneOf, optional, port, secret, text, url, withoutTrailingSlash } from '../env-variable';
import { getConfig } from '../load-config';

export interface CallbackConfig {
  host: string;
  port: number;
  tls: boolean;
  apiUrl: string;
  publicUrl: string;
  /** The exact redirect URI registered with institutions. */
  redirectUri: string;
  secret: string;
  /**
   * `complete`: the callback app completes the flow itself (POST /api/v1/oauth/callbacks) and shows a page.
   * `forward` (production): it redirects the browser to `redirectUrl` with the state and code, and the
   * frontend completes with the user's own bearer token (POST /api/v1/oauth/completions).
   */
  mode: CallbackMode;
  /** The frontend page `forward` mode sends the browser to; null in `complete` mode when unset. */
  redirectUrl: string | null;
  apiTimeoutMs: number;
}

export const CALLBACK_MODES = ['complete', 'forward'] as const;
export type CallbackMode = (typeof CALLBACK_MODES)[number];

// Completing in the callback app binds the flow to whoever's browser arrives (consent phishing);
// production binds it to the signed-in user instead (docs/linking.md).
const mode = {
  ...oneOf(CALLBACK_MODES),
  rule: Joi.string()
    .valid(...CALLBACK_MODES)
    .required()
    .when('ENVIRONMENT', {
      is: 'production',
      then: Joi.valid(Joi.override, 'forward').messages({
        'any.only': '"CALLBACK_MODE" must be forward in production: the frontend completes OAuth flows',
      }),
    }),
};

export const callbackNamespace = defineNamespace({
  name: 'callback',
  variables: {
    CALLBACK_HOST: text(Joi.string().hostname().required()),
    CALLBACK_PORT: integer(port.required()),
    CALLBACK_TLS: flag(bool.required()),
    CALLBACK_API_URL: text(url(['http', 'https']).required()),
    CALLBACK_PUBLIC_URL: text(url(['http', 'https']).required()),
    CALLBACK_SECRET: secret(text(Joi.string().min(16).required())),
    CALLBACK_MODE: mode,
    CALLBACK_REDIRECT_URL: text(url(['http', 'https']).allow('').required()),
    CALLBACK_API_TIMEOUT_MS: integer(Joi.number().integer().min(100).max(60_000).required()),
  },
  check: (env, invalid) =>
    !invalid.has('CALLBACK_MODE') && env.CALLBACK_MODE === 'forward' && env.CALLBACK_REDIRECT_URL === ''
      ? ['"CALLBACK_REDIRECT_URL" is required when CALLBACK_MODE is forward']
      : [],
  map: (env): CallbackConfig => {
    const publicUrl = withoutTrailingSlash(env.CALLBACK_PUBLIC_URL);
    return {
      host: env.CALLBACK_HOST,
      port: env.CALLBACK_PORT,
      tls: env.CALLBACK_TLS,
      apiUrl: withoutTrailingSlash(env.CALLBACK_API_URL),
      publicUrl,
      redirectUri: `${publicUrl}/callback`,
      secret: env.CALLBACK_SECRET,
      mode: env.CALLBACK_MODE,
      redirectUrl: optional(env.CALLBACK_REDIRECT_URL),
      apiTimeoutMs: env.CALLBACK_API_TIMEOUT_MS,
    };
  },
});

export const callbackConfig = registerAs('callback', (): CallbackConfig => getConfig().callback);
