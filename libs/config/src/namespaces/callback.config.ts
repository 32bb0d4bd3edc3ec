import { registerAs } from '@nestjs/config';
import * as Joi from 'joi';

import { defineNamespace } from '../config-namespace';
import { bool, flag, integer, optional, port, secret, text, url, withoutTrailingSlash } from '../env-variable';
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
  /** When set, the callback app redirects here (with provider_id and status) instead of rendering a page. */
  resultRedirectUrl: string | null;
  apiTimeoutMs: number;
}

export const callbackNamespace = defineNamespace({
  name: 'callback',
  variables: {
    CALLBACK_HOST: text(Joi.string().hostname().required()),
    CALLBACK_PORT: integer(port.required()),
    CALLBACK_TLS: flag(bool.required()),
    CALLBACK_API_URL: text(url(['http', 'https']).required()),
    CALLBACK_PUBLIC_URL: text(url(['http', 'https']).required()),
    CALLBACK_SECRET: secret(text(Joi.string().min(16).required())),
    CALLBACK_REDIRECT_URL: text(url(['http', 'https']).allow('').required()),
    CALLBACK_API_TIMEOUT_MS: integer(Joi.number().integer().min(100).max(60_000).required()),
  },
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
      resultRedirectUrl: optional(env.CALLBACK_REDIRECT_URL),
      apiTimeoutMs: env.CALLBACK_API_TIMEOUT_MS,
    };
  },
});

export const callbackConfig = registerAs('callback', (): CallbackConfig => getConfig().callback);
