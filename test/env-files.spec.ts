import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'dotenv';

import { DEVELOPMENT_SECRETS, ENVIRONMENT_DEFAULTS, envSchema, loadConfig } from '@dashtam/config';

const ROOT = join(__dirname, '..');
const read = (file: string): Record<string, string> => parse(readFileSync(join(ROOT, file)));

describe('committed env files', () => {
  const known = new Set(Object.keys(envSchema.describe().keys ?? {}));

  // Variables compose interpolates (database credentials of the postgres image, published ports).
  const compose = ['compose.yaml', 'compose.test.yaml'].map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n');
  const usedByCompose = (key: string): boolean => new RegExp(`\\$\\{${key}(?::?-[^}]*)?\\}`).test(compose);

  it.each(['.env', '.env.test'])('%s only sets variables the schema or the compose files use', (file) => {
    expect(Object.keys(read(file)).filter((key) => !known.has(key) && !usedByCompose(key))).toEqual([]);
  });

  // Compose reads the env file but not defaults.ts, so what it interpolates may repeat a default.
  it.each([
    ['.env', 'development'],
    ['.env.test', 'testing'],
  ] as const)('%s holds only values that differ from the %s defaults', (file, environment) => {
    const defaults = ENVIRONMENT_DEFAULTS[environment];
    const repeated = Object.entries(read(file)).filter(
      ([key, value]) => defaults[key] === value && !usedByCompose(key),
    );
    expect(repeated.map(([key]) => key)).toEqual([]);
  });

  it.each(['.env', '.env.test'])('%s holds only development secrets, which production refuses', (file) => {
    const values = read(file);
    for (const [key, devValue] of Object.entries(DEVELOPMENT_SECRETS)) {
      if (values[key] !== undefined) expect(values[key]).toBe(devValue);
    }
  });

  it('.env.test points at a test database, Redis index 1 and ports of its own', () => {
    const dev = loadConfig({ ENVIRONMENT: 'development' }, { cwd: ROOT });
    const test = loadConfig({ ENVIRONMENT: 'testing' }, { cwd: ROOT });
    expect(test.database.name).toContain('test');
    expect(dev.database.name).not.toContain('test');
    expect(new URL(test.redis.url!).pathname).toBe('/1');
    expect(new URL(dev.redis.url!).pathname).toBe('/0');
    const devPorts = [dev.app.port, dev.callback.port, dev.sandbox.port];
    for (const port of [test.app.port, test.callback.port, test.sandbox.port]) expect(devPorts).not.toContain(port);
  });
});
