/**
 * Every stable error code a client can see, with its HTTP status and problem title. One table: a new
 * code is added here and nowhere else.
 */
export const ERROR_CODES = {
  'VALIDATION.FAILED': { status: 400, title: 'Validation failed' },
  'REQUEST.MALFORMED': { status: 400, title: 'Malformed request' },
  'AUTH.UNAUTHORIZED': { status: 401, title: 'Unauthorized' },
  'AUTH.FORBIDDEN': { status: 403, title: 'Forbidden' },
  'AUTH.PASSWORD_POLICY': { status: 400, title: 'Password does not meet the policy' },
  'AUTH.CURRENT_PASSWORD_INVALID': { status: 400, title: 'Current password is wrong' },
  'AUTH.VERIFICATION_TOKEN_INVALID': { status: 400, title: 'Invalid verification token' },
  'AUTH.RESET_TOKEN_INVALID': { status: 400, title: 'Invalid password reset token' },
  'AUTH.INVALID_CREDENTIALS': { status: 401, title: 'Invalid credentials' },
  'AUTH.TOKEN_INVALID': { status: 401, title: 'Invalid access token' },
  'AUTH.TOKEN_EXPIRED': { status: 401, title: 'Access token expired' },
  'AUTH.SESSION_REVOKED': { status: 401, title: 'Session ended' },
  'AUTH.REFRESH_TOKEN_INVALID': { status: 401, title: 'Invalid refresh token' },
  'AUTH.REFRESH_TOKEN_REUSED': { status: 401, title: 'Refresh token reused' },
  'AUTH.EMAIL_NOT_VERIFIED': { status: 403, title: 'Email not verified' },
  'AUTH.ACCOUNT_DISABLED': { status: 403, title: 'Account disabled' },
  'AUTH.SESSION_NOT_FOUND': { status: 404, title: 'Not found' },
  'AUTH.EMAIL_TAKEN': { status: 409, title: 'Email already registered' },
  'AUTH.ACCOUNT_LOCKED': { status: 423, title: 'Account temporarily locked' },
  'PROVIDER.UNKNOWN_KEY': { status: 400, title: 'Unknown provider type' },
  'PROVIDER.NOT_CONFIGURED': { status: 400, title: 'Provider type not available here' },
  'PROVIDER.NOT_FOUND': { status: 404, title: 'Not found' },
  'PROVIDER_TYPE.NOT_FOUND': { status: 404, title: 'Not found' },
  'PROVIDER.ALIAS_TAKEN': { status: 409, title: 'Alias already in use' },
  'PROVIDER.NOT_CONNECTED': { status: 409, title: 'Provider not connected' },
  'PROVIDER.REAUTH_REQUIRED': { status: 409, title: 'Provider needs to be linked again' },
  'PROVIDER.UNAVAILABLE': { status: 502, title: 'Institution unavailable' },
  'OAUTH.STATE_INVALID': { status: 400, title: 'Invalid or expired authorization state' },
  'OAUTH.ACCESS_DENIED': { status: 400, title: 'Access declined at the institution' },
  'OAUTH.AUTHORIZATION_FAILED': { status: 400, title: 'The institution did not grant access' },
  'OAUTH.CALLBACK_UNAUTHORIZED': { status: 401, title: 'Unauthorized' },
  'RESOURCE.NOT_FOUND': { status: 404, title: 'Not found' },
  'ROUTE.NOT_FOUND': { status: 404, title: 'Not found' },
  'ROUTE.METHOD_NOT_ALLOWED': { status: 405, title: 'Method not allowed' },
  'RESOURCE.CONFLICT': { status: 409, title: 'Conflict' },
  'REQUEST.TOO_LARGE': { status: 413, title: 'Payload too large' },
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': { status: 415, title: 'Unsupported media type' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Internal server error' },
  'SERVICE.UNAVAILABLE': { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The code a framework-level HTTP status maps to when no domain code is known. */
export const CODE_FOR_STATUS: Record<number, ErrorCode> = {
  400: 'REQUEST.MALFORMED',
  401: 'AUTH.UNAUTHORIZED',
  403: 'AUTH.FORBIDDEN',
  404: 'ROUTE.NOT_FOUND',
  405: 'ROUTE.METHOD_NOT_ALLOWED',
  409: 'RESOURCE.CONFLICT',
  413: 'REQUEST.TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  423: 'AUTH.ACCOUNT_LOCKED',
  429: 'RATE_LIMITED',
  503: 'SERVICE.UNAVAILABLE',
};
