import { createHash } from 'node:crypto';

import {
  formatRefreshToken,
  generateSecret,
  hashSecret,
  isWellFormedSecret,
  parseRefreshToken,
  secretMatches,
} from './opaque-token';

describe('opaque tokens', () => {
  it('generates 256-bit base64url secrets, different every time', () => {
    const secrets = new Set(Array.from({ length: 200 }, generateSecret));
    expect(secrets.size).toBe(200);
    for (const secret of secrets) {
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    }
  });

  it('stores the SHA-256 hex of the secret, never the secret', () => {
    const secret = generateSecret();
    const hash = hashSecret(secret);
    expect(hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(hash).toHaveLength(64);
    expect(hash).not.toContain(secret);
  });

  it('matches only the exact secret', () => {
    const secret = generateSecret();
    const hash = hashSecret(secret);
    expect(secretMatches(secret, hash)).toBe(true);
    expect(secretMatches(generateSecret(), hash)).toBe(false);
    expect(secretMatches(secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A'), hash)).toBe(false);
    expect(secretMatches(secret, 'not-hex')).toBe(false);
  });

  it('formats and parses refresh tokens as <uuid>.<secret>', () => {
    const id = '3f1c7a52-8c1e-4f4e-9a3b-2b9d6c1e0f11';
    const secret = generateSecret();
    expect(parseRefreshToken(formatRefreshToken(id, secret))).toEqual({ id, secret });
  });

  it.each([
    ['no separator', 'abc'],
    ['not a uuid', `not-a-uuid.${'a'.repeat(43)}`],
    ['short secret', '3f1c7a52-8c1e-4f4e-9a3b-2b9d6c1e0f11.abc'],
    ['bad characters', `3f1c7a52-8c1e-4f4e-9a3b-2b9d6c1e0f11.${'+'.repeat(43)}`],
    ['extra part', `3f1c7a52-8c1e-4f4e-9a3b-2b9d6c1e0f11.${'a'.repeat(43)}.x`],
    ['empty', ''],
  ])('refuses a malformed refresh token (%s)', (_case, token) => {
    expect(parseRefreshToken(token)).toBeNull();
  });

  it('recognises well-formed emailed tokens', () => {
    expect(isWellFormedSecret(generateSecret())).toBe(true);
    expect(isWellFormedSecret('short')).toBe(false);
    expect(isWellFormedSecret(`${generateSecret()} `)).toBe(false);
  });
});
