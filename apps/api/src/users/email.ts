/** Emails are compared and stored lower-cased (users has a CHECK for it); surrounding blanks never count. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
