import { TokenDecryptionError } from './token-decryption.error';

export const ENVELOPE_VERSION = 'v1';
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

/** What one `v1.<kid>.<iv>.<ciphertext>.<tag>` string carries, decoded. */
export interface TokenEnvelope {
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

// Key ids follow the TOKEN_ENCRYPTION_KEYS grammar; base64url has no '.', so the split is unambiguous.
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const B64URL = /^[A-Za-z0-9_-]*$/;

export function isValidKeyId(keyId: string): boolean {
  return KEY_ID.test(keyId);
}

export function formatEnvelope(envelope: TokenEnvelope): string {
  const { keyId, iv, ciphertext, tag } = envelope;
  return [ENVELOPE_VERSION, keyId, iv, ciphertext, tag]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/**
 * Strict parse: a value that is not exactly what formatEnvelope produces is refused before any key
 * is touched. Node's base64url decoder ignores stray trailing bits, so every part must re-encode to
 * itself, otherwise two spellings would decrypt to the same token.
 */
export function parseEnvelope(value: string): TokenEnvelope {
  const parts = value.split('.');
  if (parts.length !== 5) throw new TokenDecryptionError('malformed');
  const [version, keyId, ...encoded] = parts;
  if (version !== ENVELOPE_VERSION) throw new TokenDecryptionError('unsupported_version');
  if (!isValidKeyId(keyId)) throw new TokenDecryptionError('malformed');
  const [iv, ciphertext, tag] = encoded.map(decodeCanonical);
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new TokenDecryptionError('malformed');
  return { keyId, iv, ciphertext, tag };
}

function decodeCanonical(part: string): Buffer {
  if (!B64URL.test(part)) throw new TokenDecryptionError('malformed');
  const bytes = Buffer.from(part, 'base64url');
  if (bytes.toString('base64url') !== part) throw new TokenDecryptionError('malformed');
  return bytes;
}

/**
 * The authenticated data: the envelope header plus the caller's context (the connection id), so
 * neither the key id nor the row a ciphertext belongs to can be changed without failing the tag.
 */
export function additionalData(keyId: string, context: string): Buffer {
  return Buffer.from(`${ENVELOPE_VERSION}.${keyId}.${context}`, 'utf8');
}
