import type { TokenDecryptionError } from '@dashtam/crypto';
import type {
  ConnectionNotConnectedError,
  ConnectionNotFoundError,
  InvalidCredentialsError,
  ProviderAuthTypeError,
  ProviderError,
  ProviderNotConfiguredError,
  ProviderUnavailableError,
  ReauthRequiredError,
  RefreshPendingError,
  SetupTokenHostNotAllowedError,
  StoredCredentialUnreadableError,
  TokensUnreadableError,
  UnknownProviderError,
} from '@dashtam/providers';

import type { ErrorCode } from './error-codes';

/** Every error class of the libraries that can reach a request handler. */
type LibraryError =
  | ProviderError
  | ProviderNotConfiguredError
  | UnknownProviderError
  | ConnectionNotFoundError
  | ConnectionNotConnectedError
  | ReauthRequiredError
  | ProviderUnavailableError
  | RefreshPendingError
  | TokensUnreadableError
  | TokenDecryptionError
  | ProviderAuthTypeError
  | InvalidCredentialsError
  | SetupTokenHostNotAllowedError
  | StoredCredentialUnreadableError;

export type LibraryErrorCode = LibraryError['code'];

/** The API problem a library error becomes: our code (status and title in ERROR_CODES) and a fixed detail. */
export interface LibraryProblem {
  code: ErrorCode;
  detail: string;
  /** Pass the library's `retryAfterMs` on as a Retry-After header (seconds, rounded up). */
  retryAfter?: true;
}

const NOT_CONFIGURED: LibraryProblem = {
  code: 'PROVIDER.NOT_CONFIGURED',
  detail: 'This provider type is not available on this server',
};

/**
 * Library code → API problem, for every code the libraries define (the type makes a new one a compile
 * error here until it is decided). The detail is ours, never the library's message, which names
 * connection ids and institution answers. `null`: no client-facing meaning, so a generic 500 whose
 * log line carries the code — a raw refresh or data failure should have been interpreted by the
 * library (ReauthRequiredError, ProviderUnavailableError) and a revocation failure is never fatal.
 */
export const LIBRARY_ERRORS: Record<LibraryErrorCode, LibraryProblem | null> = {
  'PROVIDER.NOT_CONFIGURED': NOT_CONFIGURED,
  // A stored provider whose key this server no longer knows is, to its owner, one not offered here.
  'PROVIDER.UNKNOWN_KEY': NOT_CONFIGURED,
  // The provider was found a moment ago: its connection went with a concurrent delete.
  'PROVIDER.CONNECTION_NOT_FOUND': { code: 'PROVIDER.NOT_FOUND', detail: 'No such provider' },
  'PROVIDER.NOT_CONNECTED': { code: 'PROVIDER.NOT_CONNECTED', detail: 'This provider holds no tokens; link it first' },
  'PROVIDER.REAUTH_REQUIRED': {
    code: 'PROVIDER.REAUTH_REQUIRED',
    detail: 'The institution no longer accepts this authorization; link the provider again',
  },
  'PROVIDER.UNAVAILABLE': {
    code: 'PROVIDER.UNAVAILABLE',
    detail: 'The institution could not be reached; your tokens are unchanged',
    retryAfter: true,
  },
  // Not "unchanged": the institution did refresh, and the stored refresh token may already be rotated out.
  'PROVIDER.REFRESH_PENDING': {
    code: 'PROVIDER.REFRESH_PENDING',
    detail: 'The institution renewed the authorization; it is being stored, try again shortly',
    retryAfter: true,
  },
  'PROVIDER.TOKENS_UNREADABLE': {
    code: 'PROVIDER.TOKENS_UNREADABLE',
    detail: 'The stored authorization cannot be read; link the provider again',
  },
  // Normally turned into TOKENS_UNREADABLE by the vault (failUnreadableCredential) before it gets here.
  'PROVIDER.CREDENTIAL_UNREADABLE': {
    code: 'PROVIDER.TOKENS_UNREADABLE',
    detail: 'The stored authorization cannot be read; link the provider again',
  },
  'PROVIDER.CODE_EXCHANGE_REFUSED': {
    code: 'OAUTH.AUTHORIZATION_FAILED',
    detail: 'The institution refused the authorization code',
  },
  'PROVIDER.CODE_EXCHANGE_UNAVAILABLE': {
    code: 'PROVIDER.UNAVAILABLE',
    detail: 'The institution could not be reached; start the connection again',
  },
  'PROVIDER.AUTH_TYPE_MISMATCH': {
    code: 'PROVIDER.AUTH_TYPE_MISMATCH',
    detail: "This provider is linked another way; see its provider type's auth_type",
  },
  'PROVIDER.CREDENTIALS_INVALID': {
    code: 'PROVIDER.CREDENTIALS_INVALID',
    detail: 'These credentials are not valid for this institution; nothing was stored',
  },
  // The institution refused them: a setup token already claimed (or never issued), a wrong key.
  'PROVIDER.CREDENTIALS_REFUSED': {
    code: 'PROVIDER.CREDENTIALS_INVALID',
    detail: 'The institution refused these credentials; nothing was stored',
  },
  'PROVIDER.LINK_UNAVAILABLE': {
    code: 'PROVIDER.UNAVAILABLE',
    detail: 'The institution could not be reached; nothing was stored, try again',
    retryAfter: true,
  },
  'PROVIDER.SETUP_TOKEN_HOST_NOT_ALLOWED': {
    code: 'PROVIDER.SETUP_TOKEN_HOST_NOT_ALLOWED',
    detail: 'The setup token names a server this Dashtam does not talk to; no request was made',
  },
  'PROVIDER.REFRESH_REFUSED': null,
  'PROVIDER.REFRESH_UNAVAILABLE': null,
  'PROVIDER.REVOCATION_REFUSED': null,
  'PROVIDER.REVOCATION_UNAVAILABLE': null,
  'PROVIDER.DATA_REFUSED': null,
  'PROVIDER.DATA_UNAVAILABLE': null,
  'CRYPTO.TOKEN_UNDECRYPTABLE': null,
};

export interface TranslatedLibraryError {
  code: ErrorCode;
  detail: string;
  headers: Record<string, string>;
}

/** The API problem for a library error, or null when `error` is none or has no client-facing meaning. */
export function translateLibraryError(error: unknown): TranslatedLibraryError | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !Object.hasOwn(LIBRARY_ERRORS, code)) return null;
  const problem = LIBRARY_ERRORS[code as LibraryErrorCode];
  if (!problem) return null;
  const retryAfterMs = (error as { retryAfterMs?: number | null }).retryAfterMs;
  const headers: Record<string, string> =
    problem.retryAfter && typeof retryAfterMs === 'number'
      ? { 'retry-after': String(Math.ceil(retryAfterMs / 1000)) }
      : {};
  return { code: problem.code, detail: problem.detail, headers };
}
