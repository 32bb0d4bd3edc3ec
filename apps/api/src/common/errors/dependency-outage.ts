import { types } from 'node:util';

import { QueryFailedError } from 'typeorm';

export type Dependency = 'database' | 'redis';

// SQLSTATE classes and codes that mean "PostgreSQL is not there", not "this statement is wrong".
const POSTGRES_UNAVAILABLE = /^(08|57P0[1-3]|53300)/;
// Socket-level failures of either client.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
const POSTGRES_MESSAGES = [/^Connection terminated/, /^timeout exceeded when trying to connect/];
const REDIS_MESSAGES = [
  /^Connection is closed/,
  /^Stream isn't writeable and enableOfflineQueue options is false/,
  /^Command timed out/,
  /^Reached the max retries per request limit/,
];

/**
 * Which dependency an error says is unreachable, or null for any other error. Such a request gets
 * 503 with Retry-After (a stable code, nothing about the internals), never a 500: the client did
 * nothing wrong and may simply try again.
 */
export function dependencyOutage(error: unknown): Dependency | null {
  // Node's own socket errors (ECONNREFUSED) come from its realm, which is not the caller's when the code
  // runs in a vm context (as Jest runs it): `instanceof Error` alone would let them through as a 500.
  if (!(error instanceof Error) && !types.isNativeError(error)) return null;
  if (error.name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.some((pattern) => pattern.test(error.message)))
    return 'redis';
  // TypeORM wraps what the pg driver threw; a failed pool connect arrives unwrapped.
  const cause = (error instanceof QueryFailedError ? error.driverError : error) as {
    code?: unknown;
    message?: unknown;
  };
  if (typeof cause.code === 'string' && (NETWORK_CODES.has(cause.code) || POSTGRES_UNAVAILABLE.test(cause.code)))
    return 'database';
  const message = typeof cause.message === 'string' ? cause.message : error.message;
  return POSTGRES_MESSAGES.some((pattern) => pattern.test(message)) ? 'database' : null;
}
