import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

/** Every token descended from one authorization code. Its refresh deadline never moves. */
export interface TokenFamily {
  id: string;
  clientId: string;
  user: string;
  createdAt: number;
  refreshExpiresAt: number;
  currentRefreshToken: string;
  /** The refresh token `currentRefreshToken` replaced, while that successor is still unused. */
  previousRefreshToken: string | undefined;
  /** When `previousRefreshToken` was first rotated out: a reuse grace counts from here. */
  previousRotatedAt: number | undefined;
  /** Index into accessTokens of the first one issued after that rotation (the successor's pair). */
  previousRotationAccessIndex: number;
  refreshTokens: string[];
  accessTokens: string[];
  revokedAt: number | undefined;
  revokedReason: string | undefined;
}

export interface AccessTokenRecord {
  value: string;
  familyId: string;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
  /** Trader-API calls this token has authenticated (for the per-token call limit). */
  dataCalls: number;
}

export type RefreshTokenStatus = 'active' | 'rotated' | 'revoked' | 'expired';

/** Issued tokens and their families. In memory: the Sandbox is a single-process fake. */
@Injectable()
export class TokenStore {
  private readonly families = new Map<string, TokenFamily>();
  private readonly refreshIndex = new Map<string, string>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();

  createFamily(init: { clientId: string; user: string; now: number; refreshTtlSeconds: number }): TokenFamily {
    const family: TokenFamily = {
      id: randomUUID(),
      clientId: init.clientId,
      user: init.user,
      createdAt: init.now,
      refreshExpiresAt: init.now + init.refreshTtlSeconds * 1000,
      currentRefreshToken: '',
      previousRefreshToken: undefined,
      previousRotatedAt: undefined,
      previousRotationAccessIndex: 0,
      refreshTokens: [],
      accessTokens: [],
      revokedAt: undefined,
      revokedReason: undefined,
    };
    this.families.set(family.id, family);
    return family;
  }

  /**
   * The new refresh token becomes the only valid one; earlier ones read as `rotated`. `now` marks the
   * rotation; a re-issue for the previous token (`supersedeLostSuccessor`) keeps the first rotation's mark.
   */
  addRefreshToken(family: TokenFamily, value: string, now: number): void {
    if (family.currentRefreshToken !== '' && family.currentRefreshToken !== family.previousRefreshToken) {
      family.previousRefreshToken = family.currentRefreshToken;
      family.previousRotatedAt = now;
      family.previousRotationAccessIndex = family.accessTokens.length;
    }
    family.refreshTokens.push(value);
    family.currentRefreshToken = value;
    this.refreshIndex.set(value, family.id);
  }

  /**
   * The previous refresh token came back inside the reuse grace: its client never got the successor.
   * That successor pair is void (the access tokens issued with it are revoked) and the previous token
   * is made current again, so the next issue rotates away from it as if for the first time.
   */
  supersedeLostSuccessor(family: TokenFamily): void {
    if (family.previousRefreshToken === undefined) return;
    for (const value of family.accessTokens.slice(family.previousRotationAccessIndex)) {
      const record = this.accessTokens.get(value);
      if (record) this.revokeAccessToken(record);
    }
    family.currentRefreshToken = family.previousRefreshToken;
  }

  addAccessToken(family: TokenFamily, value: string, now: number, ttlSeconds: number): AccessTokenRecord {
    const record = {
      value,
      familyId: family.id,
      issuedAt: now,
      expiresAt: now + ttlSeconds * 1000,
      revoked: false,
      dataCalls: 0,
    };
    family.accessTokens.push(value);
    this.accessTokens.set(value, record);
    return record;
  }

  familyOfRefreshToken(value: string): TokenFamily | undefined {
    const id = this.refreshIndex.get(value);
    return id === undefined ? undefined : this.families.get(id);
  }

  family(id: string): TokenFamily | undefined {
    return this.families.get(id);
  }

  accessToken(value: string): AccessTokenRecord | undefined {
    return this.accessTokens.get(value);
  }

  refreshTokenStatus(value: string, now: number): RefreshTokenStatus | undefined {
    const family = this.familyOfRefreshToken(value);
    if (!family) return undefined;
    if (family.revokedAt !== undefined) return 'revoked';
    if (family.currentRefreshToken !== value) return 'rotated';
    return family.refreshExpiresAt <= now ? 'expired' : 'active';
  }

  /** Kills the refresh tokens and every access token of the family (reuse detection, revocation, code replay). */
  revokeFamily(family: TokenFamily, reason: string, now: number): void {
    if (family.revokedAt !== undefined) return;
    family.revokedAt = now;
    family.revokedReason = reason;
    for (const value of family.accessTokens) {
      const record = this.accessTokens.get(value);
      if (record) record.revoked = true;
    }
  }

  revokeAccessToken(record: AccessTokenRecord): void {
    record.revoked = true;
  }

  /** Ends an access token's life now (an early expiry, not a revocation); the grant is untouched. */
  expireAccessToken(record: AccessTokenRecord, now: number): void {
    record.expiresAt = Math.min(record.expiresAt, now);
  }

  reset(): void {
    this.families.clear();
    this.refreshIndex.clear();
    this.accessTokens.clear();
  }
}
