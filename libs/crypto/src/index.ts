export * from './crypto.module';
export * from './token-cipher.service';
export * from './token-decryption.error';
