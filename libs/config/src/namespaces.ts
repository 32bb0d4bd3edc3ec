import { registerAs } from '@nestjs/config';

import { getConfig } from './load-config';

export const appConfig = registerAs('app', () => getConfig().app);
export const tlsConfig = registerAs('tls', () => getConfig().tls);
export const databaseConfig = registerAs('database', () => getConfig().database);
export const redisConfig = registerAs('redis', () => getConfig().redis);
export const callbackConfig = registerAs('callback', () => getConfig().callback);
export const sandboxConfig = registerAs('sandbox', () => getConfig().sandbox);
export const cryptoConfig = registerAs('crypto', () => getConfig().crypto);
export const authConfig = registerAs('auth', () => getConfig().auth);
export const mailConfig = registerAs('mail', () => getConfig().mail);
export const providersConfig = registerAs('providers', () => getConfig().providers);
export const jobsConfig = registerAs('jobs', () => getConfig().jobs);

export const ALL_NAMESPACES = [
  appConfig,
  tlsConfig,
  databaseConfig,
  redisConfig,
  callbackConfig,
  sandboxConfig,
  cryptoConfig,
  authConfig,
  mailConfig,
  providersConfig,
  jobsConfig,
];
