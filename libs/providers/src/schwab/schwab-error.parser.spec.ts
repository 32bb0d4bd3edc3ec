import { classifyOAuthFailure, oauthErrorFromResponse, parseOAuthError } from './schwab-error.parser';

// The nested shape as Schwab sends it on a refused refresh token (token digest included).
const SCHWAB_NESTED = {
  error: 'unsupported_token_type',
  error_description:
    '400 Bad Request: "{"error_description":"Exception while authenticating refresh token [tokenDigest=R8QKLpffOFVUJuvqbJ0/1RNzq=]","error":"refresh_token_authentication_error"}"',
};

const response = (status: number, json: unknown, headers: Record<string, string> = {}) => ({
  status,
  json,
  headers: new Headers(headers),
});

describe('parseOAuthError', () => {
  it('reads the flat shape', () => {
    expect(parseOAuthError({ error: 'invalid_grant', error_description: 'Authorization code is invalid' })).toEqual({
      error: 'invalid_grant',
      outerError: null,
      nested: false,
    });
  });

  it('reads JSON nested inside error_description, behind a status prefix', () => {
    expect(parseOAuthError(SCHWAB_NESTED)).toEqual({
      error: 'refresh_token_authentication_error',
      outerError: 'unsupported_token_type',
      nested: true,
    });
  });

  it('reads JSON nested as a plain string (the Sandbox form)', () => {
    const inner = { error: 'invalid_client', error_description: 'Client authentication failed' };
    expect(parseOAuthError({ error: 'invalid_client', error_description: JSON.stringify(inner) })).toMatchObject({
      error: 'invalid_client',
      nested: true,
    });
  });

  it('keeps the outer code when the description is prose or broken JSON', () => {
    expect(parseOAuthError({ error: 'invalid_request', error_description: 'missing {code' }).error).toBe(
      'invalid_request',
    );
    expect(parseOAuthError({ error: 'invalid_grant', error_description: '{"error": ' }).error).toBe('invalid_grant');
  });

  it('trusts only token-shaped codes and ignores non-objects', () => {
    expect(parseOAuthError({ error: 'C0.secret-code@ leaked' }).error).toBeNull();
    expect(parseOAuthError({ error: 42 }).error).toBeNull();
    expect(parseOAuthError('<html>Access Denied</html>').error).toBeNull();
    expect(parseOAuthError(null).error).toBeNull();
    expect(parseOAuthError([{ error: 'invalid_grant' }]).error).toBeNull();
  });
});

describe('classifyOAuthFailure', () => {
  it.each([
    [400, 'invalid_grant', 'permanent'],
    [400, 'invalid_request', 'permanent'],
    [401, 'invalid_client', 'permanent'],
    [400, 'unauthorized_client', 'permanent'],
    [400, 'unsupported_grant_type', 'permanent'],
    [400, 'access_denied', 'permanent'],
    [400, 'refresh_token_authentication_error', 'permanent'],
    [400, 'some_new_refusal', 'permanent'],
    [404, 'invalid_grant', 'permanent'],
    [404, 'some_new_refusal', 'transient'],
    // No OAuth body: an intermediary answered (CDN "Access Denied" page, empty gateway 401).
    [400, null, 'transient'],
    [401, null, 'transient'],
    [403, null, 'transient'],
    [400, 'temporarily_unavailable', 'transient'],
    [503, 'server_error', 'transient'],
    [500, null, 'transient'],
    [502, null, 'transient'],
    // A 5xx is never trusted to refuse a grant, whatever its body says.
    [500, 'invalid_grant', 'transient'],
    [429, null, 'transient'],
    [429, 'invalid_grant', 'transient'],
    [408, null, 'transient'],
    [404, null, 'transient'],
    [405, null, 'transient'],
    [302, null, 'transient'],
  ] as const)('HTTP %s with %s → %s', (status, error, expected) => {
    expect(classifyOAuthFailure(status, error)).toBe(expected);
  });
});

describe('oauthErrorFromResponse', () => {
  it('builds a permanent error from the nested shape without leaking the description', () => {
    const error = oauthErrorFromResponse('schwab', 'refresh', response(400, SCHWAB_NESTED));
    expect(error).toMatchObject({
      providerKey: 'schwab',
      operation: 'refresh',
      classification: 'permanent',
      kind: 'oauth_error',
      status: 400,
      oauthError: 'refresh_token_authentication_error',
      retryAfterMs: null,
    });
    expect(error.permanent).toBe(true);
    expect(error.message).toBe('schwab refresh failed (permanent): HTTP 400 refresh_token_authentication_error');
    expect(error.message).not.toContain('tokenDigest');
  });

  it('carries Retry-After from a 429 as milliseconds', () => {
    const error = oauthErrorFromResponse('sandbox', 'refresh', response(429, null, { 'retry-after': '7' }));
    expect(error).toMatchObject({ classification: 'transient', kind: 'http_status', status: 429, retryAfterMs: 7000 });
    expect(error.transient).toBe(true);
  });
});
