/** Emails are compared and stored lower-cased (users has a CHECK for it); surrounding blanks never count. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Enough of an address for its owner to recognise it, not enough to harvest it: `a***@example.com`.
 * Shown where a person must see which account something landed in (the OAuth callback page).
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}
