/** Alpaca's two trading environments, each on its own host with its own keys. */
export const ALPACA_ENVIRONMENTS = ['paper', 'live'] as const;
export type AlpacaEnvironment = (typeof ALPACA_ENVIRONMENTS)[number];

/** What the person gives Dashtam to link Alpaca, and what the vault keeps. */
export interface AlpacaCredentials {
  apiKeyId: string;
  apiSecret: string;
  environment: AlpacaEnvironment;
}

// Alpaca's key ids and secrets are short ASCII tokens. Bounding them (and refusing spaces and control
// characters) keeps them out of header-injection territory before any request is built.
const KEY_ID = /^[\x21-\x7e]{1,128}$/;
const SECRET = /^[\x21-\x7e]{1,256}$/;

export function isAlpacaEnvironment(value: unknown): value is AlpacaEnvironment {
  return typeof value === 'string' && (ALPACA_ENVIRONMENTS as readonly string[]).includes(value);
}

/** The credentials when every part is well-formed; null otherwise. */
export function validAlpacaCredentials(value: {
  apiKeyId?: unknown;
  apiSecret?: unknown;
  environment?: unknown;
}): AlpacaCredentials | null {
  const { apiKeyId, apiSecret, environment } = value;
  if (typeof apiKeyId !== 'string' || !KEY_ID.test(apiKeyId)) return null;
  if (typeof apiSecret !== 'string' || !SECRET.test(apiSecret)) return null;
  if (!isAlpacaEnvironment(environment)) return null;
  return { apiKeyId, apiSecret, environment };
}

/** The string the token vault stores for a linked Alpaca account (a secret as a whole: never log it). */
export function sealableAlpacaSecret(credentials: AlpacaCredentials): string {
  return JSON.stringify({
    api_key_id: credentials.apiKeyId,
    api_secret: credentials.apiSecret,
    environment: credentials.environment,
  });
}

/** The credentials inside a stored secret; null when it is not one `sealableAlpacaSecret` wrote. */
export function readAlpacaSecret(secret: string): AlpacaCredentials | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const raw = parsed as { api_key_id?: unknown; api_secret?: unknown; environment?: unknown };
  return validAlpacaCredentials({ apiKeyId: raw.api_key_id, apiSecret: raw.api_secret, environment: raw.environment });
}
