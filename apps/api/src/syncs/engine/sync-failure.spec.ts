import {
  ConnectionNotConnectedError,
  ProviderError,
  type ProviderFailureKind,
  ProviderUnavailableError,
  ReauthRequiredError,
  RefreshPendingError,
  TokensUnreadableError,
} from '@dashtam/providers';

import { describeSyncFailure } from './sync-failure';

const CONNECTION = '3f1c0d2e-8a4b-4c6d-9e0f-112233445566';

function dataError(kind: ProviderFailureKind, status: number | null, retryAfterMs: number | null = null) {
  return new ProviderError({
    providerKey: 'sandbox',
    operation: 'data',
    classification: status === 401 || status === 403 ? 'permanent' : 'transient',
    kind,
    status,
    retryAfterMs,
  });
}

describe('describeSyncFailure', () => {
  it.each([
    [dataError('http_status', 503), 'The institution answered with a server error (HTTP 503)', 'institution_error'],
    [dataError('http_status', 429), 'The institution asked Dashtam to slow down (HTTP 429)', 'rate_limited'],
    [dataError('timeout', null), 'The institution did not answer in time', 'timeout'],
    [dataError('network', null), 'The institution could not be reached', 'network'],
    [dataError('invalid_response', 200), 'The institution sent an answer Dashtam could not read', 'invalid_response'],
    [dataError('http_status', 401), 'The institution refused the access token (HTTP 401)', 'unauthorized'],
    [dataError('http_status', 403), 'The institution refused access to the account data (HTTP 403)', 'refused'],
    [dataError('http_status', 400), 'The institution refused the request (HTTP 400)', 'refused'],
  ])('an institution failure is a readable sentence that counts: %#', (error, message, reason) => {
    expect(describeSyncFailure(error)).toEqual({ message, reason, retryAfterSeconds: 0, countsAsFailure: true });
  });

  it("carries the institution's Retry-After, rounded up to seconds", () => {
    expect(describeSyncFailure(dataError('http_status', 429, 1500)).retryAfterSeconds).toBe(2);
    expect(
      describeSyncFailure(new ProviderUnavailableError(CONNECTION, new Error('x'), 30_000)).retryAfterSeconds,
    ).toBe(30);
  });

  it('tokens refreshed but not stored yet: transient, retried no sooner than the vault says', () => {
    expect(describeSyncFailure(new RefreshPendingError(CONNECTION, new Error('db down')))).toEqual({
      message: 'The renewed authorization could not be stored yet',
      reason: 'refresh_pending',
      retryAfterSeconds: 5,
      countsAsFailure: true,
    });
  });

  it('a refused or missing grant does not count (the connection no longer syncs); unreadable tokens do', () => {
    expect(describeSyncFailure(new ReauthRequiredError(CONNECTION, 'refresh_refused'))).toMatchObject({
      reason: 'reauth_required',
      countsAsFailure: false,
    });
    expect(describeSyncFailure(new ConnectionNotConnectedError(CONNECTION))).toMatchObject({
      reason: 'not_connected',
      countsAsFailure: false,
    });
    expect(describeSyncFailure(new TokensUnreadableError(CONNECTION))).toMatchObject({
      reason: 'tokens_unreadable',
      countsAsFailure: true,
    });
  });

  it('anything else is generic and never quotes the error', () => {
    const failure = describeSyncFailure(new Error('duplicate key value violates "secret"'));
    expect(failure).toEqual({
      message: 'The sync failed unexpectedly',
      reason: 'internal',
      retryAfterSeconds: 0,
      countsAsFailure: true,
    });
  });
});
