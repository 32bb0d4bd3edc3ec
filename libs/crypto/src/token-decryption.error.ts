export type TokenDecryptionFailure = 'malformed' | 'unsupported_version' | 'unknown_key' | 'authentication_failed';

const MESSAGES: Record<TokenDecryptionFailure, string> = {
  malformed: 'not a token envelope',
  unsupported_version: 'unsupported envelope version',
  unknown_key: 'its key id is not in the key ring',
  authentication_failed: 'authentication failed (tampered, moved to another row, or wrong key)',
};

/**
 * A stored token that cannot be decrypted. The message names the failure and at most the key id:
 * never the plaintext, the ciphertext or key material, so it is safe in logs and error causes.
 */
export class TokenDecryptionError extends Error {
  readonly code = 'CRYPTO.TOKEN_UNDECRYPTABLE';

  constructor(
    readonly reason: TokenDecryptionFailure,
    readonly keyId?: string,
  ) {
    super(`Token cannot be decrypted: ${MESSAGES[reason]}${keyId ? ` (key id "${keyId}")` : ''}`);
    this.name = 'TokenDecryptionError';
  }
}
