// NUL and lone surrogates: PostgreSQL's text refuses the first, and jsonb refuses both (as \u escapes).
// eslint-disable-next-line no-control-regex -- NUL is exactly what this must find
const UNSTORABLE = /\u0000|\p{Cs}/gu;

/** An institution's text made storable: what PostgreSQL cannot hold becomes U+FFFD, nothing fails. */
export function storableText(value: string): string {
  return value.replace(UNSTORABLE, '\uFFFD');
}

export function storableNullableText(value: string | null, maxLength?: number): string | null {
  if (value === null) return null;
  const text = storableText(value);
  return maxLength === undefined ? text : text.slice(0, maxLength);
}

/** A copy of an institution's JSON for a jsonb column, every string (values and keys) made storable. */
export function storableValue<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map(storableValue) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [storableText(key), storableValue(child)]),
  ) as T;
}
