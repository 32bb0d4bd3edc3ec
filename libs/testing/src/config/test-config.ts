import type { TestingModuleBuilder } from '@nestjs/testing';

import { ALL_NAMESPACES, type DashtamConfig, getConfig } from '@dashtam/config';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** Per-namespace changes to the validated configuration, e.g. `{ auth: { lockout: { threshold: 2 } } }`. */
export type ConfigOverrides = { [K in keyof DashtamConfig]?: DeepPartial<DashtamConfig[K]> };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

function merge<T>(base: T, patch: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(patch)) return (patch === undefined ? base : patch) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = merge(out[key], value);
  return out as T;
}

/** `config` with `overrides` merged in: objects merge key by key; arrays, nulls and scalars replace. */
export function applyOverrides(config: DashtamConfig, overrides: ConfigOverrides): DashtamConfig {
  return merge(config, overrides);
}

/**
 * The one way a test changes configuration: the process's validated config (env file and
 * environment) with `overrides` merged in (see applyOverrides). The process's own config is untouched.
 */
export function testConfig(overrides: ConfigOverrides = {}): DashtamConfig {
  return applyOverrides(getConfig(), overrides);
}

const namespaceName = (key: string | symbol): keyof DashtamConfig | undefined =>
  /^CONFIGURATION\((.+)\)$/.exec(String(key))?.[1] as keyof DashtamConfig | undefined;

/**
 * Hands every namespace named in `overrides` to the module as `config` has it (see testConfig), the
 * way an operator's variables would reach the providers that inject it.
 */
export function overrideConfig(
  builder: TestingModuleBuilder,
  overrides: ConfigOverrides,
  config: DashtamConfig = testConfig(overrides),
): TestingModuleBuilder {
  let out = builder;
  for (const namespace of ALL_NAMESPACES) {
    const name = namespaceName(namespace.KEY);
    if (name && overrides[name] !== undefined) out = out.overrideProvider(namespace.KEY).useValue(config[name]);
  }
  return out;
}
