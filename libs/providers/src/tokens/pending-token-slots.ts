import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';

import { redisKeys } from '@dashtam/platform';

import type { RefreshResult } from './refresh-persistence';

/** A slot outlives a long database outage; it never outlives the refresh token it holds. */
export const PENDING_SLOT_TTL_MS = 24 * 60 * 60 * 1000;

interface SlotValue {
  v: 1;
  connectionId: string;
  fromVersion: number;
  fromRefreshTokenEncrypted: string;
  accessTokenEncrypted: string;
  refreshTokenEncrypted: string | null;
  idTokenEncrypted: string | null;
  keyId: string;
  tokenType: string;
  expiresAt: string | null;
  scope: string | null;
  refreshedAt: string;
  rotated: boolean;
}

/**
 * Where a refresh result waits, in Redis, between the institution's answer and the database's COMMIT
 * (written before the write, removed after it), so the only copy of a rotated refresh token is never
 * just one process's memory. It holds the row's own envelopes (AES-256-GCM, the connection id as
 * additional data) and plain fields; never a token in clear. Keyed by connection and the version the
 * refresh was made from, so a slot never names another refresh's result.
 *
 * Every operation is best effort: Redis fails fast (no offline queue, a short command timeout), and a
 * failure is reported as "not held" or "none found", never thrown. Without Redis (development) there
 * are no slots.
 */
export class PendingTokenSlots {
  private readonly logger = new Logger(PendingTokenSlots.name);

  constructor(private readonly redis: Redis | null) {}

  /** Stores the result until `deadline` (at most PENDING_SLOT_TTL_MS from now); false when it could not. */
  async hold(result: RefreshResult, deadline: Date | null = null): Promise<boolean> {
    if (!this.redis) return false;
    const ttl = Math.min(PENDING_SLOT_TTL_MS, deadline ? deadline.getTime() - Date.now() : PENDING_SLOT_TTL_MS);
    if (ttl <= 0) return false;
    try {
      await this.redis.set(this.key(result), JSON.stringify(toSlot(result)), 'PX', ttl);
      return true;
    } catch (error) {
      this.logger.warn(`pending tokens of connection ${result.connectionId} not held in Redis: ${message(error)}`);
      return false;
    }
  }

  /** The result waiting for this connection at this version, or null (none, or Redis unavailable). */
  async find(connectionId: string, fromVersion: number): Promise<RefreshResult | null> {
    if (!this.redis) return null;
    try {
      const value = await this.redis.get(redisKeys.pendingTokens(connectionId, fromVersion));
      return value === null ? null : fromSlot(JSON.parse(value) as SlotValue);
    } catch (error) {
      this.logger.warn(`pending tokens of connection ${connectionId} could not be looked up: ${message(error)}`);
      return null;
    }
  }

  async release(result: Pick<RefreshResult, 'connectionId' | 'fromVersion'>): Promise<void> {
    if (!this.redis) return;
    try {
      await this.redis.del(this.key(result));
    } catch (error) {
      // It expires by itself, and a slot for a version the row has left is never used.
      this.logger.warn(`pending tokens of connection ${result.connectionId} not released: ${message(error)}`);
    }
  }

  private key(result: Pick<RefreshResult, 'connectionId' | 'fromVersion'>): string {
    return redisKeys.pendingTokens(result.connectionId, result.fromVersion);
  }
}

function toSlot(result: RefreshResult): SlotValue {
  return {
    v: 1,
    connectionId: result.connectionId,
    fromVersion: result.fromVersion,
    fromRefreshTokenEncrypted: result.fromRefreshTokenEncrypted,
    accessTokenEncrypted: result.sealed.accessTokenEncrypted,
    refreshTokenEncrypted: result.sealed.refreshTokenEncrypted,
    idTokenEncrypted: result.sealed.idTokenEncrypted,
    keyId: result.sealed.keyId,
    tokenType: result.fields.tokenType,
    expiresAt: result.fields.expiresAt?.toISOString() ?? null,
    scope: result.fields.scope,
    refreshedAt: result.fields.refreshedAt.toISOString(),
    rotated: result.rotated,
  };
}

function fromSlot(slot: SlotValue): RefreshResult {
  return {
    connectionId: slot.connectionId,
    fromVersion: slot.fromVersion,
    fromRefreshTokenEncrypted: slot.fromRefreshTokenEncrypted,
    sealed: {
      accessTokenEncrypted: slot.accessTokenEncrypted,
      refreshTokenEncrypted: slot.refreshTokenEncrypted,
      idTokenEncrypted: slot.idTokenEncrypted,
      keyId: slot.keyId,
    },
    fields: {
      tokenType: slot.tokenType,
      expiresAt: slot.expiresAt === null ? null : new Date(slot.expiresAt),
      scope: slot.scope,
      refreshedAt: new Date(slot.refreshedAt),
    },
    rotated: slot.rotated,
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
