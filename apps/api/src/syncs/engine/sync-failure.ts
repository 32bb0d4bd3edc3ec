import {
  ConnectionNotConnectedError,
  ProviderError,
  ProviderUnavailableError,
  ReauthRequiredError,
  RefreshPendingError,
  TokensUnreadableError,
} from '@dashtam/providers';

import { BudgetExhaustedError } from '../provider-call-budget';

/** A sync's failure as the API and the audit trail show it: never an institution's own text. */
export interface SyncFailure {
  /** A sentence for a person (the sync's `error`, the connection's `error_message`). */
  message: string;
  /** A stable code for the audit trail and logs. */
  reason: string;
  /** The institution's Retry-After, in seconds (0 without one): the next sync is not sooner. */
  retryAfterSeconds: number;
  /**
   * Whether it counts towards the connection's failure streak (and its backoff). A refused or missing
   * grant does not: the token vault has already made the connection `requires_reauth` (or it was
   * disconnected), and the schedule never syncs it again until it is linked again.
   */
  countsAsFailure: boolean;
}

/** This runner no longer holds the sync: it was taken over (or deleted with its provider). */
export class SyncLeaseLostError extends Error {
  constructor(readonly syncId: string) {
    super(`sync ${syncId} is no longer held by this runner`);
    this.name = 'SyncLeaseLostError';
  }
}

/** The process is shutting down; the sync is left for another runner. */
export class SyncInterruptedError extends Error {
  constructor(readonly syncId: string) {
    super(`sync ${syncId} interrupted by shutdown`);
    this.name = 'SyncInterruptedError';
  }
}

const seconds = (ms: number | null): number => (ms === null ? 0 : Math.ceil(ms / 1000));

export function describeSyncFailure(error: unknown): SyncFailure {
  const authorization = (message: string, reason: string): SyncFailure => ({
    message,
    reason,
    retryAfterSeconds: 0,
    countsAsFailure: false,
  });
  if (error instanceof ReauthRequiredError) {
    return authorization(
      'The institution no longer accepts this authorization; link the provider again',
      'reauth_required',
    );
  }
  // The vault made the connection `error`, which the schedule keeps trying: counted, so it backs off.
  if (error instanceof TokensUnreadableError) {
    return {
      message: 'The stored authorization cannot be read; link the provider again',
      reason: 'tokens_unreadable',
      retryAfterSeconds: 0,
      countsAsFailure: true,
    };
  }
  if (error instanceof ConnectionNotConnectedError) {
    return authorization('The provider is not connected; link it first', 'not_connected');
  }
  if (error instanceof ProviderUnavailableError) {
    return {
      message: 'The institution could not be reached to renew access',
      reason: 'refresh_unavailable',
      retryAfterSeconds: seconds(error.retryAfterMs),
      countsAsFailure: true,
    };
  }
  // Refreshed at the institution, not stored yet (the database is back in seconds): transient.
  if (error instanceof RefreshPendingError) {
    return {
      message: 'The renewed authorization could not be stored yet',
      reason: 'refresh_pending',
      retryAfterSeconds: seconds(error.retryAfterMs),
      countsAsFailure: true,
    };
  }
  // Not the connection's fault: the next sync may run after midnight UTC (the schedule waits for it).
  if (error instanceof BudgetExhaustedError) {
    return {
      message: "Today's request budget of this institution is spent; the next sync runs after midnight UTC",
      reason: 'budget_exhausted',
      retryAfterSeconds: error.retryAfterSeconds,
      countsAsFailure: false,
    };
  }
  if (error instanceof ProviderError) return describeInstitutionError(error);
  return { message: 'The sync failed unexpectedly', reason: 'internal', retryAfterSeconds: 0, countsAsFailure: true };
}

function describeInstitutionError(error: ProviderError): SyncFailure {
  const failure = (message: string, reason: string): SyncFailure => ({
    message,
    reason,
    retryAfterSeconds: seconds(error.retryAfterMs),
    countsAsFailure: true,
  });
  const status = error.status;
  if (error.kind === 'timeout') return failure('The institution did not answer in time', 'timeout');
  if (error.kind === 'network') return failure('The institution could not be reached', 'network');
  if (error.kind === 'invalid_response') {
    return failure('The institution sent an answer Dashtam could not read', 'invalid_response');
  }
  if (status === 429) return failure('The institution asked Dashtam to slow down (HTTP 429)', 'rate_limited');
  if (status !== null && status >= 500) {
    return failure(`The institution answered with a server error (HTTP ${status})`, 'institution_error');
  }
  if (status === 401) return failure('The institution refused the access token (HTTP 401)', 'unauthorized');
  if (status === 403 || status === 404) {
    return failure(`The institution refused access to the account data (HTTP ${status})`, 'refused');
  }
  return failure(`The institution refused the request (HTTP ${status ?? 'unknown'})`, 'refused');
}
