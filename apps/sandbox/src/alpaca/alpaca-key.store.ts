import { randomBytes, timingSafeEqual } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { SandboxClock } from '../clock/sandbox-clock';

export type AlpacaEnvironment = 'paper' | 'live';

export interface AlpacaKey {
  keyId: string;
  secret: string;
  environment: AlpacaEnvironment;
  /** Sandbox-clock time of issue: the account's history ends here and grows as the clock moves on. */
  issuedAt: number;
}

// Enough for any test run; the oldest key goes first past it, so a runaway caller cannot grow memory.
const MAX_KEYS = 10_000;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomText(length: number, alphabet: string): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/** API key pairs issued through `POST /__sandbox/alpaca/keys`; each one is a separate Alpaca account. */
@Injectable()
export class AlpacaKeyStore {
  private readonly keys = new Map<string, AlpacaKey>();

  constructor(private readonly clock: SandboxClock) {}

  /** Key ids look like Alpaca's: `PK…` (paper) or `AK…` (live), 20 characters; secrets 40. */
  issue(environment: AlpacaEnvironment): AlpacaKey {
    if (this.keys.size >= MAX_KEYS) this.keys.delete(this.keys.keys().next().value as string);
    const key: AlpacaKey = {
      keyId: `${environment === 'paper' ? 'PK' : 'AK'}${randomText(18, ALPHANUMERIC)}`,
      secret: randomBytes(30).toString('base64url'),
      environment,
      issuedAt: this.clock.now(),
    };
    this.keys.set(key.keyId, key);
    return key;
  }

  /** The key when both parts match an issued pair; the secret is compared in constant time. */
  verify(keyId: string | undefined, secret: string | undefined): AlpacaKey | undefined {
    const key = keyId === undefined ? undefined : this.keys.get(keyId);
    if (!key || secret === undefined) return undefined;
    const given = Buffer.from(secret, 'utf8');
    const expected = Buffer.from(key.secret, 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected) ? key : undefined;
  }

  reset(): void {
    this.keys.clear();
  }
}
