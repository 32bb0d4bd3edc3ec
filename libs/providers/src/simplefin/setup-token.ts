// A setup token is base64 of a claim URL: a few hundred characters at most.
const MAX_SETUP_TOKEN_LENGTH = 2048;

/**
 * The claim URL a SimpleFIN setup token names, or null when the value is not a setup token. Standard
 * and URL-safe base64 are both taken, with or without padding; surrounding whitespace (a paste) too.
 */
export function claimUrlOf(setupToken: string): string | null {
  const token = setupToken.trim();
  if (token === '' || token.length > MAX_SETUP_TOKEN_LENGTH || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(token)) return null;
  const decoded = Buffer.from(token.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8').trim();
  return /^https?:\/\/[^\s]+$/i.test(decoded) ? decoded : null;
}
