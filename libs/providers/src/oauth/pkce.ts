import { createHash, randomBytes } from 'node:crypto';

// RFC 7636 §4.1: 43–128 characters of [A-Z a-z 0-9 - . _ ~].
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** 48 random bytes → 64 base64url characters (384 bits), well inside RFC 7636's range. */
export function createCodeVerifier(): string {
  return randomBytes(48).toString('base64url');
}

export function isValidCodeVerifier(verifier: string): boolean {
  return VERIFIER.test(verifier);
}

/** The S256 challenge: BASE64URL(SHA-256(ASCII(verifier))), no padding. */
export function codeChallengeS256(verifier: string): string {
  if (!isValidCodeVerifier(verifier)) throw new Error('a PKCE code verifier is 43-128 unreserved characters');
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
