import { parseRetryAfter } from '../http/institution-http';
import { ProviderError, type ProviderOperation } from '../provider.errors';

/**
 * Alpaca refused the API keys when they were offered for linking (401/403 on `GET /v2/account`), or
 * they are malformed and were never sent. Nothing is stored; the person must check the keys and the
 * environment. The message names the provider, the environment and the status only — never a key.
 */
export class AlpacaCredentialsInvalidError extends Error {
  readonly code = 'PROVIDER.CREDENTIALS_INVALID';
  readonly providerKey = 'alpaca';
  readonly classification = 'permanent';

  constructor(
    readonly environment: string,
    /** null when the keys were refused before any request (malformed). */
    readonly status: number | null,
  ) {
    super(
      `alpaca credentials refused (${environment}): ${status === null ? 'malformed keys, not sent' : `HTTP ${status}`}`,
    );
    this.name = 'AlpacaCredentialsInvalidError';
  }
}

/** The vault handed over something that is not an Alpaca secret this library wrote: link again. */
export class AlpacaSecretUnreadableError extends Error {
  readonly code = 'PROVIDER.TOKENS_UNREADABLE';
  readonly providerKey = 'alpaca';

  constructor() {
    super('stored alpaca credentials cannot be read');
    this.name = 'AlpacaSecretUnreadableError';
  }
}

// Statuses after which asking again later can succeed; Alpaca's gateway answers 429 past 200 calls a minute.
const RETRYABLE = new Set([408, 425, 429]);

/**
 * The ProviderError for a non-2xx answer. On data calls 401/403/404 are refusals (the keys were
 * revoked or the account closed) and everything else is transient; on `link` every status but the
 * refusals (which become AlpacaCredentialsInvalidError) is transient, so an outage or a proxy cannot
 * be mistaken for bad keys. Alpaca's body (`{code, message}`) is never copied into the message.
 */
export function alpacaErrorFromResponse(
  operation: ProviderOperation,
  response: { status: number; headers: Headers },
  now = Date.now(),
): ProviderError {
  const refused = operation === 'data' && [401, 403, 404].includes(response.status);
  return new ProviderError({
    providerKey: 'alpaca',
    operation,
    classification: refused && !RETRYABLE.has(response.status) ? 'permanent' : 'transient',
    kind: 'http_status',
    status: response.status,
    retryAfterMs: retryAfterOf(response.headers, now),
  });
}

/** Retry-After when sent, else Alpaca's own `X-RateLimit-Reset` (epoch seconds) on a 429. */
function retryAfterOf(headers: Headers, now: number): number | null {
  const retryAfter = parseRetryAfter(headers.get('retry-after'), now);
  if (retryAfter !== null) return retryAfter;
  const reset = headers.get('x-ratelimit-reset');
  if (reset === null || !/^\d{1,12}$/.test(reset.trim())) return null;
  return Math.max(0, Number(reset.trim()) * 1000 - now);
}
