import { parseRetryAfter } from '../http/institution-http';
import { ProviderError, type ProviderOperation, StoredCredentialUnreadableError } from '../provider.errors';

/** The vault handed over something that is not an Alpaca secret this library wrote: link again. */
export class AlpacaSecretUnreadableError extends StoredCredentialUnreadableError {
  constructor() {
    super('alpaca');
    this.name = 'AlpacaSecretUnreadableError';
  }
}

// Answers that refuse the keys themselves: on `link` the keys are wrong (or for the other
// environment); on data calls they were revoked, or (404) the account is closed. Anything else —
// 429 past Alpaca's 200 calls a minute, 5xx, a proxy's answer — may succeed when asked again.
const REFUSALS: Partial<Record<ProviderOperation, ReadonlySet<number>>> = {
  link: new Set([401, 403]),
  data: new Set([401, 403, 404]),
};

/**
 * The ProviderError for a non-2xx answer: a refusal (REFUSALS) is permanent — on `link` that is
 * `PROVIDER.CREDENTIALS_REFUSED` — and every other status transient, so an outage or a proxy cannot
 * be mistaken for bad keys. Alpaca's body (`{code, message}`) is never copied into the message.
 */
export function alpacaErrorFromResponse(
  operation: ProviderOperation,
  response: { status: number; headers: Headers },
  now = Date.now(),
): ProviderError {
  const refused = REFUSALS[operation]?.has(response.status) ?? false;
  return new ProviderError({
    providerKey: 'alpaca',
    operation,
    classification: refused ? 'permanent' : 'transient',
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
