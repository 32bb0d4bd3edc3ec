import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse as parseDotenv } from 'dotenv';
import { parseDocument } from 'yaml';

/**
 * The part of Docker Compose's loader our compose files rely on, so that tests can check the model
 * compose would run without a Docker engine: YAML with `<<` merge keys, interpolation from one env file
 * (compose's syntax), and the merge rules for `-f base -f overlay` from the Compose specification.
 * Constructs outside that part (list-form `environment`, `extends`, `include`, `!reset` tags) are
 * rejected rather than modelled loosely.
 */

export const ROOT = join(__dirname, '..', '..');

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Mapping = { [key: string]: Json };

/** What interpolation met: every variable, those used with no default, and the defaults given. */
export interface Usage {
  all: Set<string>;
  /** `$VAR`, `${VAR}` or `${VAR:?err}`: the value must come from the env file or the shell. */
  bare: Set<string>;
  /** `${VAR:-word}` / `${VAR-word}`: the word, expanded. */
  defaults: Map<string, string>;
}

export const newUsage = (): Usage => ({ all: new Set(), bare: new Set(), defaults: new Map() });

export interface Stack {
  services: Record<string, Mapping>;
  /** Every variable the files reference, default or not. */
  variables: Set<string>;
  /** Variables referenced without a default, which the env file must define. */
  required: Set<string>;
  /** The defaults the files give (`${VAR:-default}`), by variable. */
  defaults: Map<string, string>;
  env: Record<string, string>;
  /** The env file the stack was loaded with (`.env` or `.env.test`). */
  envFile: string;
}

export interface PublishedPort {
  ip: string;
  published: string;
  target: string;
}

export const readRepoFile = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

export const isMapping = (value: Json | undefined): value is Mapping =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function readEnvFile(file: string): Record<string, string> {
  return parseDotenv(readRepoFile(file));
}

/** YAML → plain data; any parse error or warning (duplicate key, unknown tag) fails loudly. */
export function parseComposeFile(file: string): Mapping {
  const doc = parseDocument(readRepoFile(file), { merge: true, uniqueKeys: true, prettyErrors: true });
  const problems = [...doc.errors, ...doc.warnings].map((e) => e.message);
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
  const data = doc.toJS() as Json;
  if (!isMapping(data)) throw new Error(`${file}: top level is not a mapping`);
  return data;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Compose interpolation: `$$` escapes; `$VAR`, `${VAR}` and `${VAR[:]-|?|+ word}` forms. */
export function interpolateString(text: string, env: Record<string, string>, seen: Usage): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '$') {
      out += text[i++];
      continue;
    }
    if (text[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (text[i + 1] === '{') {
      const end = closingBrace(text, i + 1);
      out += expand(text.slice(i + 2, end), env, seen);
      i = end + 1;
      continue;
    }
    const name = NAME.exec(text.slice(i + 1))?.[0];
    if (!name) throw new Error(`invalid interpolation format in ${JSON.stringify(text)} (a literal "$" is "$$")`);
    seen.all.add(name);
    seen.bare.add(name);
    out += env[name] ?? '';
    i += 1 + name.length;
  }
  return out;
}

function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return i;
  }
  throw new Error(`unclosed "\${" in ${JSON.stringify(text)}`);
}

function expand(body: string, env: Record<string, string>, seen: Usage): string {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(body);
  if (!match) throw new Error(`invalid interpolation \${${body}}`);
  const [, name, operator, word = ''] = match;
  seen.all.add(name);
  // Always expanded, so variables named only in a default count as used too.
  const alternative = interpolateString(word, env, seen);
  const value = env[name];
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  if (operator === '-' || operator === ':-') seen.defaults.set(name, alternative);
  else if (operator === undefined || operator.endsWith('?')) seen.bare.add(name);
  switch (operator) {
    case undefined:
      return value ?? '';
    case ':-':
      return nonEmpty ? value : alternative;
    case '-':
      return set ? value : alternative;
    case ':+':
      return nonEmpty ? alternative : '';
    case '+':
      return set ? alternative : '';
    default: // ':?' and '?': required
      if (operator === ':?' ? !nonEmpty : !set) throw new Error(`required variable ${name} is missing: ${alternative}`);
      return value;
  }
}

/** Interpolates every string value (compose never interpolates keys). */
export function interpolate(node: Json, env: Record<string, string>, seen: Usage): Json {
  if (typeof node === 'string') return interpolateString(node, env, seen);
  if (Array.isArray(node)) return node.map((item) => interpolate(item, env, seen));
  if (isMapping(node)) {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolate(value, env, seen)]));
  }
  return node;
}

/** Short (`src:target[:mode]`, `target`) or long syntax; the merge key of a service volume. */
export function volumeTarget(volume: Json): string {
  if (typeof volume === 'string') {
    const parts = volume.split(':');
    return parts.length === 1 ? parts[0] : parts[1];
  }
  if (isMapping(volume) && typeof volume.target === 'string') return volume.target;
  throw new Error(`unsupported volume ${JSON.stringify(volume)}`);
}

export function volumeSource(volume: Json): string | null {
  if (typeof volume === 'string') return volume.includes(':') ? volume.split(':')[0] : null;
  return isMapping(volume) && typeof volume.source === 'string' ? volume.source : null;
}

/** `[ip:]published:target[/proto]`, or the long syntax. */
export function parsePort(port: Json): PublishedPort {
  if (typeof port === 'string' || typeof port === 'number') {
    const parts = String(port)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    if (parts.length === 3) return { ip: parts[0], published: parts[1], target: parts[2] };
    if (parts.length === 2) return { ip: '', published: parts[0], target: parts[1] };
    return { ip: '', published: '', target: parts[0] };
  }
  if (isMapping(port)) {
    return { ip: String(port.host_ip ?? ''), published: String(port.published ?? ''), target: String(port.target) };
  }
  throw new Error(`unsupported port ${JSON.stringify(port)}`);
}

const portKey = (port: Json): string => JSON.stringify(parsePort(port));

function mergeUnique(base: Json[], overlay: Json[], key: (item: Json) => string): Json[] {
  const merged = new Map(base.map((item) => [key(item), item]));
  for (const item of overlay) merged.set(key(item), item);
  return [...merged.values()];
}

function deepMerge(base: Json, overlay: Json): Json {
  if (isMapping(base) && isMapping(overlay)) {
    const out: Mapping = { ...base };
    for (const [key, value] of Object.entries(overlay)) out[key] = key in out ? deepMerge(out[key], value) : value;
    return out;
  }
  if (Array.isArray(base) && Array.isArray(overlay)) return [...base, ...overlay];
  return overlay;
}

const UNSUPPORTED_SERVICE_KEYS = ['extends', 'env_file'];

/** The Compose specification's merge rules for one service defined in two files. */
export function mergeService(base: Mapping, overlay: Mapping): Mapping {
  const out: Mapping = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const previous = out[key];
    if (previous === undefined) out[key] = value;
    else if (key === 'command' || key === 'entrypoint') out[key] = value;
    else if (key === 'healthcheck' && isMapping(previous) && isMapping(value)) out[key] = { ...previous, ...value };
    else if (key === 'volumes' && Array.isArray(previous) && Array.isArray(value))
      out[key] = mergeUnique(previous, value, volumeTarget);
    else if (key === 'ports' && Array.isArray(previous) && Array.isArray(value))
      out[key] = mergeUnique(previous, value, portKey);
    else out[key] = deepMerge(previous, value);
  }
  return out;
}

function checkSupported(file: string, model: Mapping): void {
  if ('include' in model) throw new Error(`${file}: "include" is not modelled`);
  for (const [name, service] of Object.entries(model.services ?? {})) {
    if (!isMapping(service)) throw new Error(`${file}: service ${name} is not a mapping`);
    for (const key of UNSUPPORTED_SERVICE_KEYS) {
      if (key in service) throw new Error(`${file}: service ${name} uses "${key}", which is not modelled`);
    }
    if ('environment' in service && !isMapping(service.environment)) {
      throw new Error(`${file}: service ${name} must use the mapping form of "environment"`);
    }
  }
}

/**
 * What `docker compose -f files[0] -f files[1]… --env-file envFile` would run (before defaults), with
 * `shell` as the variables of the calling shell, which win over the env file's.
 */
export function loadStack(files: string[], envFile: string, shell: Record<string, string> = {}): Stack {
  const env = { ...readEnvFile(envFile), ...shell };
  const usage = newUsage();
  const services: Record<string, Mapping> = {};
  for (const file of files) {
    const model = interpolate(parseComposeFile(file), env, usage) as Mapping;
    checkSupported(file, model);
    for (const [service, definition] of Object.entries(model.services as Mapping)) {
      services[service] =
        service in services ? mergeService(services[service], definition as Mapping) : (definition as Mapping);
    }
  }
  return { services, variables: usage.all, required: usage.bare, defaults: usage.defaults, env, envFile };
}

export function environmentOf(service: Mapping): Record<string, string> {
  const env = service.environment;
  if (!isMapping(env)) return {};
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

/** Host ports a stack publishes, whatever the profiles (any of them may be started). */
export function publishedPorts(stack: Stack): Array<PublishedPort & { service: string }> {
  return Object.entries(stack.services).flatMap(([service, definition]) =>
    (Array.isArray(definition.ports) ? definition.ports : []).map((port) => ({ service, ...parsePort(port) })),
  );
}
