import { resolve } from 'node:path';

import { registerAs } from '@nestjs/config';
import * as Joi from 'joi';

import { defineNamespace } from '../config-namespace';
import { optional, text } from '../env-variable';
import { getConfig } from '../load-config';

/** The certificate the api (when API_TLS) and the callback app serve, and the CA the callback trusts. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
  caFile: string | null;
}

export const tlsNamespace = defineNamespace({
  name: 'tls',
  variables: {
    TLS_CERT_FILE: text(Joi.string().required()),
    TLS_KEY_FILE: text(Joi.string().required()),
    TLS_CA_FILE: text(Joi.string().allow('').required()),
  },
  map: (env, { cwd }): TlsFiles => {
    const caFile = optional(env.TLS_CA_FILE);
    return {
      certFile: resolve(cwd, env.TLS_CERT_FILE),
      keyFile: resolve(cwd, env.TLS_KEY_FILE),
      caFile: caFile && resolve(cwd, caFile),
    };
  },
});

export const tlsConfig = registerAs('tls', (): TlsFiles => getConfig().tls);
