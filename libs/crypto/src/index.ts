export * from './crypto.module';
export * from './missing-token-keys.error';
export { assertKeysCoverStoredTokens } from './stored-token-keys.check';
export * from './token-cipher.service';
export * from './token-decryption.error';
export * from './token-key-check.module';
export * from './token-reencryption';
