/**
 * `permanent`: the institution refused and asking again the same way cannot succeed (a revoked or
 * expired grant, a misconfigured client) — the person must link again.
 * `transient`: the outcome says nothing about the grant (timeouts, resets, 5xx, 429) — retry later.
 */
export type ProviderErrorClassification = 'permanent' | 'transient';

/** Which outbound call failed (`link`: proving credentials, e.g. claiming a SimpleFIN setup token). */
export type ProviderOperation = 'token' | 'refresh' | 'revoke' | 'data' | 'link';

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
 * Stable codes of a failed institution call: which call, and whether asking again can help. Apps map
 * these (and the other library codes) to their own answers in one table; logs show them as they are.
 */
const PROVIDER_CALL_CODES = {
  token: { permanent: 'PROVIDER.CODE_EXCHANGE_REFUSED', transient: 'PROVIDER.CODE_EXCHANGE_UNAVAILABLE' },
  refresh: { permanent: 'PROVIDER.REFRESH_REFUSED', transient: 'PROVIDER.REFRESH_UNAVAILABLE' },
  revoke: { permanent: 'PROVIDER.REVOCATION_REFUSED', transient: 'PROVIDER.REVOCATION_UNAVAILABLE' },
  data: { permanent: 'PROVIDER.DATA_REFUSED', transient: 'PROVIDER.DATA_UNAVAILABLE' },
  link: { permanent: 'PROVIDER.CREDENTIALS_REFUSED', transient: 'PROVIDER.LINK_UNAVAILABLE' },
} as const satisfies Record<ProviderOperation, Record<ProviderErrorClassification, string>>;

export type ProviderCallErrorCode = (typeof PROVIDER_CALL_CODES)[ProviderOperation][ProviderErrorClassification];

/**
 * A failed call to an institution. The message is built from the provider key, the operation, the
 * HTTP status and the OAuth error code only: never a token, a code, a client secret or the raw body
 * (Schwab's descriptions carry token digests), so it is safe to log and to chain as a `cause`.
 */
export class ProviderError extends Error {
  readonly code: ProviderCallErrorCode;
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
    this.code = PROVIDER_CALL_CODES[init.operation][init.classification];
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
  readonly code = 'PROVIDER.NOT_CONFIGURED';

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
  readonly code = 'PROVIDER.UNKNOWN_KEY';

  constructor(readonly providerKey: string) {
    super(`unknown provider "${providerKey}"`);
    this.name = 'UnknownProviderError';
  }
}

/** The provider links another way than the operation asked for (an OAuth flow on SimpleFIN, credentials on Schwab). */
export class ProviderAuthTypeError extends Error {
  readonly code = 'PROVIDER.AUTH_TYPE_MISMATCH';

  constructor(
    readonly providerKey: string,
    readonly authType: string,
    readonly expected: string,
  ) {
    super(`provider "${providerKey}" links with ${authType}, not ${expected}`);
    this.name = 'ProviderAuthTypeError';
  }
}

/** Credentials refused before any call: malformed (a setup token that is not one). Says nothing of the value. */
export class InvalidCredentialsError extends Error {
  readonly code = 'PROVIDER.CREDENTIALS_INVALID';

  constructor(
    readonly providerKey: string,
    reason: string,
  ) {
    super(`${providerKey} credentials invalid: ${reason}`);
    this.name = 'InvalidCredentialsError';
  }
}

/** A SimpleFIN setup token (or the Access URL its claim returned) names a host outside SIMPLEFIN_ALLOWED_HOSTS. */
export class SetupTokenHostNotAllowedError extends Error {
  readonly code = 'PROVIDER.SETUP_TOKEN_HOST_NOT_ALLOWED';

  constructor(
    readonly providerKey: string,
    /** host:port only (never a path or userinfo), safe to log. */
    readonly hostPort: string,
  ) {
    super(`${providerKey}: host ${hostPort} is not on the allow-list`);
    this.name = 'SetupTokenHostNotAllowedError';
  }
}

/**
 * The vault decrypted a stored credential, but it is not one this client wrote (no Alpaca key pair, no
 * usable SimpleFIN Access URL). Like ciphertext that fails authentication it never becomes readable:
 * callers hand it to `TokenRefreshService.failUnreadableCredential`, which marks the connection
 * `error` and answers the vault's TokensUnreadableError, so both end the same way.
 */
export class StoredCredentialUnreadableError extends Error {
  readonly code = 'PROVIDER.CREDENTIAL_UNREADABLE';

  constructor(readonly providerKey: string) {
    super(`stored ${providerKey} credentials cannot be read`);
    this.name = 'StoredCredentialUnreadableError';
  }
}
