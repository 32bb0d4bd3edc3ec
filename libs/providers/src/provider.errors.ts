/**
 * `permanent`: the institution refused and asking again the same way cannot succeed (a revoked or
 * expired grant, a misconfigured client) — the person must link again.
 * `transient`: the outcome says nothing about the grant (timeouts, resets, 5xx, 429) — retry later.
 */
export type ProviderErrorClassification = 'permanent' | 'transient';

/** Which outbound call failed. */
export type ProviderOperation = 'token' | 'refresh' | 'revoke' | 'data';

/** What went wrong on the wire, before any interpretation. */
export type ProviderFailureKind = 'oauth_error' | 'http_status' | 'timeout' | 'network' | 'invalid_response';

export interface ProviderErrorInit {
  providerKey: string;
  operation: ProviderOperation;
  classification: ProviderErrorClassification;
  kind: ProviderFailureKind;
  status?: number | null;
  /** The OAuth `error` code (the innermost one when Schwab nests them); sanitised. */
  oauthError?: string | null;
  retryAfterMs?: number | null;
  cause?: unknown;
}

/**
 * A failed call to an institution. The message is built from the provider key, the operation, the
 * HTTP status and the OAuth error code only: never a token, a code, a client secret or the raw body
 * (Schwab's descriptions carry token digests), so it is safe to log and to chain as a `cause`.
 */
export class ProviderError extends Error {
  readonly providerKey: string;
  readonly operation: ProviderOperation;
  readonly classification: ProviderErrorClassification;
  readonly kind: ProviderFailureKind;
  readonly status: number | null;
  readonly oauthError: string | null;
  /** From Retry-After on 429/503, in milliseconds. */
  readonly retryAfterMs: number | null;

  constructor(init: ProviderErrorInit) {
    const status = init.status ?? null;
    const oauthError = init.oauthError ?? null;
    const detail = [status !== null ? `HTTP ${status}` : init.kind, oauthError].filter(Boolean).join(' ');
    super(`${init.providerKey} ${init.operation} failed (${init.classification}): ${detail}`, { cause: init.cause });
    this.name = 'ProviderError';
    this.providerKey = init.providerKey;
    this.operation = init.operation;
    this.classification = init.classification;
    this.kind = init.kind;
    this.status = status;
    this.oauthError = oauthError;
    this.retryAfterMs = init.retryAfterMs ?? null;
  }

  get permanent(): boolean {
    return this.classification === 'permanent';
  }

  get transient(): boolean {
    return this.classification === 'transient';
  }
}

/** The catalog knows the key, but validated configuration does not make it usable here. */
export class ProviderNotConfiguredError extends Error {
  constructor(
    readonly providerKey: string,
    reason: string,
  ) {
    super(`provider "${providerKey}" is not configured: ${reason}`);
    this.name = 'ProviderNotConfiguredError';
  }
}

/** A key that is not in the catalog at all. */
export class UnknownProviderError extends Error {
  constructor(readonly providerKey: string) {
    super(`unknown provider "${providerKey}"`);
    this.name = 'UnknownProviderError';
  }
}
