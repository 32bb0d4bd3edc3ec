import { createHmac, randomBytes } from 'node:crypto';

// Schwab's codes and tokens look like `C0.<base64 of its auth host>.<random>@`; the trailing `@`
// arrives URL-encoded (`%40`) in the redirect, which is what trips up naive clients.
const HOST_PART = Buffer.from('oauth2.sandbox.dashtam.local').toString('base64url');

const opaque = (prefix: string): string => `${prefix}.${HOST_PART}.${randomBytes(32).toString('base64url')}@`;

export const newAuthorizationCode = (): string => opaque('C0');
export const newAccessToken = (): string => opaque('I0');
export const newRefreshToken = (): string => opaque('R0');
export const newRequestId = (): string => randomBytes(24).toString('base64url');

export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  iat: number;
  exp: number;
}

/** A JWT-shaped id_token (HS256 with a per-instance key): Schwab sends one, Dashtam ignores it. */
export function signIdToken(claims: IdTokenClaims, key: Buffer): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', key).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${signature}`;
}
