import type { FastifyRequest } from 'fastify';

import { TokenDecryptionError } from '@dashtam/crypto';
import {
  ConnectionNotConnectedError,
  ConnectionNotFoundError,
  ProviderError,
  type ProviderErrorClassification,
  ProviderNotConfiguredError,
  type ProviderOperation,
  ProviderUnavailableError,
  ReauthRequiredError,
  RefreshPendingError,
  UnknownProviderError,
} from '@dashtam/providers';

import { toProblem } from '../filters/problem-details.filter';
import { ERROR_CODES } from './error-codes';
import { LIBRARY_ERRORS } from './library-errors';

const request = { raw: { id: 'rid-1' } } as unknown as FastifyRequest;

function providerError(operation: ProviderOperation, classification: ProviderErrorClassification, retryAfterMs = 0) {
  return new ProviderError({
    providerKey: 'sandbox',
    operation,
    classification,
    kind: 'oauth_error',
    status: classification === 'permanent' ? 400 : 503,
    oauthError: classification === 'permanent' ? 'invalid_grant' : 'server_error',
    retryAfterMs: retryAfterMs || null,
  });
}

const INTERNAL = {
  body: {
    type: 'about:blank',
    title: 'Internal server error',
    status: 500,
    detail: 'An unexpected error occurred; quote the request id when reporting it',
    code: 'INTERNAL',
    request_id: 'rid-1',
  },
  headers: {},
};

describe('library errors → API problems (one table)', () => {
  it.each([
    [
      'ConnectionNotConnectedError',
      new ConnectionNotConnectedError('c-1'),
      409,
      'Provider not connected',
      'PROVIDER.NOT_CONNECTED',
      'This provider holds no tokens; link it first',
    ],
    [
      'ReauthRequiredError',
      new ReauthRequiredError('c-1', 'refresh_refused', providerError('refresh', 'permanent')),
      409,
      'Provider needs to be linked again',
      'PROVIDER.REAUTH_REQUIRED',
      'The institution no longer accepts this authorization; link the provider again',
    ],
    [
      'ProviderUnavailableError without Retry-After',
      new ProviderUnavailableError('c-1', providerError('refresh', 'transient')),
      502,
      'Institution unavailable',
      'PROVIDER.UNAVAILABLE',
      'The institution could not be reached; your tokens are unchanged',
    ],
    [
      'ProviderNotConfiguredError',
      new ProviderNotConfiguredError('schwab', 'SCHWAB_CLIENT_ID is not set'),
      400,
      'Provider type not available here',
      'PROVIDER.NOT_CONFIGURED',
      'This provider type is not available on this server',
    ],
    [
      'UnknownProviderError',
      new UnknownProviderError('fidelity'),
      400,
      'Provider type not available here',
      'PROVIDER.NOT_CONFIGURED',
      'This provider type is not available on this server',
    ],
    [
      'ConnectionNotFoundError',
      new ConnectionNotFoundError('c-1'),
      404,
      'Not found',
      'PROVIDER.NOT_FOUND',
      'No such provider',
    ],
    [
      'a refused code exchange',
      providerError('token', 'permanent'),
      400,
      'The institution did not grant access',
      'OAUTH.AUTHORIZATION_FAILED',
      'The institution refused the authorization code',
    ],
    [
      'a code exchange that could not reach the institution',
      providerError('token', 'transient', 5_000),
      502,
      'Institution unavailable',
      'PROVIDER.UNAVAILABLE',
      'The institution could not be reached; start the connection again',
    ],
  ])('%s', (_name, error, status, title, code, detail) => {
    expect(toProblem(error, request)).toEqual({
      body: { type: 'about:blank', title, status, detail, code, request_id: 'rid-1' },
      headers: {},
    });
  });

  it("passes ProviderUnavailableError's retryAfterMs on as Retry-After in whole seconds, rounded up", () => {
    const mapped = toProblem(new ProviderUnavailableError('c-1', null, 2_001), request);
    expect(mapped.body).toMatchObject({ status: 502, code: 'PROVIDER.UNAVAILABLE' });
    expect(mapped.headers).toEqual({ 'retry-after': '3' });
  });

  it('RefreshPendingError: 503 with Retry-After, and it does not claim the tokens are unchanged', () => {
    const mapped = toProblem(new RefreshPendingError('conn-secret-id', new Error('Connection terminated')), request);
    expect(mapped).toEqual({
      body: {
        type: 'about:blank',
        title: 'Refreshed authorization not stored yet',
        status: 503,
        detail: 'The institution renewed the authorization; it is being stored, try again shortly',
        code: 'PROVIDER.REFRESH_PENDING',
        request_id: 'rid-1',
      },
      headers: { 'retry-after': '5' },
    });
    expect(mapped.body.detail).not.toMatch(/unchanged|conn-secret-id/);
  });

  it('never shows the library message: it names connection ids and institution answers', () => {
    for (const error of [
      new ReauthRequiredError('conn-secret-id', 'refresh_refused'),
      new ProviderUnavailableError('conn-secret-id', null),
      providerError('token', 'permanent'),
    ]) {
      expect(JSON.stringify(toProblem(error, request).body)).not.toMatch(/conn-secret-id|invalid_grant|HTTP 400/);
    }
  });

  it.each([
    ['a raw refresh refusal', providerError('refresh', 'permanent')],
    ['a raw refresh failure', providerError('refresh', 'transient', 1_000)],
    ['a revocation failure', providerError('revoke', 'transient')],
    ['a data call refusal', providerError('data', 'permanent')],
    ['an undecryptable token', new TokenDecryptionError('authentication_failed', 'k1')],
  ])('%s has no client-facing meaning: a generic 500', (_name, error) => {
    expect(toProblem(error, request)).toEqual(INTERNAL);
  });

  it('only errors with a library code are translated, not look-alikes', () => {
    const notAnError = { code: 'PROVIDER.NOT_CONNECTED', message: 'x' };
    const inherited = Object.assign(new Error('x'), { code: 'toString' });
    const database = Object.assign(new Error('duplicate key'), { code: '23505' });
    for (const error of [notAnError, inherited, database]) expect(toProblem(error, request)).toEqual(INTERNAL);
  });

  it('every ProviderError code is in the table and every target is an API code', () => {
    const operations: ProviderOperation[] = ['token', 'refresh', 'revoke', 'data'];
    for (const operation of operations) {
      for (const classification of ['permanent', 'transient'] as const) {
        expect(Object.keys(LIBRARY_ERRORS)).toContain(providerError(operation, classification).code);
      }
    }
    for (const problem of Object.values(LIBRARY_ERRORS)) {
      if (problem) expect(Object.keys(ERROR_CODES)).toContain(problem.code);
    }
  });
});
