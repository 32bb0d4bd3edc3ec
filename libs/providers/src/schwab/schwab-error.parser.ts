import { parseRetryAfter } from '../http/institution-http';
import { ProviderError, type ProviderErrorClassification, type ProviderOperation } from '../provider.errors';

/** The OAuth error a token-endpoint body carries, after unwrapping Schwab's nesting. */
export interface ParsedOAuthError {
  /** The innermost `error` code, sanitised; null when the body names none. */
  error: string | null;
  /** The outer code when Schwab nested another one inside `error_description`. */
  outerError: string | null;
  nested: boolean;
}

// OAuth error codes are ASCII tokens; anything else (or an echoed value) is not trusted into messages.
const ERROR_CODE = /^[A-Za-z0-9_.-]{1,64}$/;

/** RFC 6749 §5.2 codes and Schwab's own that say the grant or the client is refused for good. */
const PERMANENT_OAUTH_ERRORS = new Set([
  'invalid_grant',
  'invalid_client',
  'unauthorized_client',
  'unsupported_grant_type',
  'access_denied',
  'invalid_request',
  'invalid_scope',
  'unsupported_response_type',
  'invalid_token',
  'refresh_token_authentication_error',
]);

/** Codes an authorization server uses to say "later". */
const TRANSIENT_OAUTH_ERRORS = new Set(['temporarily_unavailable', 'server_error', 'slow_down']);

// The statuses with which an OAuth server refuses a request (RFC 6749 §5.2).
const REFUSING_STATUSES = new Set([400, 401, 403]);
const RETRYABLE_4XX = new Set([408, 425, 429]);

/**
 * Reads both error shapes Schwab's token endpoint returns:
 * - flat:   {"error":"invalid_grant","error_description":"..."}
 * - nested: {"error":"unsupported_token_type","error_description":"400 Bad Request: \"{\"error_description\":
 *           \"...\",\"error\":\"refresh_token_authentication_error\"}\""} — the upstream server's JSON,
 *           sometimes behind a status prefix; the inner code is the one that means something.
 */
export function parseOAuthError(body: unknown): ParsedOAuthError {
  if (!isRecord(body)) return { error: null, outerError: null, nested: false };
  const outer = sanitizeOAuthErrorCode(body.error);
  const inner = nestedError(body.error_description);
  if (inner !== null) return { error: inner, outerError: outer, nested: true };
  return { error: outer, outerError: null, nested: false };
}

function nestedError(description: unknown): string | null {
  if (typeof description !== 'string') return null;
  const start = description.indexOf('{');
  const end = description.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  try {
    const inner: unknown = JSON.parse(description.slice(start, end + 1));
    return isRecord(inner) ? sanitizeOAuthErrorCode(inner.error) : null;
  } catch {
    return null;
  }
}

/** An OAuth error code fit for messages, logs and audit details; null for anything else. */
export function sanitizeOAuthErrorCode(value: unknown): string | null {
  return typeof value === 'string' && ERROR_CODE.test(value) ? value : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * permanent only when the institution itself refused the grant or the client: a refusing OAuth code,
 * or any OAuth code on 400/401/403. 5xx, 408/425/429, transient codes and answers without an OAuth
 * body (an HTML "Access Denied" from a CDN, an empty 401 from a gateway) are transient, so an outage
 * or an intermediary can never push a connection into `requires_reauth`.
 */
export function classifyOAuthFailure(status: number, error: string | null): ProviderErrorClassification {
  if (status >= 500 || RETRYABLE_4XX.has(status)) return 'transient';
  if (error === null || TRANSIENT_OAUTH_ERRORS.has(error)) return 'transient';
  if (PERMANENT_OAUTH_ERRORS.has(error)) return 'permanent';
  return REFUSING_STATUSES.has(status) ? 'permanent' : 'transient';
}

/** The ProviderError for a non-2xx answer of an OAuth endpoint (token, revoke). */
export function oauthErrorFromResponse(
  providerKey: string,
  operation: ProviderOperation,
  response: { status: number; headers: Headers; json: unknown },
): ProviderError {
  const parsed = parseOAuthError(response.json);
  return new ProviderError({
    providerKey,
    operation,
    classification: classifyOAuthFailure(response.status, parsed.error),
    kind: parsed.error !== null ? 'oauth_error' : 'http_status',
    status: response.status,
    oauthError: parsed.error,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
  });
}

/** The ProviderError for a non-2xx answer of a data endpoint: 401/403/404 are refusals, the rest transient. */
export function dataErrorFromResponse(
  providerKey: string,
  response: { status: number; headers: Headers },
): ProviderError {
  const refused = response.status === 401 || response.status === 403 || response.status === 404;
  return new ProviderError({
    providerKey,
    operation: 'data',
    classification: refused ? 'permanent' : 'transient',
    kind: 'http_status',
    status: response.status,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
  });
}
