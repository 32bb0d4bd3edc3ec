import { createHash, timingSafeEqual } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import { OAuthError } from '../errors/oauth.error';
import type { SandboxOptions } from '../sandbox-options';
import { SANDBOX_OPTIONS } from '../sandbox.tokens';

export interface BasicCredentials {
  clientId: string;
  clientSecret: string;
}

/** `Authorization: Basic base64(urlencode(id):urlencode(secret))`, RFC 6749 §2.3.1. */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    const formDecode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Schwab authenticates clients with HTTP Basic only; anything else is `invalid_client`. */
@Injectable()
export class ClientAuthenticator {
  constructor(@Inject(SANDBOX_OPTIONS) private readonly options: SandboxOptions) {}

  /** Returns the authenticated client id or throws 401 invalid_client. */
  authenticate(authorization: string | undefined): string {
    const credentials = parseBasicAuthorization(authorization);
    const idOk =
      credentials !== undefined && timingSafeEqual(digest(credentials.clientId), digest(this.options.clientId));
    const secretOk =
      credentials !== undefined && timingSafeEqual(digest(credentials.clientSecret), digest(this.options.clientSecret));
    if (!idOk || !secretOk) throw OAuthError.invalidClient();
    return this.options.clientId;
  }
}
