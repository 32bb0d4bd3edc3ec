/**
 * The one list of secrets. It feeds log redaction, config error messages and the production
 * refusal of development defaults. Add a variable here the moment it holds a secret.
 */
export const SENSITIVE_ENV_KEYS = [
  'DATABASE_URL',
  'DATABASE_ADMIN_URL',
  'REDIS_URL',
  'JWT_SECRET',
  'TOKEN_ENCRYPTION_KEYS',
  'CALLBACK_SECRET',
  'SMTP_URL',
  'SCHWAB_CLIENT_SECRET',
  'SANDBOX_CLIENT_SECRET',
] as const;

/** Field names whose values never reach a log line, at any depth of a logged object. */
export const SENSITIVE_FIELDS = [
  'password',
  'current_password',
  'new_password',
  'password_hash',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'code_verifier',
  'state',
  'client_secret',
  'secret',
  'authorization',
  'cookie',
  'set-cookie',
  'x-callback-secret',
] as const;

/**
 * Sensitive only where OAuth puts them: query strings and request bodies (the callback's redirect
 * and its delivery to the api). Anywhere else `code` is a stable error code (`PROVIDER.REAUTH_REQUIRED`,
 * `EAUTH`), which error logs must show.
 */
export const OAUTH_REQUEST_FIELDS = ['code'] as const;

/**
 * pino `redact` paths: SENSITIVE_FIELDS in request headers, bodies, query strings and nested objects;
 * OAUTH_REQUEST_FIELDS in request bodies and query strings only.
 */
export function logRedactPaths(): string[] {
  const paths = new Set<string>();
  for (const field of OAUTH_REQUEST_FIELDS) {
    paths.add(`req.body.${field}`);
    paths.add(`req.query.${field}`);
  }
  for (const field of SENSITIVE_FIELDS) {
    const key = /^[a-z_]+$/.test(field) ? field : `["${field}"]`;
    const join = (prefix: string) => (key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`);
    paths.add(key.startsWith('[') ? `*${key}` : `*.${key}`);
    paths.add(join('req.headers'));
    paths.add(join('res.headers'));
    paths.add(join('req.body'));
    paths.add(join('req.query'));
    paths.add(join('err.config.data'));
  }
  return [...paths];
}
