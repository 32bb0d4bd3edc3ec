import { resolve } from 'node:path';

import { registerAs } from '@nestjs/config';
import * as Joi from 'joi';

import { defineNamespace } from '../config-namespace';
import { bool, flag, integer, optional, secret, text, url } from '../env-variable';
import { getConfig } from '../load-config';

export interface DatabaseConfig {
  url: string;
  /** Database name parsed from the URL; TestDbBootstrap's first guard reads it. */
  name: string;
  adminUrl: string | null;
  ssl: boolean;
  /** CA that verifies PostgreSQL's certificate when `ssl`; null: the system's CAs. */
  caFile: string | null;
  poolMax: number;
  synchronize: boolean;
  migrationsRun: boolean;
}

export function databaseName(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  } catch {
    return '';
  }
}

// Production changes the schema through migrations only, and tests rebuild it from the entities.
const synchronize = bool.required().when('ENVIRONMENT', {
  switch: [
    {
      is: 'production',
      then: Joi.valid(false).messages({
        'any.only': '"DATABASE_SYNCHRONIZE" must be false in production: the schema changes through migrations only',
      }),
    },
    {
      is: Joi.valid('testing', 'ci'),
      then: Joi.valid(false).messages({
        'any.only': '"DATABASE_SYNCHRONIZE" must be false in tests: TestDbBootstrap builds the schema',
      }),
    },
  ],
});

export const databaseNamespace = defineNamespace({
  name: 'database',
  variables: {
    DATABASE_URL: secret(text(url(['postgres', 'postgresql']).required())),
    DATABASE_ADMIN_URL: secret(text(url(['postgres', 'postgresql']).allow('').required())),
    DATABASE_SSL: flag(bool.required()),
    DATABASE_SSL_CA_FILE: text(Joi.string().allow('').required()),
    DATABASE_SSL_DISABLED_I_UNDERSTAND: flag(bool.required()),
    DATABASE_POOL_MAX: integer(Joi.number().integer().min(1).max(200).required()),
    DATABASE_SYNCHRONIZE: flag(synchronize),
    DATABASE_MIGRATIONS_RUN: flag(bool.required()),
  },
  check: (env, invalid) =>
    !invalid.has('DATABASE_URL') && databaseName(env.DATABASE_URL) === ''
      ? ['"DATABASE_URL" must name a database']
      : [],
  map: (env, { cwd }): DatabaseConfig => {
    const caFile = optional(env.DATABASE_SSL_CA_FILE);
    return {
      url: env.DATABASE_URL,
      name: databaseName(env.DATABASE_URL),
      adminUrl: optional(env.DATABASE_ADMIN_URL),
      ssl: env.DATABASE_SSL,
      caFile: caFile && resolve(cwd, caFile),
      poolMax: env.DATABASE_POOL_MAX,
      synchronize: env.DATABASE_SYNCHRONIZE,
      migrationsRun: env.DATABASE_MIGRATIONS_RUN,
    };
  },
});

export const databaseConfig = registerAs('database', (): DatabaseConfig => getConfig().database);
