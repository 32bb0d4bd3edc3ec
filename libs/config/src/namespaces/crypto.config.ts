import { registerAs } from '@nestjs/config';
import * as Joi from 'joi';

import { defineNamespace } from '../config-namespace';
import { secret, text } from '../env-variable';
import { getConfig } from '../load-config';

export interface CryptoConfig {
  /** key id → 32-byte AES key */
  keys: ReadonlyMap<string, Buffer>;
  activeKeyId: string;
}

// `KEYID:BASE64` entries, comma separated; each key must decode to exactly 32 bytes (checked below).
const keyRing = Joi.string().pattern(
  /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{40,}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{40,})*$/,
  'KEYID:BASE64[,KEYID:BASE64]',
);

function parseKeyRing(value: string): Map<string, Buffer> {
  const ring = new Map<string, Buffer>();
  for (const entry of value.split(',')) {
    const [id, b64] = entry.split(':');
    ring.set(id, Buffer.from(b64, 'base64'));
  }
  return ring;
}

/** Empty: the first key of the ring. */
const activeKeyId = (ring: Map<string, Buffer>, configured: string): string => configured || [...ring.keys()][0];

export const cryptoNamespace = defineNamespace({
  name: 'crypto',
  variables: {
    TOKEN_ENCRYPTION_KEYS: secret(text(keyRing.required())),
    TOKEN_ENCRYPTION_ACTIVE_KEY_ID: text(Joi.string().allow('').required()),
  },
  check: (env, invalid) => {
    if (invalid.has('TOKEN_ENCRYPTION_KEYS')) return [];
    const problems: string[] = [];
    const ring = parseKeyRing(env.TOKEN_ENCRYPTION_KEYS);
    for (const [id, key] of ring) {
      if (key.length !== 32) problems.push(`"TOKEN_ENCRYPTION_KEYS" key "${id}" must decode to 32 bytes`);
    }
    if (!ring.has(activeKeyId(ring, env.TOKEN_ENCRYPTION_ACTIVE_KEY_ID))) {
      problems.push('"TOKEN_ENCRYPTION_ACTIVE_KEY_ID" names a key that is not in TOKEN_ENCRYPTION_KEYS');
    }
    return problems;
  },
  map: (env): CryptoConfig => {
    const ring = parseKeyRing(env.TOKEN_ENCRYPTION_KEYS);
    return { keys: ring, activeKeyId: activeKeyId(ring, env.TOKEN_ENCRYPTION_ACTIVE_KEY_ID) };
  },
});

export const cryptoConfig = registerAs('crypto', (): CryptoConfig => getConfig().crypto);
