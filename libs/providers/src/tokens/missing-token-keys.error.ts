/** Stored tokens name key ids the configured key ring lacks; booting would strand those connections. */
export class MissingTokenKeysError extends Error {
  constructor(readonly keyIds: string[]) {
    super(
      `provider_tokens holds tokens encrypted with key id(s) ${keyIds.map((id) => `"${id}"`).join(', ')} ` +
        'that TOKEN_ENCRYPTION_KEYS does not contain. Add the missing key(s) back to TOKEN_ENCRYPTION_KEYS ' +
        '(keep TOKEN_ENCRYPTION_ACTIVE_KEY_ID as it is), start again, and run `npm run tokens:reencrypt` ' +
        'before retiring a key (docs/token-vault.md).',
    );
    this.name = 'MissingTokenKeysError';
  }
}
