import type { TokenCipherService } from '@dashtam/crypto';

/** One connection's tokens in plaintext; only ever in memory. */
export interface PlainTokens {
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
}

/** What a provider_tokens row stores of its tokens: the envelopes and the one key that sealed them all. */
export interface SealedTokens {
  accessTokenEncrypted: string;
  refreshTokenEncrypted: string | null;
  idTokenEncrypted: string | null;
  keyId: string;
}

/**
 * The only way tokens are encrypted for storage: every value under the active key, bound to the
 * connection id, and `keyId` naming that key, so the row's key_id is truthful for the boot key check
 * and the re-encryption command.
 */
export function sealTokens(cipher: TokenCipherService, connectionId: string, tokens: PlainTokens): SealedTokens {
  const aad = { aad: connectionId };
  const seal = (value: string | null): string | null => (value === null ? null : cipher.encrypt(value, aad));
  return {
    accessTokenEncrypted: cipher.encrypt(tokens.accessToken, aad),
    refreshTokenEncrypted: seal(tokens.refreshToken),
    idTokenEncrypted: seal(tokens.idToken),
    keyId: cipher.activeKeyId,
  };
}

/** The inverse of sealTokens; throws TokenDecryptionError for an envelope that is not this row's. */
export function openTokens(
  cipher: TokenCipherService,
  connectionId: string,
  sealed: Omit<SealedTokens, 'keyId'>,
): PlainTokens {
  const aad = { aad: connectionId };
  const open = (value: string | null): string | null => (value === null ? null : cipher.decrypt(value, aad));
  return {
    accessToken: cipher.decrypt(sealed.accessTokenEncrypted, aad),
    refreshToken: open(sealed.refreshTokenEncrypted),
    idToken: open(sealed.idTokenEncrypted),
  };
}
