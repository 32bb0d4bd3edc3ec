import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// 256 bits: far beyond guessing, so a fast hash (SHA-256) is the right way to store them.
const SECRET_BYTES = 32;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A fresh random secret, base64url (43 characters). */
export function generateSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/** SHA-256 (hex) of a secret: what the database stores instead of the secret. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** Refresh tokens are `<row id>.<secret>`: the id finds the row by primary key, never by scanning. */
export function formatRefreshToken(id: string, secret: string): string {
  return `${id}.${secret}`;
}

export function parseRefreshToken(token: string): { id: string; secret: string } | null {
  const dot = token.indexOf('.');
  if (dot < 0) return null;
  const id = token.slice(0, dot).toLowerCase();
  const secret = token.slice(dot + 1);
  return UUID_PATTERN.test(id) && SECRET_PATTERN.test(secret) ? { id, secret } : null;
}

/** Emailed tokens are bare secrets; a malformed one is not worth a database round trip. */
export function isWellFormedSecret(token: string): boolean {
  return SECRET_PATTERN.test(token);
}
