import type { ProviderError } from '../provider.errors';

/** No such connection, or its provider was deleted. */
export class ConnectionNotFoundError extends Error {
  readonly code = 'PROVIDER.CONNECTION_NOT_FOUND';

  constructor(readonly connectionId: string) {
    super(`connection ${connectionId} not found`);
    this.name = 'ConnectionNotFoundError';
  }
}

/**
 * The stored tokens fail authentication (tampered, or copied from another connection): permanent, the
 * connection is `error` until it is linked again.
 */
export class TokensUnreadableError extends Error {
  readonly code = 'PROVIDER.TOKENS_UNREADABLE';

  constructor(readonly connectionId: string) {
    super(`stored tokens of connection ${connectionId} fail authentication`);
    this.name = 'TokensUnreadableError';
  }
}

/** The connection has no tokens (never linked, disconnected, or its provider is gone). */
export class ConnectionNotConnectedError extends Error {
  readonly code = 'PROVIDER.NOT_CONNECTED';

  constructor(readonly connectionId: string) {
    super(`connection ${connectionId} has no tokens`);
    this.name = 'ConnectionNotConnectedError';
  }
}

export type ReauthReason =
  /** The institution refused the refresh token (invalid_grant and other permanent errors). */
  | 'refresh_refused'
  /** The refresh token's own deadline (Schwab: 7 days after consent) has passed. */
  | 'refresh_token_expired'
  /** The institution never issued a refresh token and the access token has expired. */
  | 'no_refresh_token'
  /** The connection was already marked `requires_reauth`. */
  | 'requires_reauth'
  /** A stored credential (SimpleFIN Access URL, Alpaca keys) was refused by the institution (401/402/403). */
  | 'credential_refused';

/** The person must link the institution again; the connection is (now) `requires_reauth`. */
export class ReauthRequiredError extends Error {
  readonly code = 'PROVIDER.REAUTH_REQUIRED';

  constructor(
    readonly connectionId: string,
    readonly reason: ReauthReason,
    cause?: ProviderError,
  ) {
    super(`connection ${connectionId} requires re-authorization (${reason})`, { cause });
    this.name = 'ReauthRequiredError';
  }
}

/**
 * The refresh did not happen for a reason that says nothing about the grant: the institution timed
 * out, reset, answered 5xx or 429, or another instance's refresh held the connection too long.
 * Tokens are untouched; retry with backoff, no sooner than `retryAfterMs` when set.
 */
export class ProviderUnavailableError extends Error {
  readonly code = 'PROVIDER.UNAVAILABLE';
  readonly retryAfterMs: number | null;

  constructor(
    readonly connectionId: string,
    cause: unknown,
    retryAfterMs: number | null = null,
  ) {
    super(`connection ${connectionId}: institution unavailable, tokens kept`, { cause });
    this.name = 'ProviderUnavailableError';
    this.retryAfterMs = retryAfterMs;
  }
}

/** How soon a client should ask again after RefreshPendingError: a database restart takes seconds. */
export const REFRESH_PENDING_RETRY_AFTER_MS = 5_000;

/**
 * The institution answered the refresh, but the database could not store the new tokens yet. They are
 * not lost: they wait encrypted in the pending slot (Redis) and in this process, which retries the
 * write, and the next refresh stores them before it would call the institution. Not "tokens
 * unchanged": the stored refresh token may already be rotated out. Retry after `retryAfterMs`.
 */
export class RefreshPendingError extends Error {
  readonly code = 'PROVIDER.REFRESH_PENDING';
  readonly retryAfterMs = REFRESH_PENDING_RETRY_AFTER_MS;

  constructor(
    readonly connectionId: string,
    cause: unknown,
  ) {
    super(`connection ${connectionId}: refreshed at the institution, tokens not stored yet`, { cause });
    this.name = 'RefreshPendingError';
  }
}
