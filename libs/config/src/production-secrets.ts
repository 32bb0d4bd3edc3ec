import { DEVELOPMENT_SECRETS, ENVIRONMENT_DEFAULTS } from './defaults';

/** 256 bits: what HS256 and AES-256 need, and what a shared secret should hold. */
export const MIN_SECRET_BYTES = 32;
/** A value that repeats a pattern this short (or shorter) is not a secret, whatever its length. */
const MAX_TRIVIAL_PERIOD = 8;

type Env = Readonly<Record<string, unknown>>;

/**
 * What production refuses beyond joi's rules: secrets that equal a development value (trimmed, under any
 * key id), secrets below 256 bits once decoded, keys and secrets made of a short repeated pattern, the
 * development database passwords, and PostgreSQL without TLS unless explicitly accepted. One line per
 * problem, naming the variable, never a value.
 */
export function productionSecretProblems(env: Env, secretKeys: readonly string[]): string[] {
  if (env.ENVIRONMENT !== 'production') return [];
  const developmentValues = secretKeys
    .filter((key) => isDevelopmentValue(String(env[key] ?? '')))
    .map((key) => `"${key}" is a development value; production needs a real secret`);
  return [
    ...developmentValues,
    ...STRONG_SECRETS.flatMap((key) => (isDevelopmentValue(String(env[key] ?? '')) ? [] : strength(key, env))),
    ...keyRingProblems(String(env.TOKEN_ENCRYPTION_KEYS ?? '')),
    ...databaseProblems(env),
  ];
}

// Secrets the operator makes up (not ones an institution issues): they must be long and random.
const STRONG_SECRETS = ['JWT_SECRET', 'CALLBACK_SECRET'];

function strength(name: string, env: Env): string[] {
  const value = String(env[name] ?? '');
  if (value === '') return [];
  const text = value.trim();
  if (isTrivial(Buffer.from(text, 'utf8'))) return [`"${name}" is a short repeated pattern, not a secret`];
  const bytes = decodedSecret(text);
  if (bytes.length < MIN_SECRET_BYTES) {
    return [`"${name}" must hold at least 256 bits (${MIN_SECRET_BYTES} bytes once decoded)`];
  }
  return isTrivial(bytes) ? [`"${name}" is a short repeated pattern, not a secret`] : [];
}

function keyRingProblems(value: string): string[] {
  const developmentKeys = keyRing(DEVELOPMENT_SECRETS.TOKEN_ENCRYPTION_KEYS).map(([, key]) => key);
  // The ring as a whole equal to the development one is already reported as a development value.
  if (isDevelopmentValue(value)) return [];
  return keyRing(value).flatMap(([id, key]) => {
    if (developmentKeys.some((dev) => dev.equals(key))) {
      return [`"TOKEN_ENCRYPTION_KEYS" key "${id}" is the development key; production needs its own`];
    }
    return isTrivial(key) ? [`"TOKEN_ENCRYPTION_KEYS" key "${id}" has trivially low entropy (a repeated pattern)`] : [];
  });
}

function databaseProblems(env: Env): string[] {
  const problems: string[] = [];
  const password = passwordOf(String(env.DATABASE_URL ?? ''));
  const developmentPasswords = Object.values(ENVIRONMENT_DEFAULTS)
    .map((defaults) => passwordOf(defaults.DATABASE_URL ?? ''))
    .filter(Boolean);
  if (password && developmentPasswords.includes(password)) {
    problems.push('"DATABASE_URL" uses a development password; production needs a real one');
  }
  if (env.DATABASE_SSL === false && env.DATABASE_SSL_DISABLED_I_UNDERSTAND !== true) {
    problems.push(
      '"DATABASE_SSL" is false: production talks to PostgreSQL over TLS (set DATABASE_SSL_DISABLED_I_UNDERSTAND=true only for a database on a private, trusted link)',
    );
  }
  return problems;
}

/** Equal, once trimmed, to any development secret or any development key (under any id). */
function isDevelopmentValue(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed === '') return false;
  const devValues = Object.values(DEVELOPMENT_SECRETS).flatMap((dev) => [dev, ...dev.split(',')]);
  const devKeys = keyRing(DEVELOPMENT_SECRETS.TOKEN_ENCRYPTION_KEYS).map(([, key]) => key.toString('base64'));
  return devValues.includes(trimmed) || devKeys.includes(trimmed);
}

/** Hex and padded base64 are decoded (their text overstates the entropy); anything else counts as UTF-8 bytes. */
export function decodedSecret(value: string): Buffer {
  if (/^(?:[0-9a-fA-F]{2})+$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(value) && value.length % 4 === 0) return Buffer.from(value, 'base64');
  return Buffer.from(value, 'utf8');
}

/** All one byte, or a pattern of at most MAX_TRIVIAL_PERIOD bytes repeated. */
export function isTrivial(bytes: Buffer): boolean {
  for (let period = 1; period <= Math.min(MAX_TRIVIAL_PERIOD, bytes.length - 1); period += 1) {
    let repeats = true;
    for (let i = period; i < bytes.length && repeats; i += 1) repeats = bytes[i] === bytes[i - period];
    if (repeats) return true;
  }
  return false;
}

function keyRing(value: string): Array<[string, Buffer]> {
  if (value === '') return [];
  return value.split(',').map((entry) => {
    const [id, b64 = ''] = entry.split(':');
    return [id, Buffer.from(b64, 'base64')];
  });
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
