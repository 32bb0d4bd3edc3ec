import { createHash } from 'node:crypto';

import { AppError } from '../common/errors';

/** How long a key names its sync (SPEC §8). */
export const IDEMPOTENCY_KEY_TTL_SECONDS = 24 * 3600;

const MAX_LENGTH = 255;
// Visible ASCII without the quote and the backslash: what an sf-string holds unescaped, and what
// the UUIDs and random tokens clients send are made of.
const KEY = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

function invalid(message: string): AppError {
  return new AppError('VALIDATION.FAILED', 'The request has invalid fields', {
    errors: [{ field: 'Idempotency-Key', message, code: 'idempotency_key' }],
  });
}

/**
 * The `Idempotency-Key` header (IETF draft-ietf-httpapi-idempotency-key-header): a Structured Field
 * string (`"…"`), or the same characters bare, as most clients send it; both name the same key. Null
 * when absent; anything else is a 400.
 */
export function parseIdempotencyKey(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  if (Array.isArray(header)) throw invalid('send one Idempotency-Key');
  const quoted = header.length >= 2 && header.startsWith('"') && header.endsWith('"');
  const key = quoted ? header.slice(1, -1) : header;
  if (key.length === 0 || key.length > MAX_LENGTH) throw invalid(`must be 1 to ${MAX_LENGTH} characters`);
  if (!KEY.test(key)) throw invalid('must be visible ASCII characters other than " and \\');
  return key;
}

/**
 * What makes two requests "the same request" for a key: method, path and body. The body is compared
 * as JSON (key order ignored); no body and an empty object are the same.
 */
export function requestHash(method: string, path: string, body: unknown): string {
  const empty = body === undefined || body === null || body === '' || isEmptyObject(body);
  return createHash('sha256')
    .update(`${method.toUpperCase()} ${path}\n${empty ? '' : canonicalJson(body)}`, 'utf8')
    .digest('hex');
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${canonicalJson(child)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
