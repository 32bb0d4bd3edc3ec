import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { parse as parseDotenv } from 'dotenv';
import type { ValidationOptions } from 'joi';

import { ConfigValidationError } from './config-validation.error';
import type { MapContext } from './config-namespace';
import type { DashtamConfig } from './dashtam-config';
import { ENVIRONMENT_DEFAULTS } from './defaults';
import { ENV_FILES, ENVIRONMENTS, type Environment } from './environment';
import { CONFIG_NAMESPACES, envSchema, SENSITIVE_ENV_KEYS } from './namespaces';
import { productionSecretProblems } from './production-secrets';
import { redactSecretValues } from './sensitive-keys';

type Source = Record<string, string | undefined>;
type ValidatedEnv = Record<string, unknown>;

/** What the loader needs of a namespace; method syntax lets each typed namespace stand in for it. */
interface LoadableNamespace {
  readonly name: string;
  readonly variables: object;
  check?(env: ValidatedEnv, invalid: ReadonlySet<string>): string[];
  map(env: ValidatedEnv, context: MapContext): unknown;
}

export interface LoadConfigOptions {
  /** Where env files are looked up; the repository root by default. */
  cwd?: string;
}

const VALIDATION: ValidationOptions = {
  abortEarly: false,
  allowUnknown: true,
  stripUnknown: true,
  convert: true,
  // joi's default messages quote the offending value for some rules; ours never do.
  messages: {
    'string.pattern.base': '{{#label}} does not have the expected format',
    'string.pattern.name': '{{#label}} does not have the expected format ({{#name}})',
    'string.uri': '{{#label}} must be a valid URL',
    'string.uriCustomScheme': '{{#label}} must be a URL with scheme {{#scheme}}',
    'any.only': '{{#label}} has a value that is not allowed',
  },
};

/**
 * defaults in code → env file chosen by ENVIRONMENT → process environment; then one joi pass over
 * every namespace's variables and each namespace's own checks, reporting every problem at once.
 * Pure apart from reading the env file, so tests can call it freely.
 */
export function loadConfig(source: Source, options: LoadConfigOptions = {}): DashtamConfig {
  const cwd = options.cwd ?? process.cwd();
  const environment = (source.ENVIRONMENT ?? 'development') as Environment;
  if (!ENVIRONMENTS.includes(environment)) {
    throw new ConfigValidationError([`"ENVIRONMENT" must be one of ${ENVIRONMENTS.join(', ')}`]);
  }

  const fileValues: Source = {};
  for (const file of ENV_FILES[environment]) {
    const path = resolve(cwd, file);
    if (existsSync(path)) Object.assign(fileValues, parseDotenv(readFileSync(path)));
  }
  const namespaces: readonly LoadableNamespace[] = CONFIG_NAMESPACES;
  const merged: Source = { ...ENVIRONMENT_DEFAULTS[environment], ...fileValues, ENVIRONMENT: environment };
  for (const key of namespaces.flatMap((namespace) => Object.keys(namespace.variables))) {
    if (source[key] !== undefined) merged[key] = source[key];
  }

  const { value, error } = envSchema.validate(merged, VALIDATION);
  // joi converted every variable to the type its namespace declares (env-variable.ts).
  const env = value as ValidatedEnv;
  const invalid = new Set((error?.details ?? []).map((detail) => String(detail.path[0])));
  const problems = [
    ...(error?.details ?? []).map((detail) => detail.message),
    ...namespaces.flatMap((namespace) => namespace.check?.(env, invalid) ?? []),
    ...productionSecretProblems(env, SENSITIVE_ENV_KEYS),
  ];
  if (problems.length > 0) throw new ConfigValidationError(redactSecretValues(problems, merged));

  const context: MapContext = { cwd };
  return Object.fromEntries(
    namespaces.map((namespace) => [namespace.name, namespace.map(env, context)]),
  ) as DashtamConfig;
}

let cached: DashtamConfig | undefined;

/** The process's configuration, validated once. The only reader of `process.env` in Dashtam. */
export function getConfig(): DashtamConfig {
  cached ??= loadConfig(process.env);
  return cached;
}
