import { randomBytes } from 'node:crypto';

import { redisKeys } from '@dashtam/platform';

import type { OAuthStateBackend } from './oauth-state.backend';

/** SPEC §5: a state lives ten minutes. */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;
// 32 random bytes → 43 base64url characters (256 bits; SPEC asks for at least 128).
const STATE_BYTES = 32;
const STATE_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/** What a state is bound to; returned once, to whoever consumes the state first. */
export interface OAuthStateRecord {
  userId: string;
  providerId: string;
  providerKey: string;
  /** The exact redirect URI of the authorize request; the code exchange must repeat it. */
  redirectUri: string;
  /** PKCE verifier, when the institution takes a challenge. */
  codeVerifier: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export type NewOAuthState = Pick<OAuthStateRecord, 'userId' | 'providerId' | 'providerKey' | 'redirectUri'> & {
  codeVerifier?: string | null;
};

export interface OAuthStateStoreOptions {
  ttlMs?: number;
  now?: () => Date;
}

/**
 * One-time OAuth `state` values shared by every instance (Redis), so the api that starts a flow and
 * whichever instance receives the callback agree. Keys (`redisKeys.oauthState`) are SHA-256 digests
 * of the state: a Redis dump does not hand out live states.
 */
export class OAuthStateStore {
  private readonly ttlMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly backend: OAuthStateBackend,
    options: OAuthStateStoreOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? OAUTH_STATE_TTL_MS;
    this.now = options.now ?? (() => new Date());
  }

  async create(input: NewOAuthState): Promise<{ state: string; record: OAuthStateRecord }> {
    const createdAt = this.now();
    const record: OAuthStateRecord = {
      userId: input.userId,
      providerId: input.providerId,
      providerKey: input.providerKey,
      redirectUri: input.redirectUri,
      codeVerifier: input.codeVerifier ?? null,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + this.ttlMs),
    };
    const value = JSON.stringify(record);
    // 256 random bits do not collide; NX only guarantees a state is never silently overwritten.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const state = randomBytes(STATE_BYTES).toString('base64url');
      if (await this.backend.setIfAbsent(redisKeys.oauthState(state), value, this.ttlMs)) return { state, record };
    }
    throw new Error('could not store a new OAuth state');
  }

  /**
   * Atomically takes the state: the first caller gets the record, every later (or concurrent) caller
   * gets null, as do unknown, malformed and expired states.
   */
  async consume(state: string): Promise<OAuthStateRecord | null> {
    if (typeof state !== 'string' || !STATE_FORMAT.test(state)) return null;
    return this.live(await this.backend.take(redisKeys.oauthState(state)));
  }

  /**
   * Reads the state without taking it, so a caller it does not belong to can be refused while the
   * state stays usable for its owner. Whoever then consumes it still gets it exactly once.
   */
  async peek(state: string): Promise<OAuthStateRecord | null> {
    if (typeof state !== 'string' || !STATE_FORMAT.test(state)) return null;
    return this.live(await this.backend.peek(redisKeys.oauthState(state)));
  }

  private live(value: string | null): OAuthStateRecord | null {
    if (value === null) return null;
    const record = revive(value);
    return record.expiresAt.getTime() > this.now().getTime() ? record : null;
  }
}

function revive(value: string): OAuthStateRecord {
  const raw = JSON.parse(value) as Omit<OAuthStateRecord, 'createdAt' | 'expiresAt'> & {
    createdAt: string;
    expiresAt: string;
  };
  return { ...raw, createdAt: new Date(raw.createdAt), expiresAt: new Date(raw.expiresAt) };
}
