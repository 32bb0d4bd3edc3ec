import { resolve } from 'node:path';

import { registerAs } from '@nestjs/config';
import * as Joi from 'joi';

import { defineNamespace } from '../config-namespace';
import { optional, secret, text, url } from '../env-variable';
import { getConfig } from '../load-config';

export interface MailConfig {
  /** null: no SMTP server; messages are written as .eml files to `dir`. */
  smtpUrl: string | null;
  from: string;
  dir: string;
}

export const mailNamespace = defineNamespace({
  name: 'mail',
  variables: {
    SMTP_URL: secret(text(url(['smtp', 'smtps']).allow('').required())),
    MAIL_FROM: text(Joi.string().min(3).required()),
    MAIL_DIR: text(Joi.string().required()),
  },
  map: (env, { cwd }): MailConfig => ({
    smtpUrl: optional(env.SMTP_URL),
    from: env.MAIL_FROM,
    dir: resolve(cwd, env.MAIL_DIR),
  }),
});

export const mailConfig = registerAs('mail', (): MailConfig => getConfig().mail);
