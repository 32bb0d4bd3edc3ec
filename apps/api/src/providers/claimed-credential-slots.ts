import { createHash } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';

import { TokenCipherService } from '@dashtam/crypto';
import { redisKeys } from '@dashtam/platform';

import { REDIS_CLIENT } from '../infra/redis/redis.tokens';

/** A kept claim outlives a database outage of a day; a setup token is pasted again within minutes. */
const SLOT_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Where a claimed credential waits between the institution's answer and the database's COMMIT. A
 * SimpleFIN setup token works once: if the store fails after the claim, a retry with the same token
 * must find the Access URL here rather than claim again (which the Bridge refuses). Keyed by a digest
 * of provider id and setup token; the value is sealed by the token cipher (bound to the provider id),
 * never in clear. Best effort like PendingTokenSlots: without Redis (development) it lives in memory.
 */
@Injectable()
export class ClaimedCredentialSlots {
  private readonly logger = new Logger(ClaimedCredentialSlots.name);
  private readonly memory = new Map<string, { sealed: string; expiresAt: number }>();

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    private readonly cipher: TokenCipherService,
  ) {}

  async find(providerId: string, setupToken: string): Promise<string | null> {
    const key = this.key(providerId, setupToken);
    let sealed: string | null = null;
    try {
      if (this.redis) sealed = await this.redis.get(key);
      else {
        const slot = this.memory.get(key);
        sealed = slot && slot.expiresAt > Date.now() ? slot.sealed : null;
      }
    } catch (error) {
      this.logger.warn(`claimed credential of provider ${providerId} could not be looked up: ${name(error)}`);
    }
    if (sealed === null) return null;
    try {
      return this.cipher.decrypt(sealed, { aad: providerId });
    } catch {
      return null;
    }
  }

  async hold(providerId: string, setupToken: string, secret: string): Promise<void> {
    const key = this.key(providerId, setupToken);
    const sealed = this.cipher.encrypt(secret, { aad: providerId });
    try {
      if (this.redis) await this.redis.set(key, sealed, 'PX', SLOT_TTL_MS);
      else this.memory.set(key, { sealed, expiresAt: Date.now() + SLOT_TTL_MS });
    } catch (error) {
      this.logger.warn(`claimed credential of provider ${providerId} not held: ${name(error)}`);
    }
  }

  async release(providerId: string, setupToken: string): Promise<void> {
    const key = this.key(providerId, setupToken);
    try {
      if (this.redis) await this.redis.del(key);
      else this.memory.delete(key);
    } catch (error) {
      // It expires by itself; a stored credential makes it unused anyway.
      this.logger.warn(`claimed credential of provider ${providerId} not released: ${name(error)}`);
    }
  }

  private key(providerId: string, setupToken: string): string {
    return redisKeys.claimedCredential(
      createHash('sha256').update(`${providerId}\n${setupToken.trim()}`).digest('hex'),
    );
  }
}

function name(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown error';
}
