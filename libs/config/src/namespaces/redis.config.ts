import { registerAs } from '@nestjs/config';

import { defineNamespace } from '../config-namespace';
import { optional, secret, text, url } from '../env-variable';
import { getConfig } from '../load-config';
import type { AppEnv } from './app.config';

export interface RedisConfig {
  /** null: no Redis configured (development only) — the cache falls back to memory. */
  url: string | null;
}

export const redisNamespace = defineNamespace({
  name: 'redis',
  variables: {
    REDIS_URL: secret(text(url(['redis', 'rediss']).allow('').required())),
  },
  // Several instances share rate limits, OAuth state and locks: memory is not an option in production.
  check: (env: { REDIS_URL: string } & Pick<AppEnv, 'ENVIRONMENT'>) =>
    env.ENVIRONMENT === 'production' && !env.REDIS_URL ? ['"REDIS_URL" is required in production'] : [],
  map: (env): RedisConfig => ({ url: optional(env.REDIS_URL) }),
});

export const redisConfig = registerAs('redis', (): RedisConfig => getConfig().redis);
