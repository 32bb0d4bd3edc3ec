import { SENSITIVE_ENV_KEYS } from './namespaces';

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
 * OAUTH_REQUEST_FIELDS in request bodies and query strings only; the secret variables
 * (SENSITIVE_ENV_KEYS) wherever they appear, e.g. in a logged environment.
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
  for (const variable of SENSITIVE_ENV_KEYS) paths.add(`*.${variable}`);
  return [...paths];
}

// Shorter values are too likely to occur in ordinary text to be worth replacing.
const MIN_REDACTED_LENGTH = 4;

/**
 * Config problems name variables, never values; this makes that hold for secrets even if a rule's
 * message ever quoted its input: every secret variable's value is replaced wherever it appears.
 */
export function redactSecretValues(problems: string[], values: Record<string, string | undefined>): string[] {
  const secrets = SENSITIVE_ENV_KEYS.map((key) => values[key] ?? '').filter(
    (value) => value.length >= MIN_REDACTED_LENGTH,
  );
  return problems.map((problem) => secrets.reduce((text, value) => text.split(value).join('[redacted]'), problem));
}
