// A percent sign followed by two hex digits: the code still carries one layer of URL encoding.
const PERCENT_ENCODED = /%[0-9A-Fa-f]{2}/;

/**
 * Schwab's authorization codes end in `@` and often reach us still URL-encoded (`C0.abc%40`) when
 * the redirect query was copied or forwarded raw. The token endpoint wants the code itself, so one
 * layer of encoding is removed, never more: `C0.abc%2540` becomes `C0.abc%40`, which is what the
 * institution issued in that case. A code that is not valid percent-encoding is left untouched.
 */
export function normalizeAuthorizationCode(code: string): string {
  if (!PERCENT_ENCODED.test(code)) return code;
  try {
    return decodeURIComponent(code);
  } catch {
    return code;
  }
}
