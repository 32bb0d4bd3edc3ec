import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import { cryptoConfig, type CryptoConfig } from '@dashtam/config';

import { TokenDecryptionError } from './token-decryption.error';
import { additionalData, formatEnvelope, isValidKeyId, IV_BYTES, parseEnvelope, TAG_BYTES } from './token-envelope';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;

/** What a ciphertext is bound to: the provider connection id of the row that stores it. */
export interface CipherContext {
  aad: string;
}

/**
 * The one cipher for provider tokens at rest: AES-256-GCM, a fresh 96-bit IV per value, and an
 * envelope that names the key, so any key in the ring decrypts and only the active one encrypts.
 * Synchronous on purpose: GCM over a token is microseconds; the thread pool would cost more.
 */
@Injectable()
export class TokenCipherService {
  readonly activeKeyId: string;
  // KeyObjects rather than Buffers: inspecting or logging the cipher never prints key bytes.
  private readonly keys: ReadonlyMap<string, KeyObject>;

  constructor(@Inject(cryptoConfig.KEY) config: CryptoConfig) {
    const keys = new Map<string, KeyObject>();
    for (const [keyId, key] of config.keys) {
      if (!isValidKeyId(keyId)) throw new Error('token key ids are 1-32 characters of A-Z a-z 0-9 _ -');
      if (key.length !== KEY_BYTES) throw new Error(`token key "${keyId}" must be ${KEY_BYTES} bytes`);
      keys.set(keyId, createSecretKey(key));
    }
    if (!keys.has(config.activeKeyId)) throw new Error(`active token key "${config.activeKeyId}" is not in the ring`);
    this.keys = keys;
    this.activeKeyId = config.activeKeyId;
  }

  encrypt(plaintext: string, context: CipherContext): string {
    const keyId = this.activeKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keys.get(keyId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(keyId, requireContext(context)));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return formatEnvelope({ keyId, iv, ciphertext, tag: cipher.getAuthTag() });
  }

  /** Throws TokenDecryptionError for anything but an intact envelope, under a known key, for this context. */
  decrypt(envelope: string, context: CipherContext): string {
    const aad = requireContext(context);
    const { keyId, iv, ciphertext, tag } = parseEnvelope(envelope);
    const key = this.keys.get(keyId);
    if (!key) throw new TokenDecryptionError('unknown_key', keyId);
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(keyId, aad));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new TokenDecryptionError('authentication_failed', keyId);
    }
  }

  /** The key id an envelope names (validated shape, not authenticity). */
  keyIdOf(envelope: string): string {
    return parseEnvelope(envelope).keyId;
  }

  /** True when the envelope was written under a key other than the active one. */
  needsReencryption(envelope: string): boolean {
    return this.keyIdOf(envelope) !== this.activeKeyId;
  }

  hasKey(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  keyIds(): string[] {
    return [...this.keys.keys()];
  }
}

// An unbound ciphertext could be pasted into any row; refuse to make or read one.
function requireContext(context: CipherContext): string {
  if (typeof context?.aad !== 'string' || context.aad.length === 0) {
    throw new TypeError('token cipher needs a non-empty aad (the provider connection id)');
  }
  return context.aad;
}
