import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ENVIRONMENT_DEFAULTS } from '../defaults';
import { ENVIRONMENTS } from '../environment';
import { loadConfig } from '../load-config';
import { ALL_NAMESPACES, CONFIG_NAMESPACES, envSchema } from './index';

const cwd = mkdtempSync(join(tmpdir(), 'dashtam-namespaces-'));

describe('config namespaces', () => {
  const owned = CONFIG_NAMESPACES.flatMap((namespace) => Object.keys(namespace.variables));
  const schemaKeys = Object.keys(envSchema.describe().keys ?? {});

  it('each variable has exactly one owning namespace, and the schema is their union', () => {
    expect(owned.filter((name, i) => owned.indexOf(name) !== i)).toEqual([]);
    expect([...schemaKeys].sort()).toEqual([...owned].sort());
  });

  it('each namespace is registered under its own name and maps into the config object of that name', () => {
    expect(ALL_NAMESPACES.map((factory) => factory.KEY)).toEqual(
      CONFIG_NAMESPACES.map((namespace) => `CONFIGURATION(${namespace.name})`),
    );
    expect(Object.keys(loadConfig({}, { cwd }))).toEqual(CONFIG_NAMESPACES.map((namespace) => namespace.name));
  });

  it.each(ENVIRONMENTS.filter((environment) => environment !== 'production'))(
    'defaults.ts gives every variable a %s default, and nothing else',
    (environment) => {
      const defaults = Object.keys({ ...ENVIRONMENT_DEFAULTS[environment], ENVIRONMENT: environment });
      expect(schemaKeys.filter((name) => !defaults.includes(name))).toEqual([]);
      expect(defaults.filter((name) => !schemaKeys.includes(name))).toEqual([]);
    },
  );

  it('PostgreSQL has its own CA variable, resolved like the other files; TLS_CA_FILE is the callback’s', () => {
    const config = loadConfig({ DATABASE_SSL_CA_FILE: 'certs/db-ca.pem', TLS_CA_FILE: 'certs/api-ca.pem' }, { cwd });
    expect(config.database.caFile).toBe(join(cwd, 'certs/db-ca.pem'));
    expect(config.tls.caFile).toBe(join(cwd, 'certs/api-ca.pem'));
    expect(loadConfig({ TLS_CA_FILE: 'certs/api-ca.pem' }, { cwd }).database.caFile).toBeNull();
  });

  it('tests refuse DATABASE_SYNCHRONIZE, naming the rule', () => {
    expect(() => loadConfig({ ENVIRONMENT: 'testing', DATABASE_SYNCHRONIZE: 'true' }, { cwd })).toThrow(
      '"DATABASE_SYNCHRONIZE" must be false in tests',
    );
  });
});
